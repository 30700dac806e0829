"""Early-warning rules (pure): each yields conditions; an alert fires or clears on change."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

Severity = Literal["info", "warning", "critical"]
RULES = ("backlog_forecast", "within_target_below", "oldest_open", "dead_letters")


@dataclass(frozen=True)
class Rule:
    rule: str
    severity: Severity = "warning"
    params: Mapping[str, float] | None = None

    def param(self, name: str, default: float) -> float:
        return float((self.params or {}).get(name, default))


@dataclass(frozen=True)
class Condition:
    """One rule in one scope now: ``firing`` or not, with the value that decided it."""

    alert_id: str
    rule: str
    team: str | None
    severity: Severity
    summary: str
    value: float | None
    threshold: float | None
    firing: bool


def rule_from(raw: Mapping[str, Any]) -> Rule:
    name = str(raw.get("rule"))
    if name not in RULES:
        msg = f"alert rules: unknown rule {name!r} (known: {', '.join(RULES)})"
        raise ValueError(msg)
    params = {k: float(v) for k, v in raw.items() if k not in ("rule", "severity")}
    return Rule(rule=name, severity=raw.get("severity", "warning"), params=params)


def alert_id(rule: str, team: str | None) -> str:
    return f"{rule}:{team or 'office'}"


def condition(
    rule: Rule, team: str | None, value: float | None, threshold: float, *, above: bool, text: str
) -> Condition:
    """Fires when ``value`` is above (or below) ``threshold``; no value never fires."""
    firing = value is not None and (value > threshold if above else value < threshold)
    scope = team or "office"
    shown = "n/a" if value is None else f"{value:g}"
    return Condition(
        alert_id=alert_id(rule.rule, team),
        rule=rule.rule,
        team=team,
        severity=rule.severity,
        summary=f"{scope}: {text} ({shown}, threshold {threshold:g})"[:500],
        value=value,
        threshold=threshold,
        firing=firing,
    )


@dataclass(frozen=True)
class Transitions:
    raise_: list[Condition]
    clear: list[str]


def transitions(active: Iterable[str], conditions: Iterable[Condition]) -> Transitions:
    """Which alerts to raise (firing, not active) and clear (active, not firing any more)."""
    active_ids = set(active)
    conditions = list(conditions)
    firing = {c.alert_id for c in conditions if c.firing}
    evaluated = {c.alert_id for c in conditions}
    return Transitions(
        raise_=[c for c in conditions if c.firing and c.alert_id not in active_ids],
        clear=sorted(a for a in active_ids if a in evaluated and a not in firing),
    )
