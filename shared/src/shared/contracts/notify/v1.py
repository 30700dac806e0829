"""Events produced by notify, major version 1."""

from __future__ import annotations

from datetime import date, datetime
from typing import ClassVar, Literal

from pydantic import Field

from shared.contracts.envelope import CloudEvent, EventData

NotificationChannel = Literal["email", "sms", "status_page"]


class NotificationSentData(EventData):
    """A message reached a channel; carries no address and no content."""

    case_id: str
    notification_id: str
    kind: str = Field(description="what the message was about, e.g. 'received'")
    channel: NotificationChannel
    language: str
    cause_event_id: str = Field(description="the event this message answers")


class NotificationSent(CloudEvent):
    """Notify delivered a message to the applicant on one channel."""

    producer: ClassVar[str] = "notify"
    name: ClassVar[str] = "notification_sent"
    major: ClassVar[int] = 1
    type: Literal["de.lotse.notify.notification_sent.v1"] = "de.lotse.notify.notification_sent.v1"
    data: NotificationSentData


class NotificationFailedData(EventData):
    """A message could not be delivered; ``permanent`` means retrying will not help."""

    case_id: str
    notification_id: str
    kind: str
    channel: NotificationChannel
    language: str
    cause_event_id: str
    permanent: bool
    reason: str = Field(max_length=500, description="technical reason, never personal data")


class NotificationFailed(CloudEvent):
    """Notify gave up on a message on one channel."""

    producer: ClassVar[str] = "notify"
    name: ClassVar[str] = "notification_failed"
    major: ClassVar[int] = 1
    type: Literal["de.lotse.notify.notification_failed.v1"] = (
        "de.lotse.notify.notification_failed.v1"
    )
    data: NotificationFailedData


class SurveyAnsweredData(EventData):
    """A satisfaction answer, detached from the person: no case id, no comment text."""

    survey_id: str
    score: int = Field(ge=1, le=5)
    concern: str
    team: str | None = None
    channel: str | None = None
    language: str
    has_comment: bool = False


class SurveyAnswered(CloudEvent):
    """An applicant answered the satisfaction survey (subject = the survey id)."""

    producer: ClassVar[str] = "notify"
    name: ClassVar[str] = "survey_answered"
    major: ClassVar[int] = 1
    type: Literal["de.lotse.notify.survey_answered.v1"] = "de.lotse.notify.survey_answered.v1"
    data: SurveyAnsweredData


AppointmentChangeAction = Literal["cancel", "rebook"]


class AppointmentChangeRequestedData(EventData):
    """What the applicant asked for on the status page; the ticket only, nothing personal."""

    case_id: str
    ticket: str
    action: AppointmentChangeAction
    not_before: date | None = Field(
        default=None, description="rebook: the new appointment no earlier than this day"
    )
    requested_at: datetime


class AppointmentChangeRequested(CloudEvent):
    """The applicant asked (with their tracking code) to cancel or move their appointment."""

    producer: ClassVar[str] = "notify"
    name: ClassVar[str] = "appointment_change_requested"
    major: ClassVar[int] = 1
    type: Literal["de.lotse.notify.appointment_change_requested.v1"] = (
        "de.lotse.notify.appointment_change_requested.v1"
    )
    data: AppointmentChangeRequestedData
