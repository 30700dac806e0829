"""Tracking codes: the secret in the applicant's status link. Intake keeps only a hash."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

CODE_LENGTH = 32  # 192 bits of base64url


def new_tracking_code() -> str:
    return secrets.token_urlsafe(24)


def derived_tracking_code(idempotency_key: str, case_id: str) -> str:
    """The code of a request sent with an ``Idempotency-Key``: a replay can rebuild it.

    Intake stores neither the code nor the key, only their hashes; whoever holds the key
    gets the first response again anyway, which is what idempotency means.
    """
    mac = hmac.new(idempotency_key.encode(), case_id.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac).decode()[:CODE_LENGTH]


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def partner_event_key(secret: bytes, source: str, event_id: str) -> str:
    """A partner CloudEvent's idempotency key: keyed hash of its ``source`` and ``id``."""
    return hmac.new(secret, f"{source}\x1f{event_id}".encode(), hashlib.sha256).hexdigest()
