"""Body decoding for CloudEvents in structured mode (``application/cloudevents+json``)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import orjson
from faststream.nats import NatsMessage


async def decode_cloudevent(
    msg: NatsMessage, original: Callable[[NatsMessage], Awaitable[Any]]
) -> Any:
    """JSON-decode every JSON body, whatever ``+json`` suffix it carries; else FastStream's way.

    A body that is not JSON raises ``JSONDecodeError``, which the delivery middleware
    treats as poison (dead letter), not as something to retry.
    """
    if isinstance(msg.body, list):
        # a batch consumer's messages: each is decoded on its own (shared.messaging.batch),
        # so one broken message is parked alone instead of failing its whole batch
        return msg.body
    content_type = (msg.content_type or "").split(";")[0].strip().lower()
    if content_type.endswith("json") or not content_type:
        return orjson.loads(msg.body)
    return await original(msg)
