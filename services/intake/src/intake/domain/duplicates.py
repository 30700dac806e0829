"""Recognising the same person with the same concern across channels, without storing who."""

from __future__ import annotations

import hashlib
import hmac
import unicodedata
from datetime import date

from intake.domain.application import Applicant


def normalise_name(*parts: str | None) -> str:
    """Case, accents, punctuation and name order do not matter (Ömer Al-Haddad ~ haddad al omer)."""
    text = " ".join(p for p in parts if p)
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    letters = "".join(c if c.isalnum() else " " for c in decomposed if not unicodedata.combining(c))
    return " ".join(sorted(letters.split()))


def duplicate_key(secret: bytes, applicant: Applicant, concern: str) -> str | None:
    """HMAC of name, birth date, nationality and concern; None if any of them is unknown."""
    person = applicant
    if person.date_of_birth is None or person.nationality is None:
        return None
    name = normalise_name(person.given_name, person.family_name)
    if not name:
        return None
    message = "\x1f".join((name, _iso(person.date_of_birth), person.nationality.upper(), concern))
    return hmac.new(secret, message.encode(), hashlib.sha256).hexdigest()


def _iso(day: date) -> str:
    return day.isoformat()
