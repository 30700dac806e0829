"""Evaluate the early-warning rules and fire/clear alerts through the outbox."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from datetime import date, datetime, timedelta

from shared.contracts import AlertCleared, AlertRaised
from shared.contracts.metrics.v1 import AlertData
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from metrics.adapters.tables import Alert, CaseFact
from metrics.service_layer import figures as f
from metrics.service_layer.alerts import Condition, Rule, condition, transitions
from metrics.service_layer.forecasting import team_forecast
from metrics.service_layer.lifecycle_queries import case_rows
from metrics.service_layer.queries import Filters, Period
from metrics.service_layer.targets import Targets
from metrics.service_layer.unit_of_work import MetricsUnitOfWork

OPERATIONS_RULES = ("dead_letters", "outbox_backlog")
DeadLetterCount = Callable[[], Awaitable[int | None]]


async def teams(session: AsyncSession) -> list[str]:
    query = select(CaseFact.routed_team).distinct().where(col(CaseFact.routed_team).is_not(None))
    return sorted(str(t) for t in (await session.exec(query)).all())


async def scope_conditions(
    session: AsyncSession, rules: Sequence[Rule], team: str | None, as_of: date, targets: Targets
) -> list[Condition]:
    """Conditions of the team rules for one team (``None`` = the whole office)."""
    rows = await case_rows(session, until=as_of, filters=Filters(team=team))
    out = []
    for rule in rules:
        if rule.rule == "oldest_open":
            ages = f.open_ages(rows, as_of)
            value = float(max(ages)) if ages else None
            limit = rule.param("max_days", 60)
            out.append(condition(rule, team, value, limit, above=True))
        elif rule.rule == "within_target_below":
            goal = targets.for_team(team).get("within_target_share")
            if goal is None:
                continue
            since = Period(as_of - timedelta(days=int(rule.param("period_days", 28)) - 1), as_of)
            hit, judged = f.within_target(rows, since)
            value = round(hit / judged, 4) if judged else None
            out.append(condition(rule, team, value, goal.value, above=False))
        elif rule.rule == "backlog_forecast":
            weeks = int(rule.param("within_weeks", 4))
            fc = await team_forecast(session, team=team, as_of=as_of, weeks=weeks, expiry_share=1.0)
            value = max(w.backlog.point for w in fc.weeks)
            limit = rule.param("threshold", 250)
            out.append(condition(rule, team, value, limit, above=True, weeks=weeks))
    return out


async def gather(
    uow: MetricsUnitOfWork,
    rules: Sequence[Rule],
    targets: Targets,
    as_of: date,
    dead_letters: DeadLetterCount,
    now: datetime | None = None,
) -> list[Condition]:
    """Every rule in every scope, as of ``as_of`` (operations rules as of ``now``)."""
    team_rules = [r for r in rules if r.rule not in OPERATIONS_RULES]
    conditions: list[Condition] = []
    async with uow:
        for team in [None, *await teams(uow.session)]:
            conditions += await scope_conditions(uow.session, team_rules, team, as_of, targets)
    for rule in (r for r in rules if r.rule == "dead_letters"):
        count = await dead_letters()
        if count is not None:  # NATS unreachable: neither fire nor clear
            limit = rule.param("at_least", 1)
            conditions.append(condition(rule, None, float(count), limit - 0.5, above=True))
    if now is not None:
        for rule in (r for r in rules if r.rule == "outbox_backlog"):
            conditions.append(await outbox_condition(uow, rule, now))
    return conditions


async def outbox_condition(uow: MetricsUnitOfWork, rule: Rule, now: datetime) -> Condition:
    """Fires while intake reported an outbox backlog within the last ``window_minutes``.

    Intake reports once per episode and sends no all-clear, so the alert clears when the
    window passes without a new report.
    """
    since = now - timedelta(minutes=rule.param("window_minutes", 30))
    async with uow:
        pending = await uow.facts.latest_outbox_pending(since=since)
    value = None if pending is None else float(pending)
    return condition(rule, None, value, rule.param("at_least", 1) - 0.5, above=True)


async def apply_conditions(
    uow: MetricsUnitOfWork, conditions: Sequence[Condition], now: datetime
) -> tuple[list[str], list[str]]:
    """Raise new alerts and clear ended ones in one transaction; events go via the outbox."""
    async with uow:
        change = transitions(await uow.alerts.active_ids(), conditions)
        for c in change.raise_:
            alert = await uow.alerts.raise_(c, now)
            uow.publish(AlertRaised.build(subject=c.alert_id, data=_data(alert), time=now))
        for alert_id in change.clear:
            cleared = await uow.alerts.clear(alert_id, now)
            if cleared is not None:
                uow.publish(AlertCleared.build(subject=alert_id, data=_data(cleared), time=now))
        await uow.commit()
    return [c.alert_id for c in change.raise_], change.clear


def _data(alert: Alert) -> AlertData:
    return AlertData(
        alert_id=alert.alert_id,
        rule=alert.rule,
        team=alert.team,
        severity=alert.severity,  # type: ignore[arg-type]
        summary=alert.summary,
        value=alert.value,
        threshold=alert.threshold,
    )
