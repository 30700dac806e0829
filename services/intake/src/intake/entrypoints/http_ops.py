"""Operator endpoints: outbox backlog and alarm, catalogue reload (role ``operator`` et al.)."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from shared.auth import OPERATIONS_CHANGE, OPERATIONS_READ
from shared.http import problem
from shared.messaging.relay import outbox_backlog

from intake.bootstrap import Container
from intake.entrypoints.background import reload_catalogue
from intake.entrypoints.identity import AUTH_ERRORS, StaffMember, require
from intake.service_layer.outbox_watch import OutboxWatch


class OutboxOut(BaseModel):
    pending: int
    oldest_age_seconds: float
    threshold_pending: int
    threshold_age_seconds: float
    exceeded: bool


class CatalogueReloadOut(BaseModel):
    version: str
    concerns: int


def ops_router(container: Container, watch: OutboxWatch) -> APIRouter:
    router = APIRouter(prefix="/v1/ops", tags=["operations"])

    @router.get(
        "/outbox",
        response_model=OutboxOut,
        responses=AUTH_ERRORS,
        summary="Operator, head of office or auditor: events not yet published to NATS",
    )
    async def outbox(staff: StaffMember) -> OutboxOut:
        require(staff, *OPERATIONS_READ)
        backlog = await outbox_backlog(container.runtime.sessions)
        age = backlog.oldest_age_seconds()
        return OutboxOut(
            pending=backlog.pending,
            oldest_age_seconds=age,
            threshold_pending=watch.threshold_pending,
            threshold_age_seconds=watch.threshold_age_seconds,
            exceeded=watch.exceeded(backlog.pending, age),
        )

    @router.post(
        "/catalogue/reload",
        response_model=CatalogueReloadOut,
        responses={422: {"content": {"application/problem+json": {}}}, **AUTH_ERRORS},
        summary="Operator or head of office: reload the catalogue file now; "
        "a broken file leaves the old one in force",
    )
    async def reload(staff: StaffMember) -> CatalogueReloadOut | JSONResponse:
        require(staff, *OPERATIONS_CHANGE)
        error = reload_catalogue(container)
        if error is not None:
            errors = [{"field": "catalogue", "reason": error}]
            return problem(422, "catalogue not reloaded; the previous one stays", errors=errors)
        catalogue = container.catalogue
        return CatalogueReloadOut(version=catalogue.version, concerns=len(catalogue.concerns))

    return router
