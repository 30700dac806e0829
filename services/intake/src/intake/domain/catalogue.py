"""The concern catalogue (Anliegen): knowledge kept as data, not code."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

LANGUAGES = ("de", "de-simple", "en", "ar", "tr", "uk", "ru", "fa", "fr")
UNCLASSIFIED = "unclassified"


@dataclass(frozen=True)
class RequiredDocument:
    key: str
    names: Mapping[str, str]
    descriptions: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Concern:
    """One kind of request an office handles, with its team, target and checklist."""

    key: str
    names: Mapping[str, str]
    legal_basis: str | None
    team: str
    target_days: int
    in_person: bool
    required_documents: tuple[RequiredDocument, ...]
    keywords: tuple[str, ...] = ()
    retention_days_after_closing: int = 180

    def missing_documents(self, submitted: Iterable[str]) -> list[str]:
        """Required document keys not among ``submitted``, in checklist order."""
        have = set(submitted)
        return [doc.key for doc in self.required_documents if doc.key not in have]


@dataclass(frozen=True)
class Catalogue:
    version: str
    concerns: Mapping[str, Concern]

    def get(self, key: str) -> Concern | None:
        return self.concerns.get(key)

    def keys(self) -> list[str]:
        return sorted(self.concerns)

    def document_keys(self) -> frozenset[str]:
        """Every document kind any concern asks for."""
        return frozenset(d.key for c in self.concerns.values() for d in c.required_documents)

    def infer_concern(self, text: str) -> str | None:
        """The concern whose keyword occurs in ``text`` (e.g. a mail subject), else unclassified."""
        lowered = text.casefold()
        for key in sorted(self.concerns):
            if any(word.casefold() in lowered for word in self.concerns[key].keywords):
                return key
        return UNCLASSIFIED if UNCLASSIFIED in self.concerns else None
