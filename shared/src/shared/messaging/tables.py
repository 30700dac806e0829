"""The outbox and inbox tables every service keeps beside its own state."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel


class OutboxMessage(SQLModel, table=True):
    """An event written in the same transaction as the state change it announces."""

    __tablename__ = "outbox"

    id: int | None = Field(default=None, primary_key=True)
    event_id: str = Field(max_length=200, unique=True)
    subject: str = Field(max_length=300)
    payload: bytes = Field(sa_type=sa.LargeBinary)
    headers: str = Field(sa_type=sa.Text, description="JSON object of NATS headers")
    created_at: datetime = Field(sa_type=sa.DateTime(timezone=True))
    sent_at: datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True), index=True)
    attempts: int = 0


class InboxRecord(SQLModel, table=True):
    """An event a consumer has processed; the primary key makes processing idempotent."""

    __tablename__ = "inbox"

    consumer: str = Field(max_length=200, primary_key=True)
    event_id: str = Field(max_length=200, primary_key=True)
    processed_at: datetime = Field(sa_type=sa.DateTime(timezone=True))


def create_delivery_tables_v1() -> None:
    """Alembic operations for ``outbox`` and ``inbox`` as of schema v1 (frozen: never edit)."""
    from alembic import op

    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("event_id", sa.String(200), nullable=False, unique=True),
        sa.Column("subject", sa.String(300), nullable=False),
        sa.Column("payload", sa.LargeBinary(), nullable=False),
        sa.Column("headers", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"),
    )
    op.create_index("ix_outbox_sent_at", "outbox", ["sent_at"])
    op.create_table(
        "inbox",
        sa.Column("consumer", sa.String(200), primary_key=True),
        sa.Column("event_id", sa.String(200), primary_key=True),
        sa.Column("processed_at", sa.DateTime(timezone=True), nullable=False),
    )
