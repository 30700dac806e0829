"""Who is acting: from headers until "Prove it" swaps this one module for OIDC."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Header, HTTPException

ROLES = frozenset({"service_point", "caseworker", "team_lead", "auditor"})
ACTING_ROLES = frozenset({"service_point", "caseworker", "team_lead"})
StaffId = Annotated[str | None, Header(alias="X-Lotse-Staff", max_length=100)]
Role = Annotated[str | None, Header(alias="X-Lotse-Role", max_length=40)]
TeamHeader = Annotated[str | None, Header(alias="X-Lotse-Team", max_length=64)]


@dataclass(frozen=True)
class Staff:
    """A pseudonymous staff id, its role and team (never a name)."""

    id: str
    role: str
    team: str | None


def staff(
    x_lotse_staff: StaffId = None, x_lotse_role: Role = None, x_lotse_team: TeamHeader = None
) -> Staff:
    if not x_lotse_staff:
        raise HTTPException(401, "who is acting? send X-Lotse-Staff")
    role = x_lotse_role or "caseworker"
    if role not in ROLES:
        raise HTTPException(403, f"unknown role {role}")
    return Staff(x_lotse_staff, role, x_lotse_team)


def acting_staff(person: Annotated[Staff, Depends(staff)]) -> Staff:
    """Staff who may change cases (auditors only read)."""
    if person.role not in ACTING_ROLES:
        raise HTTPException(403, f"role {person.role} may not act on cases")
    return person


def team_lead(person: Annotated[Staff, Depends(staff)]) -> Staff:
    if person.role != "team_lead":
        raise HTTPException(403, "only a team lead may do this")
    return person


ActingStaff = Annotated[Staff, Depends(acting_staff)]
TeamLead = Annotated[Staff, Depends(team_lead)]
