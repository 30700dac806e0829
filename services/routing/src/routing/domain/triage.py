"""Triage that explains itself: every matching rule gives a plain-language reason."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from routing.domain.priority import Priority
from routing.domain.rules import Rule, RuleBook, Signal

COUNTER = "counter"


@dataclass(frozen=True)
class Facts:
    """What triage may look at in an application (no personal data)."""

    concern: str
    channel: str
    walk_in: bool = False
    urgent_travel: bool = False
    travel_date: date | None = None
    permit_expires_on: date | None = None
    vulnerability_flags: frozenset[str] = frozenset()
    received_on: date | None = None


@dataclass(frozen=True)
class Decision:
    priority: Priority
    reasons: tuple[str, ...]
    rule_version: str


def triage(facts: Facts, book: RuleBook, today: date) -> Decision:
    """The highest priority of all matching rules (else the default), with every reason."""
    matches = [(rule, found) for rule in book.rules if (found := finding(rule, facts, today))]
    if not matches:
        reason = f"no priority signal → priority {book.default} (rules {book.version} §default)"
        return Decision(book.default, (reason,), book.version)
    matches.sort(key=lambda match: match[0].priority.rank)  # stable: file order within a level
    winner = matches[0][0].priority
    reasons = tuple(_reason(rule, found, winner, book.version) for rule, found in matches)
    return Decision(winner, reasons, book.version)


def finding(rule: Rule, facts: Facts, today: date) -> str | None:
    """What ``rule`` found in ``facts`` in plain language, or None if it does not apply."""
    if rule.signal is Signal.URGENT_TRAVEL:
        days = _days_until(facts.travel_date, today) if facts.urgent_travel else None
        return f"urgent travel {_in(days)}" if _within(days, rule.threshold) else None
    days = _days_until(facts.permit_expires_on, today)
    if rule.signal is Signal.PERMIT_EXPIRING:
        return f"permit expires {_in(days)}" if _within(days, rule.threshold) else None
    if rule.signal is Signal.PERMIT_EXPIRED:
        return f"permit expired {_ago(-days)}" if days is not None and days < 0 else None
    if rule.signal is Signal.VULNERABLE:
        return _vulnerable(rule, facts)
    if rule.signal is Signal.WAITING:
        return _waiting(rule, facts, today)
    if rule.signal is Signal.WALK_IN:
        return "walk-in at the counter" if facts.walk_in or facts.channel == COUNTER else None
    return f"concern {facts.concern}" if facts.concern in rule.concerns else None


def _vulnerable(rule: Rule, facts: Facts) -> str | None:
    """Which flag matched stays out of the reason: it may be health data (Art. 9 GDPR)."""
    found = facts.vulnerability_flags & rule.flags if rule.flags else facts.vulnerability_flags
    return "vulnerable applicant flagged by staff" if found else None


def _waiting(rule: Rule, facts: Facts, today: date) -> str | None:
    if facts.received_on is None:
        return None
    waited = (today - facts.received_on).days
    return f"waiting for {waited} days" if waited >= (rule.threshold or 0) else None


def _reason(rule: Rule, found: str, winner: Priority, version: str) -> str:
    note = f" ({rule.note})" if rule.note else ""
    level = "priority" if rule.priority is winner else "at least priority"
    return f"{found}{note} → {level} {rule.priority} (rules {version} §{rule.id})"


def _days_until(day: date | None, today: date) -> int | None:
    return None if day is None else (day - today).days


def _within(days: int | None, threshold: int | None) -> bool:
    return days is not None and threshold is not None and 0 <= days <= threshold


def _in(days: int | None) -> str:
    if days == 0:
        return "today"
    return "in 1 day" if days == 1 else f"in {days} days"


def _ago(days: int) -> str:
    return "yesterday" if days == 1 else f"{days} days ago"
