"""SQLModel family of a routed case: the stored row and the HTTP views."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel


class CaseBase(SQLModel):
    ticket: str = Field(max_length=50, unique=True)
    case_id: str = Field(max_length=200, primary_key=True)
    concern: str = Field(max_length=100)
    team: str = Field(max_length=100)
    priority: str = Field(max_length=20)
    reasons: list[str] = Field(default_factory=list, sa_type=sa.JSON)
    rule_version: str = Field(max_length=40)
    status: str = Field(max_length=20)
    language: str = Field(max_length=35)
    channel: str = Field(max_length=20)
    received_at: datetime = Field(sa_type=sa.DateTime(timezone=True))
    routed_at: datetime = Field(sa_type=sa.DateTime(timezone=True))
    due_on: date | None = None
    claimed_by: str | None = Field(default=None, max_length=100)
    paused_business_days: int = 0
    outcome: str | None = Field(default=None, max_length=20)


class CaseRecord(CaseBase, table=True):
    """One routed case (the table ``cases``); ``version`` guards every change (409 on a race)."""

    __tablename__ = "cases"
    __table_args__ = (sa.Index("ix_cases_team_status", "team", "status"),)
    target_days: int = 0
    paused_on: date | None = None
    version: int = 1


class TimerRecord(SQLModel, table=True):
    """A durable alarm of a case's clock; ``fired_at`` is set exactly once (table ``timers``)."""

    __tablename__ = "timers"
    __table_args__ = (sa.Index("ix_timers_due", "fired_at", "fire_at"),)
    case_id: str = Field(max_length=200, primary_key=True)
    level: str = Field(max_length=20, primary_key=True)
    fire_at: datetime = Field(sa_type=sa.DateTime(timezone=True))
    due_on: date
    elapsed_share: float
    breached: bool
    fired_at: datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))


class CasePublic(CaseBase):
    """A case as ``GET /v1/cases/{ticket}`` shows it."""


class QueueEntryPublic(SQLModel):
    """One line of a team's work list."""

    ticket: str
    priority: str
    reasons: list[str]
    language: str
    waiting_since: datetime
    status: str
    due_on: date | None
    claimed_by: str | None


class QueuePublic(SQLModel):
    """A team's work list, most pressing first, then oldest first."""

    team: str
    cases: list[QueueEntryPublic]
    hold: list[str] = Field(
        default_factory=list,
        description="tickets waiting for a caseworker with capacity (teams with a roster)",
    )


class AppointmentRecord(SQLModel, table=True):
    """A booked seat (``appointments``): unique per team, slot start and seat; one per case."""

    __tablename__ = "appointments"
    __table_args__ = (sa.UniqueConstraint("team", "starts_at", "seat", name="uq_appointment_seat"),)
    appointment_id: str = Field(max_length=64, primary_key=True)
    case_id: str = Field(max_length=200, unique=True)
    ticket: str = Field(max_length=50)
    team: str = Field(max_length=100)
    starts_at: datetime = Field(sa_type=sa.DateTime(timezone=True))
    ends_at: datetime = Field(sa_type=sa.DateTime(timezone=True))
    seat: int
    emergency: bool = False
    location: str = Field(max_length=200)


class AppointmentPublic(SQLModel):
    """A case's appointment as staff see it."""

    appointment_id: str
    ticket: str
    team: str
    starts_at: datetime
    ends_at: datetime
    location: str
    emergency: bool
