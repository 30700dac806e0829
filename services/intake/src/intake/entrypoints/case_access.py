"""Staff access to one case: the case's team decides, and every read goes in the audit log."""

from __future__ import annotations

from intake.bootstrap import Container
from intake.domain.application import ApplicationSummary
from intake.domain.ticket import parse_ticket
from intake.entrypoints.identity import Role, Staff, require
from intake.service_layer.applications import get_application

CASE_ROLES = (Role.CASEWORKER, Role.TEAM_LEAD, Role.HEAD_OF_OFFICE)
NO_TEAM = "unassigned"


def team_of(container: Container, summary: ApplicationSummary) -> str:
    concern = container.catalogue.get(summary.concern)
    return NO_TEAM if concern is None else concern.team


async def case_for(
    container: Container, ticket: str, staff: Staff, *roles: Role
) -> ApplicationSummary:
    """The case if ``staff`` has one of ``roles`` on its team (403 otherwise, 404 if unknown)."""
    summary = await get_application(parse_ticket(ticket), container.uow())
    require(staff, *(roles or CASE_ROLES), team=team_of(container, summary))
    return summary


async def read_case(
    container: Container, ticket: str, staff: Staff, action: str
) -> ApplicationSummary:
    """``case_for`` plus an audit entry of the read."""
    summary = await case_for(container, ticket, staff)
    await container.audit_log.record(actor=staff.id, action=action, case_ref=summary.ticket)
    return summary
