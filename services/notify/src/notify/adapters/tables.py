"""Notify's store: recipients (case state), timeline entries and sent notifications."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

UTC_TS = sa.DateTime(timezone=True)


class RecipientBase(SQLModel):
    case_id: str = Field(primary_key=True, max_length=200)
    ticket: str | None = Field(default=None, max_length=50)
    concern: str | None = Field(default=None, max_length=100)
    language: str | None = Field(default=None, max_length=35)
    received_event_id: str | None = Field(default=None, max_length=200)
    received_at: datetime | None = Field(default=None, sa_type=UTC_TS)
    missing_documents: list[str] = Field(default_factory=list, sa_type=sa.JSON)


class Recipient(RecipientBase, table=True):
    """Case state plus contact data (personal: never logged); the tracking code only hashed."""

    __tablename__ = "recipients"

    tracking_hash: str | None = Field(default=None, max_length=64, unique=True)
    contact_language: str | None = Field(default=None, max_length=35)
    email: str | None = Field(default=None, max_length=320)
    phone: str | None = Field(default=None, max_length=50)
    # The secret in clear only until the confirmation of receipt has gone out (then NULL).
    pending_code: str | None = Field(default=None, max_length=200)
    preferences: dict[str, Any] | None = Field(default=None, sa_type=sa.JSON)
    survey_id: str | None = Field(default=None, max_length=36, unique=True)


class TimelineRow(SQLModel, table=True):
    """One step of a case; details are non-personal (concern, documents, team, priority)."""

    __tablename__ = "timeline"

    id: int | None = Field(default=None, primary_key=True)
    case_id: str = Field(max_length=200, index=True)
    kind: str = Field(max_length=30)
    at: datetime = Field(sa_type=UTC_TS)
    event_id: str | None = Field(default=None, max_length=200)
    details: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON)


class SurveyComment(SQLModel, table=True):
    """An applicant's free-text survey comment (may be personal): never in events or logs."""

    __tablename__ = "survey_comments"

    survey_id: str = Field(primary_key=True, max_length=36)
    case_id: str = Field(max_length=200, index=True)
    comment: str = Field(max_length=2000)
    created_at: datetime = Field(sa_type=UTC_TS, index=True)


class NotificationBase(SQLModel):
    kind: str = Field(max_length=30)
    channel: str = Field(max_length=30)
    created_at: datetime = Field(sa_type=UTC_TS)


class NotificationRow(NotificationBase, table=True):
    """A message sent (or given up on); one per cause event and channel, ever."""

    __tablename__ = "notifications"
    __table_args__ = (
        sa.UniqueConstraint("cause_event_id", "channel", name="uq_notification_once"),
    )

    id: str = Field(primary_key=True, max_length=36)
    case_id: str = Field(max_length=200, index=True)
    status: str = Field(max_length=10)
    cause_event_id: str = Field(max_length=200)
    reason: str | None = Field(default=None, max_length=500)
