"""Who may do what: staff identities from OIDC tokens, partner systems by hashed API keys.

``LOTSE_AUTH=oidc`` (production) validates a bearer JWT: signature (JWKS URL or PEM key),
issuer, audience, expiry; the staff id is ``sub``, roles and teams come from the ``roles``
and ``teams`` claims. ``LOTSE_AUTH=dev`` (what ``make run`` uses) trusts the headers
``X-Lotse-Staff``, ``X-Lotse-Role`` and ``X-Lotse-Team`` and says so loudly at start.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

import jwt
import yaml
from fastapi import HTTPException, Request

log = logging.getLogger(__name__)


class Role(StrEnum):
    SERVICE_POINT = "service_point"
    CASEWORKER = "caseworker"
    TEAM_LEAD = "team_lead"
    HEAD_OF_OFFICE = "head_of_office"
    AUDITOR = "auditor"
    OPERATOR = "operator"  # operations staff: outbox, failures, alerts, reloads; no case data


# Operator endpoints (``/v1/ops/*`` and the like): who may look, who may change something.
OPERATIONS_READ = (Role.OPERATOR, Role.HEAD_OF_OFFICE, Role.AUDITOR)
OPERATIONS_CHANGE = (Role.OPERATOR, Role.HEAD_OF_OFFICE)


@dataclass(frozen=True)
class Staff:
    """An authenticated member of staff: a pseudonymous id, roles, teams."""

    id: str
    roles: frozenset[Role]
    teams: frozenset[str] = frozenset()

    def has(self, *roles: Role) -> bool:
        return bool(self.roles.intersection(roles))

    def may_work_on(self, team: str) -> bool:
        """Caseworkers and team leads act on their teams' cases; the head of office on all."""
        if self.has(Role.HEAD_OF_OFFICE):
            return True
        return self.has(Role.CASEWORKER, Role.TEAM_LEAD) and team in self.teams


def _unauthorized(detail: str, field: str = "header:Authorization") -> HTTPException:
    body = {"detail": detail, "errors": [{"field": field, "reason": detail}]}
    return HTTPException(401, body, headers={"WWW-Authenticate": "Bearer"})


def _forbidden(detail: str, field: str) -> HTTPException:
    return HTTPException(403, {"detail": detail, "errors": [{"field": field, "reason": detail}]})


def staff_id(subject: str) -> str:
    """A staff id that fits every column (64 chars): long OIDC subjects are hashed."""
    if len(subject) <= 64:
        return subject
    return "sha256:" + hashlib.sha256(subject.encode()).hexdigest()[:57]


def _roles(values: Iterable[str]) -> frozenset[Role]:
    known = {r.value for r in Role}
    return frozenset(Role(v) for v in values if v in known)


@dataclass(frozen=True)
class OidcVerifier:
    """Validates bearer tokens from the office's identity provider."""

    issuer: str
    audience: str
    jwks_url: str = ""
    public_key: str = ""
    algorithms: tuple[str, ...] = ("RS256", "ES256")
    _jwks: list[jwt.PyJWKClient] = field(default_factory=list, repr=False)

    def _key(self, token: str) -> Any:
        if self.public_key:
            return self.public_key
        if not self._jwks:
            self._jwks.append(jwt.PyJWKClient(self.jwks_url, cache_keys=True))
        return self._jwks[0].get_signing_key_from_jwt(token).key

    def staff(self, token: str) -> Staff:
        try:
            claims = jwt.decode(
                token,
                self._key(token),
                algorithms=list(self.algorithms),
                audience=self.audience,
                issuer=self.issuer,
                options={"require": ["exp", "iss", "aud", "sub"]},
            )
        except (jwt.PyJWTError, jwt.PyJWKClientError) as error:
            raise _unauthorized(f"invalid token: {type(error).__name__}") from error
        return Staff(
            id=staff_id(str(claims["sub"])),
            roles=_roles(claims.get("roles", [])),
            teams=frozenset(str(t) for t in claims.get("teams", [])),
        )


@dataclass(frozen=True)
class Authenticator:
    """Reads the staff identity of a request, in the configured mode."""

    mode: str = "dev"
    oidc: OidcVerifier | None = None

    def staff(self, request: Request) -> Staff:
        if self.mode == "dev":
            return _staff_from_headers(request)
        assert self.oidc is not None
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not token:
            raise _unauthorized("a bearer token is required")
        return self.oidc.staff(token)


def _staff_from_headers(request: Request) -> Staff:
    staff_id = request.headers.get("x-lotse-staff", "").strip()
    if not staff_id or len(staff_id) > 64:
        raise _unauthorized("header X-Lotse-Staff (staff id) is required", "header:X-Lotse-Staff")
    roles = request.headers.get("x-lotse-role", "caseworker").split(",")
    teams = request.headers.get("x-lotse-team", "").split(",")
    return Staff(
        staff_id, _roles(r.strip() for r in roles), frozenset(t.strip() for t in teams if t.strip())
    )


def require(staff: Staff, *roles: Role, team: str | None = None) -> Staff:
    """Raise 403 unless ``staff`` has one of ``roles`` (and may work on ``team``)."""
    if roles and not staff.has(*roles):
        raise _forbidden(f"requires role {' or '.join(r.value for r in roles)}", "role")
    if team is not None and not staff.may_work_on(team):
        raise _forbidden(f"not a member of team {team!r}", "team")
    return staff


def build_authenticator(settings: Any) -> Authenticator:
    """From ``LOTSE_AUTH`` / ``LOTSE_OIDC_*`` settings; refuses an incomplete OIDC setup."""
    if settings.auth_mode == "dev":
        log.warning("LOTSE_AUTH=dev: staff identity is taken from headers; never in production")
        return Authenticator("dev")
    if not settings.oidc_issuer or not settings.oidc_audience:
        msg = "LOTSE_AUTH=oidc needs LOTSE_OIDC_ISSUER and LOTSE_OIDC_AUDIENCE"
        raise ValueError(msg)
    if not (settings.oidc_jwks_url or settings.oidc_public_key):
        msg = "LOTSE_AUTH=oidc needs LOTSE_OIDC_JWKS_URL or LOTSE_OIDC_PUBLIC_KEY"
        raise ValueError(msg)
    verifier = OidcVerifier(
        settings.oidc_issuer,
        settings.oidc_audience,
        settings.oidc_jwks_url,
        settings.oidc_public_key,
    )
    return Authenticator("oidc", verifier)


# --- partner systems ------------------------------------------------------------------


@dataclass(frozen=True)
class Partner:
    """A partner system and what it may submit."""

    id: str
    sources: frozenset[str]
    concerns: frozenset[str]

    def may_submit(self, source: str, concern: str) -> bool:
        source_ok = "*" in self.sources or source in self.sources
        return source_ok and ("*" in self.concerns or concern in self.concerns)


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@dataclass(frozen=True)
class PartnerKeys:
    """API keys kept only as SHA-256 hashes (a YAML file the operator maintains)."""

    by_hash: Mapping[str, Partner]

    @classmethod
    def load(cls, path: Path | None) -> PartnerKeys:
        if path is None or not path.exists():
            return cls({})
        entries = yaml.safe_load(path.read_text()) or []
        return cls(
            {
                str(e["key_sha256"]).lower(): Partner(
                    str(e["id"]), frozenset(e.get("sources", [])), frozenset(e.get("concerns", []))
                )
                for e in entries
            }
        )

    def partner(self, key: str | None) -> Partner:
        if not key:
            raise _unauthorized("header X-API-Key is required", "header:X-API-Key")
        digest = hash_key(key)
        for known, partner in self.by_hash.items():
            if hmac.compare_digest(known, digest):
                return partner
        raise _unauthorized("unknown API key", "header:X-API-Key")
