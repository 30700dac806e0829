"""Make an empty pull an empty pull: nats-py's fetch can time out with the wrong exception type.

``JetStreamContext.PullSubscription.fetch`` raises ``nats.errors.TimeoutError`` when no
message came, except on one path (``_fetch_n``, when the deadline runs out between its
no-wait probe and its lingering request), where it raises the builtin ``TimeoutError``.
FastStream 0.7's pull loop suppresses only the former, so the latter escapes, its
supervisor logs an ERROR with a traceback and restarts the consume task. Nothing is lost,
but operators get alarming noise for an idle consumer. This wrapper raises the type
FastStream expects; every other error passes unchanged.
"""

from __future__ import annotations

import functools
from typing import Any

import nats.errors
from nats.js import JetStreamContext

_MARK = "_lotse_timeout_normalised"


def normalise_fetch_timeouts() -> None:
    """Idempotent: wrap ``PullSubscription.fetch`` once per process."""
    cls = JetStreamContext.PullSubscription
    original = cls.fetch
    if getattr(original, _MARK, False):
        return

    @functools.wraps(original)
    async def fetch(self: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return await original(self, *args, **kwargs)
        except nats.errors.TimeoutError:
            raise
        except TimeoutError as exc:
            raise nats.errors.TimeoutError from exc

    setattr(fetch, _MARK, True)
    cls.fetch = fetch  # type: ignore[method-assign]
