"""Short-lived, HMAC-signed tickets for the live-queue stream (EventSource sends no headers).

A ticket names its team and expiry and is signed with the routing key; any replica holding
the same key accepts it. It says nothing about the person (it ends up in URLs and logs).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime

TTL_S = 60


class TicketError(Exception):
    """The ticket is missing, forged, malformed or expired (HTTP 401); the text says which."""


class WrongTeamError(TicketError):
    """A genuine ticket, but for another team's queue (HTTP 403)."""


@dataclass(frozen=True)
class StreamTickets:
    key: bytes
    ttl_s: int = TTL_S

    def issue(self, team: str, now: datetime) -> str:
        """A ticket for ``team``'s stream, valid ``ttl_s`` seconds from ``now``."""
        expires = int(now.timestamp()) + self.ttl_s
        return f"{team}.{expires}.{self._mac(team, expires)}"

    def check(self, ticket: str | None, team: str, now: datetime) -> None:
        """Return if ``ticket`` opens ``team``'s stream at ``now``; else raise why not."""
        if not ticket:
            raise TicketError("a stream ticket is required (POST …/stream-ticket)")
        owner, _, rest = ticket.partition(".")
        expiry, _, mac = rest.partition(".")
        well_formed = expiry.isascii() and expiry.isdigit()
        if not well_formed or not hmac.compare_digest(mac, self._mac(owner, int(expiry))):
            raise TicketError("the stream ticket is not valid")
        if int(expiry) < now.timestamp():
            raise TicketError("the stream ticket has expired; ask for a new one")
        if owner != team:
            raise WrongTeamError(f"the stream ticket is for another team, not {team!r}")

    def _mac(self, team: str, expires: int) -> str:
        digest = hmac.new(self.key, f"stream:{team}:{expires}".encode(), hashlib.sha256)
        return base64.urlsafe_b64encode(digest.digest()).rstrip(b"=").decode()
