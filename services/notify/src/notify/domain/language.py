"""Which language a message is written in; German is the legally binding one."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

BINDING = "de"


@dataclass(frozen=True)
class LanguageChoice:
    language: str
    fell_back: bool  # the applicant asked for a language we cannot write yet


def choose_language(tag: str, supported: Collection[str]) -> LanguageChoice:
    """The applicant's BCP 47 tag reduced to a supported language, else German."""
    primary = tag.strip().replace("_", "-").split("-")[0].lower()
    if primary in supported:
        return LanguageChoice(primary, fell_back=False)
    return LanguageChoice(BINDING, fell_back=True)
