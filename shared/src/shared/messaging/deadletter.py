"""Dead letters: messages a consumer can never process, parked with the reason for operators."""

from __future__ import annotations

import json
from typing import Any

from pydantic import ValidationError

REASON = "Lotse-Dead-Reason"
ORIGINAL_SUBJECT = "Lotse-Original-Subject"
ORIGINAL_STREAM = "Lotse-Original-Stream"
ORIGINAL_SEQUENCE = "Lotse-Original-Sequence"
CONSUMER = "Lotse-Consumer"
DELIVERIES = "Lotse-Deliveries"


class PoisonMessage(Exception):  # noqa: N818 - the domain's word for it
    """Raised by a consumer for a message that can never become valid. The text must be safe
    to show an operator: no personal data."""


def safe_reason(error: BaseException) -> str:
    """Why processing failed, without echoing any input value (which may be personal data)."""
    if isinstance(error, ValidationError):
        parts = [
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}"
            for e in error.errors(include_input=False, include_url=False)
        ]
        return ("invalid event: " + "; ".join(parts))[:1000]
    if isinstance(error, PoisonMessage):
        return str(error)[:1000]
    if isinstance(error, json.JSONDecodeError | UnicodeDecodeError):
        return "invalid event: body is not JSON"
    return type(error).__name__


def is_poison(error: BaseException) -> bool:
    """A message that fails like this will fail the same way on every redelivery."""
    return isinstance(
        error, ValidationError | PoisonMessage | json.JSONDecodeError | UnicodeDecodeError
    )


def deadletter_headers(
    original: dict[str, Any] | None,
    *,
    reason: str,
    subject: str,
    stream: str,
    sequence: int,
    consumer: str,
    deliveries: int,
) -> dict[str, str]:
    headers = {k: str(v) for k, v in (original or {}).items() if k != "Nats-Msg-Id"}
    headers.update(
        {
            "Nats-Msg-Id": f"dead:{stream}:{sequence}:{consumer}",
            REASON: reason,
            ORIGINAL_SUBJECT: subject,
            ORIGINAL_STREAM: stream,
            ORIGINAL_SEQUENCE: str(sequence),
            CONSUMER: consumer,
            DELIVERIES: str(deliveries),
        }
    )
    return headers
