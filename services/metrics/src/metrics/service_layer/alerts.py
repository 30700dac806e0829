"""Early-warning rules (pure): each yields conditions; an alert fires or clears on change."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

Severity = Literal["info", "warning", "critical"]
RULES = ("backlog_forecast", "within_target_below", "oldest_open", "dead_letters", "outbox_backlog")


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
    summary_de: str = ""


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
    rule: Rule,
    team: str | None,
    value: float | None,
    threshold: float,
    *,
    above: bool,
    text: str = "",
    weeks: int = 0,
) -> Condition:
    """Fires when ``value`` is above (or below) ``threshold``; no value never fires."""
    firing = value is not None and (value > threshold if above else value < threshold)
    return Condition(
        alert_id=alert_id(rule.rule, team),
        rule=rule.rule,
        team=team,
        severity=rule.severity,
        summary=summary(rule.rule, team, value, threshold, "en", weeks=weeks, text=text),
        value=value,
        threshold=threshold,
        firing=firing,
        summary_de=summary(rule.rule, team, value, threshold, "de", weeks=weeks, text=text),
    )


TEXTS: dict[str, dict[str, str]] = {
    "en": {
        "oldest_open": "oldest open case, days",
        "within_target_below": "share decided within target",
        "backlog_forecast": "forecast backlog within {weeks} weeks",
        "dead_letters": "messages in the dead-letter stream",
        "outbox_backlog": "intake outbox backlog, events pending",
        "office": "office",
        "threshold": "threshold",
    },
    "de": {
        "oldest_open": "ältester offener Fall, Tage",
        "within_target_below": "Anteil fristgerecht entschieden",
        "backlog_forecast": "prognostizierter Rückstand in {weeks} Wochen",
        "dead_letters": "Nachrichten im Dead-Letter-Stream",
        "outbox_backlog": "Rückstau im Postausgang der Antragsannahme, Ereignisse",
        "office": "Behörde",
        "threshold": "Schwelle",
    },
}


def summary(
    rule: str,
    team: str | None,
    value: float | None,
    threshold: float,
    lang: str,
    *,
    weeks: int = 0,
    text: str = "",
) -> str:
    """The alert's one-line summary in ``lang`` (generated text, never personal data)."""
    words = TEXTS[lang]
    what = words[rule].format(weeks=weeks) if rule in words else text
    scope = team or words["office"]
    shown = "n/a" if value is None else f"{value:g}"
    return f"{scope}: {what} ({shown}, {words['threshold']} {threshold:g})"[:500]


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
