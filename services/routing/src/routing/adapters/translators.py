"""Contracts <-> commands and views: the only place routing touches event shapes."""

from __future__ import annotations

from datetime import datetime

from shared.contracts import ApplicationReceived, CaseRouted
from shared.contracts.envelope import as_utc
from shared.contracts.routing.v1 import CaseRoutedData
from shared.messaging.deadletter import PoisonMessage

from routing.adapters.tables import CasePublic, QueueEntryPublic
from routing.domain.case import Case
from routing.domain.triage import Facts
from routing.service_layer.commands import RouteCase


def to_route_case(event: ApplicationReceived) -> RouteCase:
    """The command an ``ApplicationReceived`` asks for; ``PoisonMessage`` if it never can be."""
    data = event.data
    if data.case_id != event.subject:
        raise PoisonMessage("invalid event: data.case_id differs from the subject")
    facts = Facts(
        concern=data.concern,
        channel=data.channel,
        walk_in=data.walk_in,
        urgent_travel=data.urgent_travel,
        travel_date=data.travel_date,
        permit_expires_on=data.permit_expires_on,
        vulnerability_flags=frozenset(data.vulnerability_flags),
        received_on=_instant(data.received_at).date(),
    )
    return RouteCase(
        case_id=data.case_id,
        ticket=data.ticket,
        team=data.team,
        language=data.language,
        received_at=_instant(data.received_at),
        facts=facts,
        correlation_id=event.correlationid,
    )


def _instant(text: str) -> datetime:
    try:
        return as_utc(datetime.fromisoformat(text))
    except ValueError as exc:
        raise PoisonMessage("invalid event: data.received_at is not an ISO 8601 instant") from exc


def case_routed_event(case: Case, correlation_id: str) -> CaseRouted:
    """``CaseRouted`` announcing ``case``, in the correlation of the application."""
    data = CaseRoutedData(
        case_id=case.case_id,
        ticket=case.ticket,
        concern=case.concern,
        team=case.team,
        priority=case.priority.value,
        reasons=list(case.reasons),
        rule_version=case.rule_version,
        language=case.language,
        channel=case.channel,
        due_on=case.due_on.isoformat() if case.due_on else None,
    )
    return CaseRouted.build(subject=case.case_id, data=data, correlation_id=correlation_id)


def case_public(case: Case) -> CasePublic:
    return CasePublic(
        ticket=case.ticket,
        case_id=case.case_id,
        concern=case.concern,
        team=case.team,
        priority=case.priority.value,
        reasons=list(case.reasons),
        rule_version=case.rule_version,
        status=case.status.value,
        language=case.language,
        channel=case.channel,
        received_at=case.received_at,
        routed_at=case.routed_at,
        due_on=case.due_on,
        claimed_by=case.claimed_by,
        paused_business_days=case.paused_business_days,
        outcome=case.outcome,
    )


def queue_entry(case: Case) -> QueueEntryPublic:
    return QueueEntryPublic(
        ticket=case.ticket,
        priority=case.priority.value,
        reasons=list(case.reasons),
        language=case.language,
        waiting_since=case.received_at,
        status=case.status.value,
        due_on=case.due_on,
        claimed_by=case.claimed_by,
    )
