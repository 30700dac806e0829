"""Intake's HTTP routers: applications, the concern catalogue, the outbox backlog."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, FastAPI, Header, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from intake.adapters.tables import ApplicationPublic
from intake.bootstrap import Container
from intake.domain.catalogue import Concern
from intake.domain.tracking import sha256_hex
from intake.entrypoints import forms
from intake.entrypoints.case_access import read_case
from intake.entrypoints.errors import REFUSALS, refused
from intake.entrypoints.identity import AUTH_ERRORS, StaffMember
from intake.entrypoints.schemas import ApplicationIn, CatalogueOut, ConcernOut, ReceiptOut
from intake.service_layer.applications import Receipt, submit_application
from intake.service_layer.commands import IdempotencyKey, SubmitApplication

IdempotencyHeader = Annotated[
    str | None,
    Header(alias="Idempotency-Key", min_length=16, max_length=200, pattern=r"^[\x21-\x7e]+$"),
]
PROBLEM: dict[int | str, dict[str, Any]] = {422: {"content": {"application/problem+json": {}}}}
MULTIPART_DOC: dict[str, Any] = {
    "requestBody": {
        "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/ApplicationIn"}},
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "application": {"type": "string", "description": "ApplicationIn as JSON"},
                        "documents.<kind>": {"type": "string", "format": "binary"},
                    },
                }
            },
        }
    }
}

REF_TEMPLATE = "#/components/schemas/{model}"


def document_read_models(app: FastAPI, *models: type[BaseModel]) -> None:
    """Put into the OpenAPI components the models a route reads by hand and names by ``$ref``.

    FastAPI lists only models of declared parameters; ``MULTIPART_DOC`` refers to
    ``ApplicationIn``, which without this would be a dangling reference clients and
    contract tests cannot resolve.
    """
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        schema = generate()
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        for model in (m for m in models if m.__name__ not in components):
            found = model.model_json_schema(ref_template=REF_TEMPLATE)
            for name, definition in found.pop("$defs", {}).items():
                components.setdefault(name, definition)
            components[model.__name__] = found
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


def receipt_out(container: Container, receipt: Receipt, response: Response) -> ReceiptOut:
    response.headers["Location"] = f"/v1/applications/{receipt.ticket}"
    if receipt.replayed:
        response.headers["Idempotent-Replayed"] = "true"
    return ReceiptOut(
        ticket=receipt.ticket,
        tracking_code=receipt.tracking_code,
        status_url=f"{container.settings.status_base_url}/status/{receipt.tracking_code}",
        missing_documents=receipt.missing_documents,
        case_id=receipt.case_id,
        joined=receipt.joined,
    )


async def read_application(request: Request, container: Container) -> tuple[SubmitApplication, str]:
    """The command and a hash of the request (for ``Idempotency-Key``)."""
    if not forms.is_multipart(request):
        body = await forms.read_json(request, ApplicationIn)
        return body.to_command(), sha256_hex(body.model_dump_json())
    limits = container.context().limits
    fields, uploads = await forms.read_multipart(request, limits, "application")
    body = forms.parse(ApplicationIn, fields["application"], ("body", "application"))
    digest = sha256_hex(body.model_dump_json() + "".join(sha256_hex(u.data.hex()) for u in uploads))
    return body.to_command(tuple(uploads)), digest


def applications_router(container: Container) -> APIRouter:
    router = APIRouter(prefix="/v1/applications", tags=["applications"])

    @router.post(
        "",
        status_code=201,
        response_model=ReceiptOut,
        responses={**PROBLEM, 413: PROBLEM[422]},
        summary="Submit an application (JSON, or multipart with files)",
        openapi_extra=MULTIPART_DOC,
    )
    async def post_application(
        request: Request, response: Response, idempotency_key: IdempotencyHeader = None
    ) -> ReceiptOut | JSONResponse:
        try:
            command, request_hash = await read_application(request, container)
            idem = IdempotencyKey(idempotency_key, request_hash) if idempotency_key else None
            if command.uploads:  # files are stored by the request itself, concurrently
                receipt = await submit_application(
                    command, container.uow(), container.context(), idem
                )
            else:
                receipt = await container.group_commit.submit(command, idem)
        except REFUSALS as exc:
            return refused(exc)
        return receipt_out(container, receipt, response)

    @router.get(
        "/{ticket}",
        response_model=ApplicationPublic,
        responses={**PROBLEM, **AUTH_ERRORS, 404: PROBLEM[422]},
        summary="Staff view of an application by ticket (no personal data; the case's team)",
    )
    async def get_by_ticket(ticket: str, staff: StaffMember) -> ApplicationPublic | JSONResponse:
        try:
            summary = await read_case(container, ticket, staff, "view_application")
        except REFUSALS as exc:
            return refused(exc)
        return ApplicationPublic.model_validate(asdict(summary))

    return router


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
