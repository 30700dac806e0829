"""Capacity-aware assignment: the most pressing, oldest case to the best fitting caseworker."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from routing.domain.case import Case, CaseStatus, work_list


@dataclass(frozen=True)
class Caseworker:
    """A member of a team's roster: languages spoken, cap of open cases, days absent."""

    id: str
    team: str
    languages: frozenset[str] = frozenset()
    max_open: int = 10
    absent: frozenset[date] = field(default_factory=frozenset)

    def available(self, day: date) -> bool:
        return day not in self.absent


def _language(tag: str) -> str:
    return tag.split("-")[0].lower()


def best_fit(
    case: Case, roster: Iterable[Caseworker], load: Mapping[str, int], day: date
) -> Caseworker | None:
    """Present and under the cap; who speaks the case's language first, then the least loaded."""
    free = [w for w in roster if w.available(day) and load.get(w.id, 0) < w.max_open]
    if not free:
        return None
    lang = _language(case.language)
    return min(free, key=lambda w: (lang not in w.languages, load.get(w.id, 0), w.id))


def plan(
    cases: Iterable[Case], roster: Iterable[Caseworker], load: Mapping[str, int], day: date
) -> list[tuple[Case, Caseworker]]:
    """Who takes which waiting case, in work order; the rest stays in the hold queue."""
    workers = list(roster)
    counts = dict(load)
    pairs: list[tuple[Case, Caseworker]] = []
    for case in work_list(cases):
        if case.status is not CaseStatus.QUEUED:
            continue
        worker = best_fit(case, workers, counts, day)
        if worker is None:
            break  # everyone is full: the rest waits, oldest and most pressing first
        pairs.append((case, worker))
        counts[worker.id] = counts.get(worker.id, 0) + 1
    return pairs


def open_load(cases: Iterable[Case]) -> dict[str, int]:
    """Open cases each caseworker holds (claimed or waiting for documents)."""
    held: dict[str, int] = {}
    for case in cases:
        if case.claimed_by and case.status in (CaseStatus.CLAIMED, CaseStatus.WAITING):
            held[case.claimed_by] = held.get(case.claimed_by, 0) + 1
    return held
