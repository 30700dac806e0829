"""Staff identities from OIDC tokens (and dev headers), roles and teams, partner API keys."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from fastapi import HTTPException
from shared.auth import Authenticator, OidcVerifier, PartnerKeys, Role, Staff, hash_key, require
from starlette.requests import Request

ISSUER, AUDIENCE = "https://idp.example.org/realms/abh", "lotse"


def keypair() -> tuple[Any, str]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return key, pem.decode()


def request(headers: dict[str, str]) -> Request:
    raw = [(k.lower().encode(), v.encode()) for k, v in headers.items()]
    return Request({"type": "http", "headers": raw})


def token(key: Any, **claims: Any) -> str:
    base = {"iss": ISSUER, "aud": AUDIENCE, "sub": "sb-17", "exp": int(time.time()) + 300}
    return jwt.encode(base | claims, key, algorithm="RS256")


@pytest.fixture(scope="module")
def idp() -> tuple[Any, Authenticator]:
    key, pem = keypair()
    return key, Authenticator("oidc", OidcVerifier(ISSUER, AUDIENCE, public_key=pem))


def test_valid_token_gives_staff_with_roles_and_teams(idp: tuple[Any, Authenticator]) -> None:
    key, auth = idp
    bearer = token(key, roles=["caseworker", "unknown"], teams=["residence"])
    staff = auth.staff(request({"Authorization": f"Bearer {bearer}"}))
    assert staff == Staff("sb-17", frozenset({Role.CASEWORKER}), frozenset({"residence"}))


@pytest.mark.parametrize(
    "claims",
    [{"exp": int(time.time()) - 10}, {"aud": "other"}, {"iss": "https://evil.example"}],
    ids=["expired", "wrong audience", "wrong issuer"],
)
def test_invalid_tokens_are_refused(idp: tuple[Any, Authenticator], claims: dict[str, Any]) -> None:
    key, auth = idp
    with pytest.raises(HTTPException) as refused:
        auth.staff(request({"Authorization": f"Bearer {token(key, **claims)}"}))
    assert refused.value.status_code == 401


def test_token_signed_by_another_key_is_refused(idp: tuple[Any, Authenticator]) -> None:
    other, _ = keypair()
    with pytest.raises(HTTPException):
        idp[1].staff(request({"Authorization": f"Bearer {token(other)}"}))


def test_missing_token_is_refused_in_oidc_mode(idp: tuple[Any, Authenticator]) -> None:
    with pytest.raises(HTTPException) as refused:
        idp[1].staff(request({"X-Lotse-Staff": "sb-1"}))
    assert refused.value.status_code == 401


def test_dev_mode_reads_headers() -> None:
    staff = Authenticator("dev").staff(
        request({"X-Lotse-Staff": "sb-2", "X-Lotse-Role": "team_lead", "X-Lotse-Team": "family"})
    )
    assert staff.has(Role.TEAM_LEAD)
    assert staff.may_work_on("family")
    assert not staff.may_work_on("residence")


def test_caseworker_acts_only_on_own_team() -> None:
    worker = Staff("sb-3", frozenset({Role.CASEWORKER}), frozenset({"residence"}))
    assert require(worker, Role.CASEWORKER, team="residence") is worker
    with pytest.raises(HTTPException) as refused:
        require(worker, Role.CASEWORKER, team="family")
    assert refused.value.status_code == 403
    with pytest.raises(HTTPException):
        require(worker, Role.AUDITOR)
    head = Staff("sb-4", frozenset({Role.HEAD_OF_OFFICE}))
    assert head.may_work_on("family")


def test_partner_keys_are_stored_hashed_and_scoped(tmp_path: Path) -> None:
    keys = tmp_path / "partners.yaml"
    keys.write_text(
        f"- id: fit-connect\n  key_sha256: {hash_key('s3cret-key')}\n"
        "  sources: [/fit-connect]\n  concerns: [residence_permit_extension]\n"
    )
    partners = PartnerKeys.load(keys)
    partner = partners.partner("s3cret-key")
    assert partner.may_submit("/fit-connect", "residence_permit_extension")
    assert not partner.may_submit("/fit-connect", "naturalisation_enquiry")
    assert not partner.may_submit("/elsewhere", "residence_permit_extension")
    assert "s3cret-key" not in keys.read_text()
    with pytest.raises(HTTPException):
        partners.partner("guess")
