"""Intake's own tables. Personal data lives only in ``applicant_details``."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel


class ApplicationBase(SQLModel):
    """The pseudonymous facts of an application (no personal data)."""

    ticket: str = Field(max_length=16, unique=True)
    concern: str = Field(max_length=64)
    channel: str = Field(max_length=16)
    language: str = Field(max_length=35)
    received_at: datetime = Field(sa_type=sa.DateTime(timezone=True))
    missing_documents: list[str] = Field(default_factory=list, sa_type=sa.JSON)
    submitted_documents: list[str] = Field(default_factory=list, sa_type=sa.JSON)
    vulnerability_flags: list[str] = Field(default_factory=list, sa_type=sa.JSON)
    staff_id: str | None = Field(default=None, max_length=64)


class ApplicationRow(ApplicationBase, table=True):
    __tablename__ = "applications"

    case_id: str = Field(primary_key=True, max_length=36)
    permit_expires_on: date | None = None
    travel_date: date | None = None
    urgent_travel: bool = False
    walk_in: bool = False
    tracking_code_hash: str = Field(max_length=64, unique=True)
    duplicate_key: str | None = Field(default=None, max_length=64, index=True)
    closed_at: datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))
    erased_at: datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))


class ApplicantDetails(SQLModel, table=True):
    """Personal data and free text, kept apart so it can be erased on its own."""

    __tablename__ = "applicant_details"

    case_id: str = Field(primary_key=True, foreign_key="applications.case_id", max_length=36)
    family_name: str = Field(max_length=200)
    given_name: str | None = Field(default=None, max_length=200)
    date_of_birth: date | None = None
    nationality: str | None = Field(default=None, max_length=3)
    email: str | None = Field(default=None, max_length=254)
    phone: str | None = Field(default=None, max_length=40)
    postal_address: str | None = Field(default=None, max_length=500)
    urgency_reason: str | None = Field(default=None, sa_type=sa.Text)
    message: str | None = Field(default=None, sa_type=sa.Text)


class IdempotencyRecord(SQLModel, table=True):
    """An ``Idempotency-Key`` seen before (stored as sha256) and the case it created."""

    __tablename__ = "idempotency_keys"

    key_hash: str = Field(primary_key=True, max_length=64)
    request_hash: str = Field(max_length=64)
    case_id: str = Field(foreign_key="applications.case_id", max_length=36)
    created_at: datetime = Field(sa_type=sa.DateTime(timezone=True))


class DocumentBase(SQLModel):
    """An attachment in the blob store: reference and checksum, never the bytes."""

    document_id: str = Field(primary_key=True, max_length=36)
    kind: str = Field(max_length=64)
    sha256: str = Field(max_length=64)
    size: int
    content_type: str = Field(max_length=40)
    channel: str = Field(max_length=16)
    added_at: datetime = Field(sa_type=sa.DateTime(timezone=True))


class DocumentRow(DocumentBase, table=True):
    __tablename__ = "documents"

    case_id: str = Field(foreign_key="applications.case_id", max_length=36, index=True)


class DocumentPublic(DocumentBase):
    """The staff view of an attachment (download it by ``document_id``)."""


class JoinedSubmission(SQLModel, table=True):
    """A later submission linked to an open case, with its own tracking code (hash)."""

    __tablename__ = "joined_submissions"

    submission_id: str = Field(primary_key=True, max_length=36)
    case_id: str = Field(foreign_key="applications.case_id", max_length=36, index=True)
    channel: str = Field(max_length=16)
    received_at: datetime = Field(sa_type=sa.DateTime(timezone=True))
    tracking_code_hash: str = Field(max_length=64, unique=True)


class ApplicationPublic(ApplicationBase):
    """The staff view of an application over HTTP (no personal data)."""

    case_id: str
    closed_at: datetime | None = None
    erased_at: datetime | None = None
