"""Who is calling: the one place staff identity is read (``shared.auth``: dev headers or OIDC).

The authenticator is built once in bootstrap (``Container.authenticator``); these FastAPI
dependencies find it through the app's state.
"""

from __future__ import annotations

from fastapi import Request
from shared.auth import OPERATIONS_READ, Authenticator, Role, Staff, require

__all__ = ["Role", "Staff", "auditor", "operator"]


def _authenticator(request: Request) -> Authenticator:
    authenticator: Authenticator = request.app.state.container.authenticator
    return authenticator


def operator(request: Request) -> Staff:
    """Who may see failed notifications: operators, head of office, auditors, team leads."""
    return require(_authenticator(request).staff(request), *OPERATIONS_READ, Role.TEAM_LEAD)


def auditor(request: Request) -> Staff:
    """Staff who may read the audit log: auditors (else 401/403)."""
    return require(_authenticator(request).staff(request), Role.AUDITOR)
