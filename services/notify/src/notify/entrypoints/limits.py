"""Limits on what a caller may send: request body size (ASGI) and request rate per client."""

from __future__ import annotations

from typing import Any

from fastapi import HTTPException, Request
from shared.http import problem

from notify.adapters.ratelimit import RateLimiter

TOO_LARGE = "request body too large"


class BodyLimit:
    """Refuses bodies over ``max_bytes`` with 413, by Content-Length or while streaming."""

    def __init__(self, app: Any, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = dict(scope.get("headers") or []).get(b"content-length", b"")
        if length.isdigit() and int(length) > self.max_bytes:
            await problem(413, TOO_LARGE)(scope, receive, send)
            return
        received = 0

        async def limited() -> Any:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.max_bytes:
                raise HTTPException(413, TOO_LARGE)
            return message

        await self.app(scope, limited, send)


def client_key(request: Request, purpose: str) -> str:
    return f"{purpose}:{request.client.host if request.client else '-'}"


def allowed(limiter: RateLimiter, request: Request, purpose: str) -> bool:
    """Whether this client may make another ``purpose`` request in the current minute."""
    return limiter.allow(client_key(request, purpose))
