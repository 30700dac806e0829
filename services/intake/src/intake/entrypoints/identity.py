"""Who is calling: the single place intake reads staff identities and partner API keys.

Staff come from ``shared.auth`` (OIDC bearer tokens; dev headers under ``LOTSE_AUTH=dev``),
partners from hashed API keys (``LOTSE_PARTNER_KEYS_FILE``). Both are built once in bootstrap.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Request
from shared.auth import Partner, Role, Staff, require

__all__ = [
    "AUTH_ERRORS",
    "Partner",
    "PartnerCaller",
    "Role",
    "Staff",
    "StaffMember",
    "require",
]

_PROBLEM: dict[str, Any] = {"content": {"application/problem+json": {}}}
AUTH_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {**_PROBLEM, "description": "no or invalid identity"},
    403: {**_PROBLEM, "description": "not allowed for this role or team"},
}


def staff_identity(request: Request) -> Staff:
    """The authenticated staff member (pseudonymous id, roles, teams), else 401."""
    staff: Staff = request.app.state.container.auth.staff(request)
    return staff


def partner_identity(request: Request) -> Partner:
    """The partner system owning the ``X-API-Key`` header, else 401."""
    partner: Partner = request.app.state.container.partners.partner(
        request.headers.get("x-api-key")
    )
    return partner


StaffMember = Annotated[Staff, Depends(staff_identity)]
PartnerCaller = Annotated[Partner, Depends(partner_identity)]
