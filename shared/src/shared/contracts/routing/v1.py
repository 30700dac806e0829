"""Events produced by routing, major version 1: triage and the case lifecycle."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field

from shared.contracts.envelope import CloudEvent, EventData

Priority = Literal["urgent", "high", "normal", "low"]


class CaseRoutedData(EventData):
    """A triage decision that explains itself: priority, team, reasons and rule version."""

    case_id: str
    ticket: str
    concern: str
    team: str
    priority: Priority
    reasons: list[str] = Field(description="plain-language reasons for the priority")
    rule_version: str
    due_on: str | None = Field(default=None, description="ISO date the service target falls due")
    language: str
    channel: str


class CaseRouted(CloudEvent):
    """Routing triaged a case and put it in a team's queue."""

    producer: ClassVar[str] = "routing"
    name: ClassVar[str] = "case_routed"
    major: ClassVar[int] = 1
    type: Literal["de.lotse.routing.case_routed.v1"] = "de.lotse.routing.case_routed.v1"
    data: CaseRoutedData


class CaseActionData(EventData):
    """Common to every caseworker action: which case, which team, who (a staff id, no name)."""

    case_id: str
    ticket: str
    team: str
    actor: str = Field(description="pseudonymous staff id of whoever acted")


class CaseClaimed(CloudEvent):
    """A caseworker took the case; nobody else can hold it now."""

    producer: ClassVar[str] = "routing"
    name: ClassVar[str] = "case_claimed"
    major: ClassVar[int] = 1
    type: Literal["de.lotse.routing.case_claimed.v1"] = "de.lotse.routing.case_claimed.v1"
    data: CaseActionData


class CaseReleased(CloudEvent):
    """A caseworker gave the case back to the team queue."""

    producer: ClassVar[str] = "routing"
    name: ClassVar[str] = "case_released"
    major: ClassVar[int] = 1
    type: Literal["de.lotse.routing.case_released.v1"] = "de.lotse.routing.case_released.v1"
    data: CaseActionData


class DocumentsRequestedData(CaseActionData):
    """What the applicant must send; the service-level clock pauses until it arrives."""

    documents: list[str] = Field(description="catalogue document keys")
    language: str
    concern: str
    reply_by: str | None = Field(default=None, description="ISO date asked for")


class DocumentsRequested(CloudEvent):
    """The case waits for the applicant (clock paused); notify asks them in their language."""

    producer: ClassVar[str] = "routing"
    name: ClassVar[str] = "documents_requested"
    major: ClassVar[int] = 1
    type: Literal["de.lotse.routing.documents_requested.v1"] = (
        "de.lotse.routing.documents_requested.v1"
    )
    data: DocumentsRequestedData


class CaseResumedData(CaseActionData):
    """The clock runs again; ``paused_days`` business days were not counted."""

    paused_business_days: int
    due_on: str | None = None


class CaseResumed(CloudEvent):
    """What the case waited for arrived; it is back in the queue with its clock running."""

    producer: ClassVar[str] = "routing"
    name: ClassVar[str] = "case_resumed"
    major: ClassVar[int] = 1
    type: Literal["de.lotse.routing.case_resumed.v1"] = "de.lotse.routing.case_resumed.v1"
    data: CaseResumedData


class CaseForwardedData(CaseActionData):
    """``team`` is the new team; ``from_team`` the old one."""

    from_team: str
    reason_code: str = Field(max_length=64, description="a code, never free text")


class CaseForwarded(CloudEvent):
    """The case moved to another team's queue."""

    producer: ClassVar[str] = "routing"
    name: ClassVar[str] = "case_forwarded"
    major: ClassVar[int] = 1
    type: Literal["de.lotse.routing.case_forwarded.v1"] = "de.lotse.routing.case_forwarded.v1"
    data: CaseForwardedData


Outcome = Literal["granted", "refused", "withdrawn", "referred"]


class CaseDecidedData(CaseActionData):
    """The decision; ``referral`` names an agency from notify's directory when referred."""

    outcome: Outcome
    concern: str
    language: str
    referral: str | None = None
    within_target: bool | None = None


class CaseDecided(CloudEvent):
    """A decision is ready; notify tells the applicant what to do next."""

    producer: ClassVar[str] = "routing"
    name: ClassVar[str] = "case_decided"
    major: ClassVar[int] = 1
    type: Literal["de.lotse.routing.case_decided.v1"] = "de.lotse.routing.case_decided.v1"
    data: CaseDecidedData


class CaseClosed(CloudEvent):
    """The case is finished; retention periods start now."""

    producer: ClassVar[str] = "routing"
    name: ClassVar[str] = "case_closed"
    major: ClassVar[int] = 1
    type: Literal["de.lotse.routing.case_closed.v1"] = "de.lotse.routing.case_closed.v1"
    data: CaseActionData


EscalationLevel = Literal["caseworker", "team_lead", "head_of_office"]


class DeadlineAlertData(EventData):
    """A clock reached a threshold of its target (e.g. 80 %) or passed it."""

    case_id: str
    ticket: str
    team: str
    level: EscalationLevel
    due_on: str
    elapsed_share: float = Field(description="business days used / target, e.g. 0.8")
    breached: bool


class DeadlineWarningRaised(CloudEvent):
    """Pre-breach warning: the case will miss its target unless someone acts."""

    producer: ClassVar[str] = "routing"
    name: ClassVar[str] = "deadline_warning_raised"
    major: ClassVar[int] = 1
    type: Literal["de.lotse.routing.deadline_warning_raised.v1"] = (
        "de.lotse.routing.deadline_warning_raised.v1"
    )
    data: DeadlineAlertData


class CaseEscalated(CloudEvent):
    """The next rung of the ladder (caseworker → team lead → head of office) was alerted."""

    producer: ClassVar[str] = "routing"
    name: ClassVar[str] = "case_escalated"
    major: ClassVar[int] = 1
    type: Literal["de.lotse.routing.case_escalated.v1"] = "de.lotse.routing.case_escalated.v1"
    data: DeadlineAlertData


class QueueChangedData(EventData):
    """One change to a team's live queue, for caseworker UIs other than routing's own."""

    team: str
    ticket: str
    change: Literal["added", "claimed", "released", "updated", "removed"]
    priority: Priority | None = None


class QueueChanged(CloudEvent):
    """A team's work list changed."""

    producer: ClassVar[str] = "routing"
    name: ClassVar[str] = "queue_changed"
    major: ClassVar[int] = 1
    type: Literal["de.lotse.routing.queue_changed.v1"] = "de.lotse.routing.queue_changed.v1"
    data: QueueChangedData


class AppointmentData(EventData):
    """An appointment slot held for a case (times are ISO 8601 with offset)."""

    case_id: str
    ticket: str
    team: str
    appointment_id: str
    starts_at: str
    ends_at: str
    location: str = Field(description="the office's address or room, not the applicant's")
    emergency: bool = False
    language: str
    concern: str
    by: Literal["applicant", "staff", "system"] = "system"


class AppointmentBooked(CloudEvent):
    """A slot was booked for the case; notify sends date, place, what to bring and an .ics."""

    producer: ClassVar[str] = "routing"
    name: ClassVar[str] = "appointment_booked"
    major: ClassVar[int] = 1
    type: Literal["de.lotse.routing.appointment_booked.v1"] = (
        "de.lotse.routing.appointment_booked.v1"
    )
    data: AppointmentData


class AppointmentRebookedData(AppointmentData):
    previous_starts_at: str


class AppointmentRebooked(CloudEvent):
    """The appointment moved to another slot."""

    producer: ClassVar[str] = "routing"
    name: ClassVar[str] = "appointment_rebooked"
    major: ClassVar[int] = 1
    type: Literal["de.lotse.routing.appointment_rebooked.v1"] = (
        "de.lotse.routing.appointment_rebooked.v1"
    )
    data: AppointmentRebookedData


class AppointmentCancelled(CloudEvent):
    """The appointment was cancelled and its slot released."""

    producer: ClassVar[str] = "routing"
    name: ClassVar[str] = "appointment_cancelled"
    major: ClassVar[int] = 1
    type: Literal["de.lotse.routing.appointment_cancelled.v1"] = (
        "de.lotse.routing.appointment_cancelled.v1"
    )
    data: AppointmentData


class AppointmentChangeRefusedData(EventData):
    """Why an applicant's request to cancel or move their appointment was not carried out."""

    case_id: str
    ticket: str
    action: Literal["cancel", "rebook"]
    reason: Literal["no_appointment", "too_late", "no_seat"] = Field(
        description="no appointment to change, it has begun or passed, or no later seat is free"
    )
    request_id: str = Field(description="the id of the AppointmentChangeRequested event")


class AppointmentChangeRefused(CloudEvent):
    """Routing could not cancel or move the appointment as asked; notify tells the applicant."""

    producer: ClassVar[str] = "routing"
    name: ClassVar[str] = "appointment_change_refused"
    major: ClassVar[int] = 1
    type: Literal["de.lotse.routing.appointment_change_refused.v1"] = (
        "de.lotse.routing.appointment_change_refused.v1"
    )
    data: AppointmentChangeRefusedData
