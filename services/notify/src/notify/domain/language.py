"""Which language a message is written in; German is the legally binding one."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

BINDING = "de"
SIMPLE_GERMAN = "de-simple"
# Tags that ask for plain German (einfache / Leichte Sprache).
SIMPLE_TAGS = frozenset({"de-simple", "de-x-simple", "de-x-ls", "de-x-easy", "de-einfach"})
RTL = frozenset({"ar", "fa", "he", "ur", "ps", "ckb"})


@dataclass(frozen=True)
class LanguageChoice:
    language: str
    fell_back: bool  # the applicant asked for a language we cannot write yet

    @property
    def direction(self) -> str:
        return "rtl" if self.language in RTL else "ltr"

    @property
    def html_lang(self) -> str:
        """The BCP 47 tag for ``lang`` attributes (plain German is German)."""
        return BINDING if self.language == SIMPLE_GERMAN else self.language


def choose_language(tag: str, supported: Collection[str]) -> LanguageChoice:
    """The applicant's BCP 47 tag reduced to a supported language, else German."""
    clean = tag.strip().replace("_", "-").lower()
    if clean in SIMPLE_TAGS and SIMPLE_GERMAN in supported:
        return LanguageChoice(SIMPLE_GERMAN, fell_back=False)
    primary = clean.split("-")[0]
    if primary in supported:
        return LanguageChoice(primary, fell_back=False)
    return LanguageChoice(BINDING, fell_back=True)
