"""Who is calling: the one place staff identity is read (swap for OIDC later)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Header, HTTPException

ROLES = frozenset({"service_point", "caseworker", "team_lead", "auditor"})


@dataclass(frozen=True)
class Staff:
    id: str
    role: str
    team: str | None


def staff(
    x_lotse_staff: Annotated[str | None, Header(max_length=100)] = None,
    x_lotse_role: Annotated[str | None, Header(max_length=30)] = None,
    x_lotse_team: Annotated[str | None, Header(max_length=100)] = None,
) -> Staff:
    """The caller as staff; 401 without an id, 403 with an unknown role."""
    if not x_lotse_staff:
        raise HTTPException(401, "staff identity required (X-Lotse-Staff)")
    role = x_lotse_role or "caseworker"
    if role not in ROLES:
        raise HTTPException(403, "unknown role (X-Lotse-Role)")
    return Staff(x_lotse_staff, role, x_lotse_team)
