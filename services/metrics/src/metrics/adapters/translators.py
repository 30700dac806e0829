"""Contracts -> projection commands: only the fields the KPIs may know survive."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from shared.contracts import ApplicationReceived, CaseRouted, NotificationFailed, NotificationSent
from shared.contracts.envelope import as_utc
from shared.messaging.deadletter import PoisonMessage

from metrics.service_layer.commands import RecordNotification, RecordReceived, RecordRouted


def to_record_received(event: ApplicationReceived, zone: ZoneInfo) -> RecordReceived:
    data = event.data
    received_at = parse_instant(data.received_at, "data.received_at")
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


def parse_instant(value: str, field: str) -> datetime:
    """An ISO 8601 instant as aware UTC; a value that never parses is a poison message."""
    try:
        return as_utc(datetime.fromisoformat(value))
    except ValueError as exc:
        msg = f"invalid event: {field} is not an ISO 8601 instant"
        raise PoisonMessage(msg) from exc
