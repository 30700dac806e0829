"""Partner systems' CloudEvents (structured or binary mode) -> the same submit command."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import orjson
from cloudevents.core.bindings.http import HTTPMessage, from_http_event
from cloudevents.core.exceptions import BaseCloudEventException
from pydantic import ValidationError

from intake.domain.tracking import partner_event_key
from intake.entrypoints.schemas import ApplicationIn
from intake.service_layer.commands import IdempotencyKey, SubmitApplication

MAX_EVENT_BYTES = 256 * 1024


class PartnerEventError(ValueError):
    """The CloudEvent is unusable; ``errors`` name each field (no values)."""

    def __init__(self, errors: list[dict[str, str]]) -> None:
        super().__init__("; ".join(f"{e['field']}: {e['reason']}" for e in errors))
        self.errors = errors


@dataclass(frozen=True)
class PartnerEvent:
    command: SubmitApplication
    idem: IdempotencyKey
    source: str


def parse_partner_event(headers: Mapping[str, str], body: bytes, secret: bytes) -> PartnerEvent:
    """The command, and the idempotency key made of the event's ``source`` and ``id``."""
    if len(body) > MAX_EVENT_BYTES:
        raise PartnerEventError([{"field": "body", "reason": f"over {MAX_EVENT_BYTES} bytes"}])
    lowered = {k.lower(): v for k, v in headers.items()}
    try:
        event = from_http_event(HTTPMessage(headers=lowered, body=body))
    except (BaseCloudEventException, ValueError, TypeError) as exc:
        raise PartnerEventError([{"field": "cloudevent", "reason": _reason(exc)}]) from exc
    data = event.get_data()
    if isinstance(data, bytes | str):
        data = _json(data)
    if not isinstance(data, dict):
        raise PartnerEventError([{"field": "data", "reason": "must be a JSON object"}])
    try:
        form = ApplicationIn.model_validate({**data, "channel": "partner"})
    except ValidationError as exc:
        raise PartnerEventError(_errors(exc)) from exc
    key = partner_event_key(secret, event.get_source(), event.get_id())
    request_hash = hashlib.sha256(form.model_dump_json().encode()).hexdigest()
    return PartnerEvent(form.to_command(), IdempotencyKey(key, request_hash), event.get_source())


def _json(raw: bytes | str) -> Any:
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise PartnerEventError([{"field": "data", "reason": "not valid JSON"}]) from exc


def _errors(exc: ValidationError) -> list[dict[str, str]]:
    return [
        {"field": ".".join(["data", *(str(p) for p in e["loc"])]), "reason": e["msg"]}
        for e in exc.errors(include_url=False)
    ]


def _reason(exc: Exception) -> str:
    """The library's message names attributes, never values of the data."""
    return str(exc).splitlines()[0][:200] or type(exc).__name__
