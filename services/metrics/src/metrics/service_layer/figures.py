"""Pure figures over case rows: lead time, first response, within target, backlog and its age.

No SQL here: the rows are loaded once, every figure (and every bucket of a series) is a
plain function of them, so each is testable on a hand-made sequence.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal

from metrics.service_layer.queries import Period

Grain = Literal["day", "week", "month"]
AGE_BUCKETS: tuple[tuple[str, int, int | None], ...] = (
    ("0-7", 0, 7),
    ("8-14", 8, 14),
    ("15-30", 15, 30),
    ("31-60", 31, 60),
    ("61+", 61, None),
)
HOUR, DAY = 3600.0, 86400.0


@dataclass(frozen=True)
class CaseRow:
    """What the figures need of one case (instants are aware UTC)."""

    received_at: datetime | None = None
    received_on: date | None = None
    claimed_at: datetime | None = None
    decided_at: datetime | None = None
    decided_on: date | None = None
    closed_on: date | None = None
    within_target: bool | None = None


@dataclass(frozen=True)
class Quantiles:
    p50: float | None
    p90: float | None
    n: int


def percentile(values: Sequence[float], q: float) -> float | None:
    """Linear-interpolated percentile (as numpy's default); ``None`` for no values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def quantiles(values: Sequence[float]) -> Quantiles:
    def rounded(v: float | None) -> float | None:
        return None if v is None else round(v, 2)

    return Quantiles(
        rounded(percentile(values, 0.5)), rounded(percentile(values, 0.9)), len(values)
    )


def within(day: date | None, period: Period) -> bool:
    return day is not None and period.start <= day <= period.end


def lead_time_days(rows: Iterable[CaseRow], period: Period) -> Quantiles:
    """Received -> decided, in days, of cases decided in the period."""
    return quantiles(
        [
            (r.decided_at - r.received_at).total_seconds() / DAY
            for r in rows
            if within(r.decided_on, period) and r.decided_at and r.received_at
        ]
    )


def first_response_hours(rows: Iterable[CaseRow], period: Period) -> Quantiles:
    """Received -> first claimed, in hours, of cases received in the period and claimed."""
    return quantiles(
        [
            max(0.0, (r.claimed_at - r.received_at).total_seconds() / HOUR)
            for r in rows
            if within(r.received_on, period) and r.claimed_at and r.received_at
        ]
    )


def within_target(rows: Iterable[CaseRow], period: Period) -> tuple[int, int]:
    """(decided within target, decided and judged) in the period."""
    judged = [r.within_target for r in rows if within(r.decided_on, period)]
    known = [w for w in judged if w is not None]
    return sum(known), len(known)


def decided(rows: Iterable[CaseRow], period: Period) -> int:
    """Outflow: cases decided in the period."""
    return sum(1 for r in rows if within(r.decided_on, period))


def is_open(row: CaseRow, day: date) -> bool:
    """Received by ``day`` and neither decided nor closed by its end."""
    if row.received_on is None or row.received_on > day:
        return False
    done = [d for d in (row.decided_on, row.closed_on) if d is not None]
    return not done or min(done) > day


def backlog(rows: Iterable[CaseRow], day: date) -> int:
    return sum(1 for r in rows if is_open(r, day))


def open_ages(rows: Iterable[CaseRow], day: date) -> list[int]:
    """Age in days of every case open at the end of ``day``."""
    return [(day - r.received_on).days for r in rows if is_open(r, day) and r.received_on]


def age_distribution(rows: Iterable[CaseRow], day: date) -> dict[str, int]:
    counts = dict.fromkeys((label for label, _, _ in AGE_BUCKETS), 0)
    for age in open_ages(rows, day):
        for label, low, high in AGE_BUCKETS:
            if age >= low and (high is None or age <= high):
                counts[label] += 1
                break
    return counts


def buckets(period: Period, grain: Grain) -> list[Period]:
    """The period cut into days, ISO weeks (Monday) or calendar months, clipped to it."""
    out, start = [], period.start
    while start <= period.end:
        end = _bucket_end(start, grain)
        out.append(Period(start=start, end=min(end, period.end)))
        start = end + timedelta(days=1)
    return out


def _bucket_end(start: date, grain: Grain) -> date:
    if grain == "day":
        return start
    if grain == "week":
        return start + timedelta(days=6 - start.weekday())
    following = date(start.year + start.month // 12, start.month % 12 + 1, 1)
    return following - timedelta(days=1)
