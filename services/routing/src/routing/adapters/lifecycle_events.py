"""Events of a case's life after routing: actions, clock alarms and queue changes."""

from __future__ import annotations

from datetime import date
from typing import Literal

from shared.contracts import (
    CaseClaimed,
    CaseClosed,
    CaseEscalated,
    CaseReleased,
    CaseResumed,
    CloudEvent,
    DeadlineWarningRaised,
    QueueChanged,
)
from shared.contracts.routing.v1 import (
    CaseActionData,
    CaseResumedData,
    DeadlineAlertData,
    QueueChangedData,
)

from routing.domain.case import Case
from routing.service_layer.ports import DueTimer

Change = Literal["added", "claimed", "released", "updated", "removed"]
SIMPLE = {"claim": CaseClaimed, "release": CaseReleased, "close": CaseClosed}


def action_data(case: Case, actor: str) -> dict[str, str]:
    return {"case_id": case.case_id, "ticket": case.ticket, "team": case.team, "actor": actor}


def simple_action_event(action: str, case: Case, actor: str) -> CloudEvent:
    """``CaseClaimed``, ``CaseReleased`` or ``CaseClosed``."""
    data = CaseActionData(**action_data(case, actor))
    return SIMPLE[action].build(subject=case.case_id, data=data, correlation_id=case.case_id)


def case_resumed_event(case: Case, paused_days: int, correlation_id: str) -> CaseResumed:
    data = CaseResumedData(
        **action_data(case, "system"),
        paused_business_days=paused_days,
        due_on=_iso(case.due_on),
    )
    return CaseResumed.build(subject=case.case_id, data=data, correlation_id=correlation_id)


def queue_changed_event(case: Case, change: Change, team: str | None = None) -> QueueChanged:
    """One change to ``team``'s (default: the case's team) live queue."""
    data = QueueChangedData(
        team=team or case.team, ticket=case.ticket, change=change, priority=case.priority.value
    )
    return QueueChanged.build(subject=case.case_id, data=data, correlation_id=case.case_id)


def alarm_event(case: Case, timer: DueTimer) -> DeadlineWarningRaised | CaseEscalated:
    """The warning before the breach, or the next rung of the ladder after it (id per alarm)."""
    data = DeadlineAlertData(
        case_id=case.case_id,
        ticket=case.ticket,
        team=case.team,
        level=timer.level,  # type: ignore[arg-type]
        due_on=timer.due_on.isoformat(),
        elapsed_share=timer.elapsed_share,
        breached=timer.breached,
    )
    kind = CaseEscalated if timer.breached else DeadlineWarningRaised
    event_id = f"{case.case_id}.{timer.level}.{timer.due_on.isoformat()}"
    return kind.build(
        subject=case.case_id, data=data, correlation_id=case.case_id, event_id=event_id
    )


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None
