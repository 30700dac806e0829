"""Partner systems' CloudEvents (structured or binary mode) -> the same submit command."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from typing import Any

import orjson
from cloudevents.core.bindings.http import HTTPMessage, from_http_event
from cloudevents.core.exceptions import BaseCloudEventException
from pydantic import ValidationError

from intake.entrypoints.schemas import ApplicationIn
from intake.service_layer.commands import IdempotencyKey, SubmitApplication

MAX_EVENT_BYTES = 256 * 1024


class PartnerEventError(ValueError):
    """The CloudEvent is unusable; ``errors`` name each field (no values)."""

    def __init__(self, errors: list[dict[str, str]]) -> None:
        super().__init__("; ".join(f"{e['field']}: {e['reason']}" for e in errors))
        self.errors = errors


def parse_partner_event(
    headers: Mapping[str, str], body: bytes, secret: bytes
) -> tuple[SubmitApplication, IdempotencyKey]:
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
    key = hmac.new(secret, f"{event.get_source()}\x1f{event.get_id()}".encode(), "sha256")
    request_hash = hashlib.sha256(form.model_dump_json().encode()).hexdigest()
    return form.to_command(), IdempotencyKey(key.hexdigest(), request_hash)


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
