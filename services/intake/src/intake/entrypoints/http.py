"""Intake's HTTP routers: applications, the concern catalogue, the outbox backlog."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Header, Response
from fastapi.responses import JSONResponse
from shared.http import problem
from shared.messaging.relay import outbox_backlog

from intake.adapters.tables import ApplicationPublic
from intake.bootstrap import Container
from intake.domain.application import UnknownConcernError, UnknownDocumentError
from intake.domain.catalogue import Concern
from intake.domain.ticket import InvalidTicketError, parse_ticket
from intake.domain.tracking import sha256_hex
from intake.entrypoints.schemas import (
    ApplicationIn,
    CatalogueOut,
    ConcernOut,
    OutboxOut,
    ReceiptOut,
)
from intake.service_layer.applications import (
    ApplicationNotFoundError,
    IdempotencyKeyReusedError,
    get_application,
    submit_application,
)
from intake.service_layer.commands import IdempotencyKey

IdempotencyHeader = Annotated[
    str | None,
    Header(alias="Idempotency-Key", min_length=16, max_length=200, pattern=r"^[\x21-\x7e]+$"),
]
PROBLEM: dict[int | str, dict[str, Any]] = {422: {"content": {"application/problem+json": {}}}}


def applications_router(container: Container) -> APIRouter:
    router = APIRouter(prefix="/v1/applications", tags=["applications"])

    @router.post(
        "",
        status_code=201,
        response_model=ReceiptOut,
        responses=PROBLEM,
        summary="Submit an application; returns ticket, status link and missing documents",
    )
    async def post_application(
        body: ApplicationIn, response: Response, idempotency_key: IdempotencyHeader = None
    ) -> ReceiptOut | JSONResponse:
        idem = None
        if idempotency_key is not None:
            idem = IdempotencyKey(idempotency_key, sha256_hex(body.model_dump_json()))
        try:
            receipt = await submit_application(
                body.to_command(), container.uow(), container.context(), idem
            )
        except (UnknownConcernError, UnknownDocumentError, IdempotencyKeyReusedError) as exc:
            return _rejected(exc)
        response.headers["Location"] = f"/v1/applications/{receipt.ticket}"
        if receipt.replayed:
            response.headers["Idempotent-Replayed"] = "true"
        return ReceiptOut(
            ticket=receipt.ticket,
            tracking_code=receipt.tracking_code,
            status_url=f"{container.settings.status_base_url}/status/{receipt.tracking_code}",
            missing_documents=receipt.missing_documents,
            case_id=receipt.case_id,
        )

    @router.get(
        "/{ticket}",
        response_model=ApplicationPublic,
        responses={**PROBLEM, 404: PROBLEM[422]},
        summary="Staff view of an application by ticket (no personal data)",
    )
    async def get_by_ticket(ticket: str) -> ApplicationPublic | JSONResponse:
        try:
            summary = await get_application(parse_ticket(ticket), container.uow())
        except InvalidTicketError as exc:
            errors = [{"field": "ticket", "reason": str(exc)}]
            return problem(422, f"invalid ticket: {exc}", errors=errors)
        except ApplicationNotFoundError:
            return problem(404, "no application has this ticket")
        return ApplicationPublic.model_validate(asdict(summary))

    return router


def _rejected(
    exc: UnknownConcernError | UnknownDocumentError | IdempotencyKeyReusedError,
) -> JSONResponse:
    """A 422 problem naming the field the catalogue (or the key) rejected."""
    if isinstance(exc, UnknownConcernError):
        errors = [{"field": "concern", "reason": f"{exc}; see GET /v1/concerns"}]
        return problem(422, str(exc), errors=errors, valid_concerns=exc.valid)
    if isinstance(exc, UnknownDocumentError):
        errors = [{"field": f"documents.{exc.index}.kind", "reason": str(exc)}]
        return problem(422, str(exc), errors=errors)
    return problem(422, str(exc), errors=[{"field": "Idempotency-Key", "reason": str(exc)}])


def catalogue_router(container: Container) -> APIRouter:
    router = APIRouter(prefix="/v1/concerns", tags=["catalogue"])

    @router.get("", response_model=CatalogueOut, summary="The concern catalogue")
    async def list_concerns() -> CatalogueOut:
        catalogue = container.catalogue
        concerns = [_concern_out(catalogue.concerns[key]) for key in sorted(catalogue.concerns)]
        return CatalogueOut(version=catalogue.version, concerns=concerns)

    return router


def _concern_out(concern: Concern) -> ConcernOut:
    return ConcernOut.model_validate(asdict(concern))


def ops_router(container: Container) -> APIRouter:
    router = APIRouter(prefix="/v1/ops", tags=["operations"])

    @router.get("/outbox", response_model=OutboxOut, summary="Events not yet published to NATS")
    async def outbox() -> OutboxOut:
        backlog = await outbox_backlog(container.runtime.sessions)
        return OutboxOut(pending=backlog.pending, oldest_age_seconds=backlog.oldest_age_seconds())

    return router
