"""Make an empty pull an empty pull: nats-py's fetch can time out with the wrong exception type.

``JetStreamContext.PullSubscription.fetch`` raises ``nats.errors.TimeoutError`` when no
message came, except on one path (``_fetch_n``, when the deadline runs out between its
no-wait probe and its lingering request), where it raises the builtin ``TimeoutError``.
FastStream 0.7's pull loop suppresses only the former, so the latter escapes, its
supervisor logs an ERROR with a traceback and restarts the consume task. Nothing is lost,
but operators get alarming noise for an idle consumer. This wrapper raises the type
FastStream expects; every other error passes unchanged.

It also ends the gathering of a batch at the first partial fetch (only for the
subscriptions ``gather_what_is_there`` marked: FastStream's batch consumers). FastStream's batch
consumer keeps fetching until its batch is full or its timeout has run out, so at a trickle
every event would wait the whole timeout at every hop. A fetch that returned fewer messages
than asked for means the stream had no more just then: the next fetch of the same
gathering answers "nothing more" at once and the consumer handles what it has. Under load
fetches come back full and batches stay large; an idle consumer still waits the timeout.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import Any

import nats.errors
from nats.js import JetStreamContext

_MARK = "_lotse_timeout_normalised"
_PARTIAL = "_lotse_partial_fetch"
_GATHER = "_lotse_gather_what_is_there"


def normalise_fetch_timeouts() -> None:
    """Idempotent: wrap ``PullSubscription.fetch`` once per process."""
    cls = JetStreamContext.PullSubscription
    original = cls.fetch
    if getattr(original, _MARK, False):
        return

    @functools.wraps(original)
    async def fetch(self: Any, batch: int = 1, *args: Any, **kwargs: Any) -> Any:
        if getattr(self, _PARTIAL, False):
            setattr(self, _PARTIAL, False)
            raise nats.errors.TimeoutError
        try:
            messages = await original(self, batch, *args, **kwargs)
        except nats.errors.TimeoutError:
            raise
        except TimeoutError as exc:
            raise nats.errors.TimeoutError from exc
        if getattr(self, _GATHER, False):
            setattr(self, _PARTIAL, 0 < len(messages) < batch)
        return messages

    setattr(fetch, _MARK, True)
    cls.fetch = fetch  # type: ignore[method-assign]


def gather_what_is_there(subscribers: Iterable[Any]) -> None:
    """Mark the started batch consumers' subscriptions to end a batch at a partial fetch."""
    for subscriber in subscribers:
        pull = getattr(subscriber, "pull_sub", None)
        subscription = getattr(subscriber, "subscription", None)
        if pull is not None and pull.batch and subscription is not None:
            setattr(subscription, _GATHER, True)
