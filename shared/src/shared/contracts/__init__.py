"""Lotse's wire contracts: every event, by producer and major version."""

from shared.contracts.envelope import CloudEvent, EventData
from shared.contracts.intake.v1 import ApplicantContactRecorded, ApplicationReceived
from shared.contracts.notify.v1 import NotificationFailed, NotificationSent
from shared.contracts.routing.v1 import CaseRouted

ALL_EVENTS: tuple[type[CloudEvent], ...] = (
    ApplicationReceived,
    ApplicantContactRecorded,
    CaseRouted,
    NotificationSent,
    NotificationFailed,
)

__all__ = [
    "ALL_EVENTS",
    "ApplicantContactRecorded",
    "ApplicationReceived",
    "CaseRouted",
    "CloudEvent",
    "EventData",
    "NotificationFailed",
    "NotificationSent",
]
