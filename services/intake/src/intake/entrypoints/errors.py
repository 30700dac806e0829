"""Every refusal as RFC 9457 problem details naming the field and the reason."""

from __future__ import annotations

from shared.http import UnavailableError, problem
from shared.store import is_transient
from starlette.responses import JSONResponse

from intake.domain.application import UnknownConcernError, UnknownDocumentError
from intake.domain.attachments import AttachmentError
from intake.domain.ticket import InvalidTicketError
from intake.entrypoints.forms import BodyTooLargeError
from intake.service_layer.applications import (
    ApplicationNotFoundError,
    IdempotencyKeyReusedError,
)
from intake.service_layer.documents import DocumentNotFoundError, WrongTrackingCodeError

REFUSALS = (
    UnknownConcernError,
    UnknownDocumentError,
    IdempotencyKeyReusedError,
    AttachmentError,
    BodyTooLargeError,
    InvalidTicketError,
    ApplicationNotFoundError,
    WrongTrackingCodeError,
    DocumentNotFoundError,
)


def refused(exc: Exception, documents_field: str = "documents") -> JSONResponse:
    """The problem response for one of ``REFUSALS``."""
    if isinstance(exc, UnknownConcernError):
        errors = [{"field": "concern", "reason": f"{exc}; see GET /v1/concerns"}]
        return problem(422, str(exc), errors=errors, valid_concerns=exc.valid)
    if isinstance(exc, UnknownDocumentError):
        field = f"{documents_field}.{exc.index}.kind"
        return problem(422, str(exc), errors=[{"field": field, "reason": str(exc)}])
    if isinstance(exc, AttachmentError):
        return problem(422, exc.reason, errors=[{"field": exc.field, "reason": exc.reason}])
    if isinstance(exc, BodyTooLargeError):
        return problem(413, str(exc), errors=[{"field": "body", "reason": str(exc)}])
    if isinstance(exc, InvalidTicketError):
        errors = [{"field": "ticket", "reason": str(exc)}]
        return problem(422, f"invalid ticket: {exc}", errors=errors)
    if isinstance(exc, ApplicationNotFoundError):
        return problem(404, "no application has this ticket")
    if isinstance(exc, WrongTrackingCodeError):
        reason = "this tracking code does not belong to the ticket"
        return problem(403, reason, errors=[{"field": "tracking_code", "reason": reason}])
    if isinstance(exc, DocumentNotFoundError):
        return problem(404, "no such document on this case")
    return problem(422, str(exc), errors=[{"field": "Idempotency-Key", "reason": str(exc)}])


def temporary(exc: Exception) -> bool:
    """Whether trying the same again later may succeed (store busy, NATS or disk down)."""
    return isinstance(exc, UnavailableError | ConnectionError) or is_transient(exc)
