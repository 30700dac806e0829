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
