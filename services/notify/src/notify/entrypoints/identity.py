"""Who is calling: the one place staff identity is read (``shared.auth``: dev headers or OIDC).

The authenticator is built once in bootstrap (``Container.authenticator``); these FastAPI
dependencies find it through the app's state.
"""

from __future__ import annotations

from fastapi import Request
from shared.auth import Authenticator, Role, Staff, require

__all__ = ["Role", "Staff", "auditor", "operator"]


def _authenticator(request: Request) -> Authenticator:
    authenticator: Authenticator = request.app.state.container.authenticator
    return authenticator


def operator(request: Request) -> Staff:
    """Staff who may see failed notifications: team leads and auditors (else 401/403)."""
    return require(_authenticator(request).staff(request), Role.TEAM_LEAD, Role.AUDITOR)


def auditor(request: Request) -> Staff:
    """Staff who may read the audit log: auditors (else 401/403)."""
    return require(_authenticator(request).staff(request), Role.AUDITOR)
