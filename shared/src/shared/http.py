"""The HTTP surface every service shares: health, readiness, metrics, AsyncAPI, problem details."""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Awaitable, Callable, Mapping
from datetime import date, datetime
from http import HTTPStatus
from typing import Annotated, Any

from fastapi import APIRouter, FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import iter_route_contexts
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from pydantic import AwareDatetime, BeforeValidator
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from starlette.exceptions import HTTPException as StarletteHTTPException

from shared.store import is_transient

log = logging.getLogger(__name__)

PROBLEM_JSON = "application/problem+json"
RETRY_AFTER_S = 5

Check = Callable[[], Awaitable[None]]


def problem(
    status: int,
    detail: str,
    *,
    title: str | None = None,
    errors: list[dict[str, str]] | None = None,
    type_: str = "about:blank",
    headers: Mapping[str, str] | None = None,
    **extra: Any,
) -> JSONResponse:
    """An RFC 9457 problem details response."""
    body: dict[str, Any] = {
        "type": type_,
        "title": title or HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
    }
    if errors:
        body["errors"] = errors
    body.update(extra)
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _iso_date(value: object) -> object:
    """Only ``YYYY-MM-DD`` (or a date): pydantic alone reads ``0`` as a Unix timestamp."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str) and ISO_DATE.fullmatch(value):
        return value
    raise ValueError("must be a date as YYYY-MM-DD")


IsoDate = Annotated[date, BeforeValidator(_iso_date)]
"""A calendar date a client sends (query, form or JSON), documented as ``format: date``."""

ISO_DATETIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}.*", re.DOTALL)


def _iso_datetime(value: object) -> object:
    """Only RFC 3339 text (or a datetime): pydantic alone reads ``0`` as a Unix timestamp."""
    if isinstance(value, datetime) or (isinstance(value, str) and ISO_DATETIME.fullmatch(value)):
        return value
    raise ValueError("must be a date and time with offset, e.g. 2026-03-01T09:30:00+01:00")


IsoDateTime = Annotated[AwareDatetime, BeforeValidator(_iso_datetime)]
"""An instant a client sends, with its UTC offset, documented as ``format: date-time``."""


def _field(loc: tuple[Any, ...] | list[Any]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header")]
    return ".".join(parts) or "body"


async def _validation_problem(_request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    errors = [
        {"field": _field(e.get("loc", ())), "reason": str(e.get("msg"))} for e in exc.errors()
    ]
    fields = ", ".join(e["field"] for e in errors)
    return problem(422, f"invalid request: {fields}", errors=errors, title="Invalid request")


def allowed_methods(request: Request) -> list[str]:
    """Every method some route of the app answers on the request's path.

    The router's own 405 names only the first route whose path matched, so a path served
    by two routes (``GET`` and ``POST`` of one resource) would advertise half its methods.
    """
    path = request.scope["path"]
    root = request.scope.get("root_path", "")
    if root and path.startswith(root):
        path = path[len(root) :]
    allowed: set[str] = set()
    for route in iter_route_contexts(request.app.routes):
        regex, methods = getattr(route, "path_regex", None), route.methods
        if regex is not None and methods and regex.match(path):
            allowed |= methods
    return sorted(allowed)


async def _http_problem(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    headers = exc.headers
    if exc.status_code == HTTPStatus.METHOD_NOT_ALLOWED and (allowed := allowed_methods(request)):
        headers = {**(headers or {}), "Allow": ", ".join(allowed)}
    if isinstance(exc.detail, dict):  # {"detail": ..., "errors": [{"field", "reason"}]}
        body = exc.detail
        return problem(
            exc.status_code, str(body["detail"]), errors=body.get("errors"), headers=headers
        )
    return problem(exc.status_code, str(exc.detail), headers=headers)


class UnavailableError(Exception):
    """Something a request needs is down, busy or full; nothing of the request was kept.

    Adapters raise it (or a subclass) so every service answers the same way: a problem
    with ``status`` (503, or 507 when storage is full) naming ``field``, and Retry-After.
    """

    def __init__(
        self, detail: str, *, field: str, status: int = 503, retry_after: int = RETRY_AFTER_S
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        self.field = field
        self.status = status
        self.retry_after = retry_after


def unavailable(error: UnavailableError) -> JSONResponse:
    """The problem response for ``error``: retry later, nothing was kept."""
    log.warning(
        "request refused: dependency unavailable",
        extra={"field": error.field, "status": error.status, "error": type(error).__name__},
    )
    return problem(
        error.status,
        error.detail,
        errors=[{"field": error.field, "reason": error.detail}],
        headers={"Retry-After": str(error.retry_after)},
    )


STORE_BUSY = "the store is busy or unreachable; nothing was saved; try again shortly"
UNREACHABLE = "a service this request needs is unreachable; nothing was saved; try again shortly"


async def _unavailable_problem(_request: Request, exc: Exception) -> Response:
    assert isinstance(exc, UnavailableError)
    return unavailable(exc)


async def _store_problem(request: Request, exc: Exception) -> Response:
    """A locked SQLite file, a dropped PostgreSQL connection: 503, the client retries."""
    if isinstance(exc, PoolTimeoutError) or is_transient(exc):
        return unavailable(UnavailableError(STORE_BUSY, field="store"))
    return await _unexpected_problem(request, exc)


async def _connection_problem(_request: Request, _exc: Exception) -> Response:
    """A refused or reset connection (e.g. to a restarting PostgreSQL server): 503."""
    return unavailable(UnavailableError(UNREACHABLE, field="connection"))


async def _unexpected_problem(_request: Request, _exc: Exception) -> Response:
    return problem(500, "an unexpected error occurred; nothing you sent before was lost")


PROBLEM_SCHEMA: dict[str, Any] = {
    "title": "Problem",
    "description": "RFC 9457 problem details",
    "type": "object",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["field", "reason"],
                "properties": {"field": {"type": "string"}, "reason": {"type": "string"}},
            },
        },
    },
}
PROBLEM_RESPONSE = {
    "description": "Problem details (RFC 9457) naming the field and the reason",
    "content": {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}},
}


def document_problems(app: FastAPI) -> None:
    """Make the OpenAPI document tell the truth: every 4xx answer is a problem document."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = generate()
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components["Problem"] = PROBLEM_SCHEMA
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                responses = operation.setdefault("responses", {})
                for code in [c for c in responses if c.startswith("4")]:
                    del responses[code]
                responses["4XX"] = PROBLEM_RESPONSE
        for unused in ("HTTPValidationError", "ValidationError"):
            components.pop(unused, None)
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


def install_problem_handlers(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, _validation_problem)
    app.add_exception_handler(StarletteHTTPException, _http_problem)
    app.add_exception_handler(UnavailableError, _unavailable_problem)
    app.add_exception_handler(DBAPIError, _store_problem)
    app.add_exception_handler(PoolTimeoutError, _store_problem)
    app.add_exception_handler(ConnectionError, _connection_problem)
    app.add_exception_handler(Exception, _unexpected_problem)


def install_http_metrics(app: FastAPI, registry: CollectorRegistry) -> None:
    """Request count and latency by route template (never the raw path)."""
    requests = Counter(
        "lotse_http_requests", "HTTP requests", ["method", "route", "status"], registry=registry
    )
    latency = Histogram(
        "lotse_http_request_duration_seconds",
        "HTTP latency",
        ["method", "route"],
        registry=registry,
    )

    @app.middleware("http")
    async def _measure(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        started = time.perf_counter()
        response = await call_next(request)
        route = getattr(request.scope.get("route"), "path", "unmatched")
        latency.labels(request.method, route).observe(time.perf_counter() - started)
        requests.labels(request.method, route, str(response.status_code)).inc()
        return response


def ops_router(
    *,
    checks: Mapping[str, Check],
    registry: CollectorRegistry,
    asyncapi: Callable[[], dict[str, Any]],
    degraded_ok: frozenset[str] = frozenset(),
) -> APIRouter:
    """``/healthz``, ``/readyz``, ``/metrics`` and ``/asyncapi.json``.

    ``degraded_ok`` names checks whose failure leaves the service ready but degraded
    (intake keeps accepting while NATS is down: that is the point of its outbox).
    """
    router = APIRouter(tags=["operations"])

    @router.get("/healthz", summary="Liveness: the process runs")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @router.get("/readyz", summary="Readiness: store and broker answer")
    async def readyz() -> Response:
        results: dict[str, str] = {}
        for name, check in checks.items():
            try:
                await check()
                results[name] = "ok"
            except Exception as exc:  # a failed check is an answer, not an error
                results[name] = f"down: {type(exc).__name__}"
        failed = {n for n, r in results.items() if r != "ok"}
        ready = not (failed - degraded_ok)
        status = "ok" if not failed else ("degraded" if ready else "unavailable")
        return JSONResponse(
            {"status": status, "checks": results}, status_code=200 if ready else 503
        )

    @router.get("/metrics", summary="Prometheus metrics", response_class=Response)
    async def metrics() -> Response:
        return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)

    @router.get("/asyncapi.json", summary="AsyncAPI document of this service's events")
    async def asyncapi_json() -> dict[str, Any]:
        return asyncapi()

    return router
