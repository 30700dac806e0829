"""Who is acting: the one place routing reads staff identity (``shared.auth``: OIDC or dev headers).

Caseworkers and team leads read and act on their teams' cases, the head of office on all;
the service point reads every case (it books appointments at the counter); auditors read
the audit log only.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Request
from shared.auth import Authenticator, Role, Staff, require

ACTING = (Role.CASEWORKER, Role.TEAM_LEAD, Role.HEAD_OF_OFFICE)
READING = (*ACTING, Role.SERVICE_POINT)
BOOKING = (*ACTING, Role.SERVICE_POINT)


def install(app_state: object, authenticator: Authenticator) -> None:
    """Make ``authenticator`` the one the dependencies below use."""
    app_state.authenticator = authenticator  # type: ignore[attr-defined]


def current_staff(request: Request) -> Staff:
    authenticator: Authenticator = request.app.state.authenticator
    return authenticator.staff(request)


def may_read(staff: Staff, team: str) -> bool:
    """Whether ``staff`` may see a case of ``team`` (and that team's queue)."""
    return staff.has(Role.SERVICE_POINT) or staff.may_work_on(team)


def check_read(staff: Staff, team: str) -> None:
    if not may_read(staff, team):
        raise HTTPException(403, f"not a member of team {team!r}")


def check_act(staff: Staff, team: str, *roles: Role) -> None:
    """403 unless ``staff`` holds one of ``roles`` (default: acting roles) for ``team``."""
    roles = roles or ACTING
    require(staff, *roles)
    if not (
        staff.may_work_on(team) or (Role.SERVICE_POINT in roles and staff.has(Role.SERVICE_POINT))
    ):
        raise HTTPException(403, f"not a member of team {team!r}")


def _auditor(staff: Annotated[Staff, Depends(current_staff)]) -> Staff:
    return require(staff, Role.AUDITOR)


def _team_lead(staff: Annotated[Staff, Depends(current_staff)]) -> Staff:
    return require(staff, Role.TEAM_LEAD, Role.HEAD_OF_OFFICE)


CurrentStaff = Annotated[Staff, Depends(current_staff)]
Auditor = Annotated[Staff, Depends(_auditor)]
TeamLead = Annotated[Staff, Depends(_team_lead)]
