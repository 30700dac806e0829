"""The projection's facts: aggregates-ready and free of personal data.

No ticket numbers, names, contact data, free text or nationality are ever stored here;
``case_id`` is pseudonymous and only joins a notification to its case.
"""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

UTC_INSTANT = sa.DateTime(timezone=True)


class CaseFactBase(SQLModel):
    """One case as the KPIs see it; either event may come first, so all but the id are optional."""

    case_id: str = Field(max_length=200, primary_key=True)
    received_at: datetime | None = Field(default=None, sa_type=UTC_INSTANT)
    received_on: date | None = Field(default=None, index=True)
    concern: str | None = Field(default=None, max_length=100)
    channel: str | None = Field(default=None, max_length=20)
    language: str | None = Field(default=None, max_length=35)
    team: str | None = Field(default=None, max_length=100)
    missing_documents_count: int | None = None
    urgent_travel: bool | None = None
    routed_at: datetime | None = Field(default=None, sa_type=UTC_INSTANT)
    routed_on: date | None = Field(default=None, index=True)
    priority: str | None = Field(default=None, max_length=20)
    routed_team: str | None = Field(default=None, max_length=100)
    permit_expiry_month: str | None = Field(default=None, max_length=7)
    claimed_at: datetime | None = Field(default=None, sa_type=UTC_INSTANT)
    documents_requested_at: datetime | None = Field(default=None, sa_type=UTC_INSTANT)
    decided_at: datetime | None = Field(default=None, sa_type=UTC_INSTANT)
    decided_on: date | None = None
    outcome: str | None = Field(default=None, max_length=20)
    within_target: bool | None = None
    closed_at: datetime | None = Field(default=None, sa_type=UTC_INSTANT)
    closed_on: date | None = None


class CaseFact(CaseFactBase, table=True):
    """The table ``case_facts``."""

    __tablename__ = "case_facts"


class NotificationFactBase(SQLModel):
    """One notification outcome; ``channel`` is the notification's, not the application's."""

    notification_id: str = Field(max_length=200, primary_key=True)
    case_id: str = Field(max_length=200, index=True)
    kind: str = Field(max_length=100)
    channel: str = Field(max_length=20)
    outcome: str = Field(max_length=10, description="sent or failed")
    at: datetime = Field(sa_type=UTC_INSTANT)
    occurred_on: date = Field(index=True)


class NotificationFact(NotificationFactBase, table=True):
    """The table ``notification_facts``."""

    __tablename__ = "notification_facts"


class DuplicateFact(SQLModel, table=True):
    """A submission intake joined to an open case (no person, only the case it joined)."""

    __tablename__ = "duplicate_facts"

    submission_id: str = Field(max_length=200, primary_key=True)
    case_id: str = Field(max_length=200, index=True)
    channel: str = Field(max_length=20)
    language: str = Field(max_length=35)
    occurred_on: date = Field(index=True)


class AppointmentFact(SQLModel, table=True):
    """A booked appointment: how many days from booking to the slot."""

    __tablename__ = "appointment_facts"

    appointment_id: str = Field(max_length=200, primary_key=True)
    case_id: str = Field(max_length=200)
    team: str = Field(max_length=100)
    concern: str = Field(max_length=100)
    language: str = Field(max_length=35)
    booked_on: date = Field(index=True)
    wait_days: float


class SurveyFact(SQLModel, table=True):
    """A satisfaction score, detached from any case."""

    __tablename__ = "survey_facts"

    survey_id: str = Field(max_length=200, primary_key=True)
    score: int
    concern: str = Field(max_length=100)
    team: str | None = Field(default=None, max_length=100)
    channel: str | None = Field(default=None, max_length=20)
    language: str = Field(max_length=35)
    answered_on: date = Field(index=True)


class OutboxReport(SQLModel, table=True):
    """A producer said its outbox backlog passed its threshold (counts and age only)."""

    __tablename__ = "outbox_reports"

    report_id: str = Field(max_length=200, primary_key=True)
    producer: str = Field(max_length=20)
    pending: int
    oldest_age_seconds: float
    reported_at: datetime = Field(sa_type=UTC_INSTANT, index=True)


class AlertBase(SQLModel):
    """An early-warning alert: generated text only, never personal data."""

    alert_id: str = Field(max_length=200, primary_key=True)
    rule: str = Field(max_length=64)
    team: str | None = Field(default=None, max_length=100)
    severity: str = Field(max_length=10)
    summary: str = Field(max_length=500)
    summary_de: str | None = Field(default=None, max_length=500)
    value: float | None = None
    threshold: float | None = None
    active: bool
    raised_at: datetime = Field(sa_type=UTC_INSTANT)
    cleared_at: datetime | None = Field(default=None, sa_type=UTC_INSTANT)


class Alert(AlertBase, table=True):
    """The table ``alerts``: one row per alert id, its latest raise and clear."""

    __tablename__ = "alerts"


class AlertPublic(AlertBase):
    """An alert as ``GET /v1/alerts`` shows it."""
