"""Who is calling: staff identity from headers until "Prove it" swaps this module for OIDC."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Literal

from fastapi import Depends, Header, Request
from fastapi.responses import JSONResponse
from shared.http import problem

Role = Literal["service_point", "caseworker", "team_lead", "auditor"]
ROLES: tuple[str, ...] = ("service_point", "caseworker", "team_lead", "auditor")


class IdentityError(PermissionError):
    def __init__(self, status: int, field: str, reason: str) -> None:
        super().__init__(reason)
        self.status, self.field, self.reason = status, field, reason


@dataclass(frozen=True)
class Staff:
    staff_id: str
    role: str | None
    team: str | None


def staff_identity(
    staff: Annotated[str | None, Header(alias="X-Lotse-Staff", max_length=64)] = None,
    role: Annotated[str | None, Header(alias="X-Lotse-Role", max_length=32)] = None,
    team: Annotated[str | None, Header(alias="X-Lotse-Team", max_length=64)] = None,
) -> Staff:
    """The authenticated staff member (pseudonymous id), or 401 naming the header."""
    if not staff or not staff.strip():
        raise IdentityError(401, "X-Lotse-Staff", "staff identity required")
    if role is not None and role not in ROLES:
        raise IdentityError(403, "X-Lotse-Role", f"unknown role; one of {', '.join(ROLES)}")
    return Staff(staff.strip(), role, team)


StaffMember = Annotated[Staff, Depends(staff_identity)]


async def identity_problem(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, IdentityError)
    errors = [{"field": exc.field, "reason": exc.reason}]
    return problem(exc.status, exc.reason, errors=errors)
