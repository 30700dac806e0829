"""The concern catalogue (Anliegen): knowledge kept as data, not code."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class RequiredDocument:
    key: str
    names: Mapping[str, str]


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
