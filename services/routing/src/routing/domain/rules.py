"""Priority rules as data: a versioned rule book, validated when it is built."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum

from routing.domain.clocks import Targets
from routing.domain.priority import Priority

_RULE_ID = re.compile(r"^[a-z][a-z0-9-]{0,47}$")
MAX_THRESHOLD_DAYS = 3650


class Signal(StrEnum):
    """What a rule looks at in an application."""

    URGENT_TRAVEL = "urgent_travel"
    PERMIT_EXPIRED = "permit_expired"
    PERMIT_EXPIRING = "permit_expiring"
    WALK_IN = "walk_in"
    CONCERN = "concern"
    VULNERABLE = "vulnerable"
    WAITING = "waiting"


THRESHOLD_SIGNALS = frozenset({Signal.URGENT_TRAVEL, Signal.PERMIT_EXPIRING, Signal.WAITING})


class RuleBookError(ValueError):
    """A rule or rule book breaks an invariant; the message says which and why."""


@dataclass(frozen=True)
class Rule:
    """One rule: if ``signal`` holds (within ``threshold`` days), at least ``priority``."""

    id: str
    signal: Signal
    priority: Priority
    threshold: int | None = None
    concerns: frozenset[str] = field(default_factory=frozenset)
    note: str | None = None
    flags: frozenset[str] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        if (problem := self._problem()) is not None:
            raise RuleBookError(f"rule {self.id!r}: {problem}")

    def _problem(self) -> str | None:
        if not _RULE_ID.match(self.id):
            return "the id must be lower-case letters, digits or '-'"
        needs_threshold = self.signal in THRESHOLD_SIGNALS
        if needs_threshold and self.threshold is None:
            return f"signal {self.signal} needs a threshold (days)"
        if not needs_threshold and self.threshold is not None:
            return f"signal {self.signal} takes no threshold"
        if self.threshold is not None and not 0 <= self.threshold <= MAX_THRESHOLD_DAYS:
            return f"threshold must be 0..{MAX_THRESHOLD_DAYS} days"
        if (self.signal is Signal.CONCERN) != bool(self.concerns):
            return "concerns go with signal concern, and only there"
        if self.flags and self.signal is not Signal.VULNERABLE:
            return "flags go with signal vulnerable, and only there"
        return None


@dataclass(frozen=True)
class RuleBook:
    """All rules of one version, in file order, and the priority when none matches."""

    version: str
    rules: tuple[Rule, ...]
    default: Priority = Priority.NORMAL
    targets: Targets = field(default_factory=Targets)
    in_person: frozenset[str] = frozenset()

    def needs_visit(self, concern: str) -> bool:
        """Whether cases of ``concern`` need an appointment at the office."""
        return concern in self.in_person

    def __post_init__(self) -> None:
        if not self.version.strip():
            raise RuleBookError("the rule book needs a version")
        ids = [rule.id for rule in self.rules]
        if twice := sorted({i for i in ids if ids.count(i) > 1}):
            raise RuleBookError(f"rule ids must be unique: {', '.join(twice)}")
