"""Contracts -> projection commands: only the fields the KPIs may know survive.

Never kept: ticket numbers, actors (no per-caseworker figures), addresses, free text.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from shared.contracts import (
    ApplicationJoinedCase,
    ApplicationReceived,
    AppointmentBooked,
    CaseClaimed,
    CaseClosed,
    CaseDecided,
    CaseRouted,
    CloudEvent,
    DocumentsRequested,
    NotificationFailed,
    NotificationSent,
    OutboxBacklogExceeded,
    SurveyAnswered,
)
from shared.contracts.envelope import as_utc
from shared.messaging.deadletter import PoisonMessage

from metrics.service_layer.commands import (
    Command,
    Milestone,
    RecordAppointment,
    RecordClosed,
    RecordDecided,
    RecordJoined,
    RecordMilestone,
    RecordNotification,
    RecordOutboxBacklog,
    RecordReceived,
    RecordRouted,
    RecordSurvey,
)

DAY_SECONDS = 86400.0


def to_record_received(event: ApplicationReceived, zone: ZoneInfo) -> RecordReceived:
    data = event.data
    received_at = parse_instant(data.received_at, "data.received_at")
    month = data.permit_expiry_month
    return RecordReceived(
        case_id=data.case_id,
        received_at=received_at,
        received_on=received_at.astimezone(zone).date(),
        concern=data.concern,
        channel=data.channel,
        language=data.language,
        team=data.team,
        missing_documents_count=len(data.missing_documents),
        urgent_travel=data.urgent_travel,
        permit_expiry_month=month if month and _is_month(month) else None,
    )


def to_record_routed(event: CaseRouted, zone: ZoneInfo) -> RecordRouted:
    data, routed_at = event.data, as_utc(event.time)
    return RecordRouted(
        case_id=data.case_id,
        routed_at=routed_at,
        routed_on=routed_at.astimezone(zone).date(),
        priority=data.priority,
        team=data.team,
        concern=data.concern,
        channel=data.channel,
        language=data.language,
    )


def to_record_notification(
    event: NotificationSent | NotificationFailed, zone: ZoneInfo
) -> RecordNotification:
    data, at = event.data, as_utc(event.time)
    return RecordNotification(
        notification_id=data.notification_id,
        case_id=data.case_id,
        kind=data.kind[:100],
        channel=data.channel,
        outcome="sent" if isinstance(event, NotificationSent) else "failed",
        at=at,
        occurred_on=at.astimezone(zone).date(),
    )


def to_record_milestone(event: CaseClaimed | DocumentsRequested) -> RecordMilestone:
    """The actor is dropped here: Lotse keeps no per-caseworker figures."""
    milestone: Milestone = (
        "claimed_at" if isinstance(event, CaseClaimed) else "documents_requested_at"
    )
    return RecordMilestone(case_id=event.data.case_id, milestone=milestone, at=as_utc(event.time))


def to_record_decided(event: CaseDecided, zone: ZoneInfo) -> RecordDecided:
    data, at = event.data, as_utc(event.time)
    return RecordDecided(
        case_id=data.case_id,
        decided_at=at,
        decided_on=at.astimezone(zone).date(),
        outcome=data.outcome,
        within_target=data.within_target,
        team=data.team,
    )


def to_record_closed(event: CaseClosed, zone: ZoneInfo) -> RecordClosed:
    at = as_utc(event.time)
    return RecordClosed(
        case_id=event.data.case_id, closed_at=at, closed_on=at.astimezone(zone).date()
    )


def to_record_joined(event: ApplicationJoinedCase, zone: ZoneInfo) -> RecordJoined:
    data = event.data
    return RecordJoined(
        submission_id=data.submission_id,
        case_id=data.case_id,
        channel=data.channel,
        language=data.language,
        occurred_on=as_utc(event.time).astimezone(zone).date(),
    )


def to_record_appointment(event: AppointmentBooked, zone: ZoneInfo) -> RecordAppointment:
    data, booked_at = event.data, as_utc(event.time)
    starts_at = parse_instant(data.starts_at, "data.starts_at")
    wait = max(0.0, (starts_at - booked_at).total_seconds() / DAY_SECONDS)
    return RecordAppointment(
        appointment_id=data.appointment_id,
        case_id=data.case_id,
        team=data.team,
        concern=data.concern,
        language=data.language,
        booked_on=booked_at.astimezone(zone).date(),
        wait_days=round(wait, 3),
    )


def to_record_survey(event: SurveyAnswered, zone: ZoneInfo) -> RecordSurvey:
    data = event.data
    return RecordSurvey(
        survey_id=data.survey_id,
        score=data.score,
        concern=data.concern,
        team=data.team,
        channel=data.channel,
        language=data.language,
        answered_on=as_utc(event.time).astimezone(zone).date(),
    )


def to_record_outbox_backlog(event: OutboxBacklogExceeded) -> RecordOutboxBacklog:
    return RecordOutboxBacklog(
        report_id=event.id,
        producer=event.producer,
        pending=event.data.pending,
        oldest_age_seconds=event.data.oldest_age_seconds,
        reported_at=as_utc(event.time),
    )


def _zoneless(translate: Callable[[Any], Command]) -> Callable[[Any, ZoneInfo], Command]:
    return lambda event, _zone: translate(event)


TRANSLATORS: dict[type[CloudEvent], Callable[[Any, ZoneInfo], Command]] = {
    ApplicationReceived: to_record_received,
    CaseRouted: to_record_routed,
    NotificationSent: to_record_notification,
    NotificationFailed: to_record_notification,
    CaseClaimed: _zoneless(to_record_milestone),
    DocumentsRequested: _zoneless(to_record_milestone),
    CaseDecided: to_record_decided,
    CaseClosed: to_record_closed,
    ApplicationJoinedCase: to_record_joined,
    AppointmentBooked: to_record_appointment,
    SurveyAnswered: to_record_survey,
    OutboxBacklogExceeded: _zoneless(to_record_outbox_backlog),
}


def translator(event: type[CloudEvent]) -> Callable[[Any, ZoneInfo], Command]:
    """The translator of one consumed event type (replay looks it up once per stream)."""
    for cls in event.__mro__:
        if cls in TRANSLATORS:
            return TRANSLATORS[cls]
    msg = f"metrics does not consume {event.__name__}"
    raise TypeError(msg)


def to_command(event: CloudEvent, zone: ZoneInfo) -> Command:
    """Any consumed event as its projection command (subscribers and replay share this)."""
    return translator(type(event))(event, zone)


def parse_instant(value: str, field: str) -> datetime:
    """An ISO 8601 instant as aware UTC; a value that never parses is a poison message."""
    try:
        return as_utc(datetime.fromisoformat(value))
    except ValueError as exc:
        msg = f"invalid event: {field} is not an ISO 8601 instant"
        raise PoisonMessage(msg) from exc


@lru_cache(maxsize=4096)
def _is_month(value: str) -> bool:
    try:
        datetime.strptime(value, "%Y-%m")
    except ValueError:
        return False
    return len(value) == 7
