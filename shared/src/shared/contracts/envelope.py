"""The CloudEvents 1.0 envelope every Lotse event travels in (structured JSON mode)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any, ClassVar, Self

from pydantic import BaseModel, ConfigDict, Field

SPEC_VERSION = "1.0"
CONTENT_TYPE = "application/cloudevents+json"
TYPE_PREFIX = "de.lotse"


def new_event_id() -> str:
    """A fresh, globally unique event id (also the JetStream ``Nats-Msg-Id``)."""
    return str(uuid.uuid4())


def utcnow() -> datetime:
    return datetime.now(UTC)


def as_utc(moment: datetime) -> datetime:
    """Naive instants (SQLite hands them back so) are UTC; aware ones are converted."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


class EventData(BaseModel):
    """Base of every event's ``data``: tolerant of fields added in later minor versions."""

    model_config = ConfigDict(extra="ignore", frozen=True)


class CloudEvent(BaseModel):
    """CloudEvents 1.0 attributes plus two extensions, ``correlationid`` and ``schemaversion``.

    Subclasses fix ``producer``, ``name`` and ``major``; ``type`` is derived from them, so a
    consumer can tell a v1 from a v2 event by subject *and* by attribute.
    """

    model_config = ConfigDict(extra="ignore", frozen=True)

    producer: ClassVar[str]
    name: ClassVar[str]
    major: ClassVar[int]
    minor: ClassVar[int] = 0

    specversion: str = SPEC_VERSION
    id: str = Field(default_factory=new_event_id, min_length=1, max_length=200)
    source: str = Field(min_length=1, max_length=500)
    type: str = Field(min_length=1, max_length=200)
    time: datetime = Field(default_factory=utcnow)
    subject: str = Field(min_length=1, max_length=200, description="the case id")
    datacontenttype: str = "application/json"
    correlationid: str = Field(min_length=1, max_length=200)
    schemaversion: str
    data: Any

    @classmethod
    def event_type(cls) -> str:
        return f"{TYPE_PREFIX}.{cls.producer}.{cls.name}.v{cls.major}"

    @classmethod
    def schema_version(cls) -> str:
        return f"{cls.major}.{cls.minor}"

    @classmethod
    def build(
        cls,
        *,
        subject: str,
        data: BaseModel,
        correlation_id: str | None = None,
        event_id: str | None = None,
        time: datetime | None = None,
    ) -> Self:
        """Build an event with every CloudEvents attribute filled in from the class."""
        eid = event_id or new_event_id()
        return cls(
            id=eid,
            source=f"/lotse/{cls.producer}",
            type=cls.event_type(),
            time=time or utcnow(),
            subject=subject,
            correlationid=correlation_id or eid,
            schemaversion=cls.schema_version(),
            data=data,
        )

    def to_json_bytes(self) -> bytes:
        return self.model_dump_json().encode()
