"""Tracing and structured logs: one trace per application, no personal data in either.

The exporter follows the standard environment: ``OTEL_TRACES_EXPORTER=otlp`` (endpoint from
``OTEL_EXPORTER_OTLP_ENDPOINT``), ``console``, or ``none`` (the default).
"""

from __future__ import annotations

import logging
import os
import sys
from typing import Any

from opentelemetry import trace
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import (
    BatchSpanProcessor,
    ConsoleSpanExporter,
    SimpleSpanProcessor,
    SpanExporter,
)
from pythonjsonlogger.json import JsonFormatter

# Attributes HTTP instrumentation would fill with the raw path (tracking codes, tickets),
# the query string or the caller's address: replaced before any exporter sees them.
REDACTED_HTTP_ATTRIBUTES = (
    "http.target",
    "http.url",
    "url.full",
    "url.path",
    "url.query",
    "net.peer.ip",
    "client.address",
    "http.client_ip",
    "http.user_agent",
    "user_agent.original",
)


def _exporter() -> SpanExporter | None:
    choice = os.environ.get("OTEL_TRACES_EXPORTER", "none").strip().lower()
    if choice == "otlp":
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        return OTLPSpanExporter()
    if choice == "console":
        return ConsoleSpanExporter(out=sys.stderr)
    return None


def setup_tracing(service: str) -> TracerProvider:
    """A tracer provider for ``service``; exporting only where the environment asks for it."""
    name = os.environ.get("OTEL_SERVICE_NAME") or f"lotse-{service}"
    provider = TracerProvider(resource=Resource.create({"service.name": name}))
    exporter = _exporter()
    if exporter is not None:
        if isinstance(exporter, ConsoleSpanExporter):
            provider.add_span_processor(SimpleSpanProcessor(exporter))
        else:
            provider.add_span_processor(BatchSpanProcessor(exporter))
    return provider


def redact_http_span(span: Any, _scope: dict[str, Any]) -> None:
    """``server_request_hook`` for the ASGI instrumentation: keep only the route template."""
    if span is None or not span.is_recording():
        return
    for key in REDACTED_HTTP_ATTRIBUTES:
        span.set_attribute(key, "[redacted]")


# Libraries that log statement parameters, request bodies or mail content at DEBUG/INFO:
# LOG_LEVEL=DEBUG makes Lotse's own loggers verbose, never these.
DATA_ECHOING_LOGGERS = (
    "aiosqlite",
    "sqlalchemy.engine",
    "sqlalchemy.pool",
    "asyncpg",
    "httpx",
    "httpcore",
    "aiosmtplib",
    "mail.log",
    "multipart",
    "python_multipart",
)


class _TraceContextFilter(logging.Filter):
    def __init__(self, service: str) -> None:
        super().__init__()
        self.service = service

    def filter(self, record: logging.LogRecord) -> bool:
        ctx = trace.get_current_span().get_span_context()
        record.service = self.service
        record.trace_id = format(ctx.trace_id, "032x") if ctx.is_valid else None
        record.span_id = format(ctx.span_id, "016x") if ctx.is_valid else None
        return True


def configure_logging(service: str, level: str = "INFO") -> None:
    """JSON lines on stderr with service, trace and span ids. Callers never log payloads."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        JsonFormatter(
            "{asctime}{levelname}{name}{message}",
            style="{",
            rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
        )
    )
    handler.addFilter(_TraceContextFilter(service))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for noisy in ("uvicorn.access",):
        logging.getLogger(noisy).disabled = True
    for chatty in DATA_ECHOING_LOGGERS:
        logging.getLogger(chatty).setLevel(logging.WARNING)
