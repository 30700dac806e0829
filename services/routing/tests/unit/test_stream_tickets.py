"""Stream tickets: signed for one team, short-lived, useless when forged or tampered with."""

from __future__ import annotations

from datetime import timedelta

import pytest
from routing.adapters.stream_tickets import StreamTickets, TicketError, WrongTeamError

from ..fakes import MONDAY

TICKETS = StreamTickets(b"k" * 32)


def test_a_ticket_opens_its_team_stream_until_it_expires() -> None:
    ticket = TICKETS.issue("residence", MONDAY)
    TICKETS.check(ticket, "residence", MONDAY + timedelta(seconds=60))
    with pytest.raises(TicketError, match="expired"):
        TICKETS.check(ticket, "residence", MONDAY + timedelta(seconds=61))


def test_a_ticket_for_another_team_is_refused_as_such() -> None:
    ticket = TICKETS.issue("family", MONDAY)
    with pytest.raises(WrongTeamError):
        TICKETS.check(ticket, "residence", MONDAY)


@pytest.mark.parametrize(
    "ticket",
    [
        None,
        "",
        "residence",
        "residence.9999999999.",
        "residence.9999999999.AAAA",
        "residence.²³.AAAA",
    ],
)
def test_missing_or_malformed_tickets_are_refused(ticket: str | None) -> None:
    with pytest.raises(TicketError) as refused:
        TICKETS.check(ticket, "residence", MONDAY)
    assert not isinstance(refused.value, WrongTeamError)


def test_tampering_with_team_or_expiry_breaks_the_signature() -> None:
    team, expires, mac = TICKETS.issue("family", MONDAY).split(".")
    for forged in (f"residence.{expires}.{mac}", f"{team}.{int(expires) + 3600}.{mac}"):
        with pytest.raises(TicketError, match="not valid"):
            TICKETS.check(forged, forged.split(".")[0], MONDAY)


def test_a_ticket_signed_with_another_key_is_refused() -> None:
    other = StreamTickets(b"o" * 32).issue("residence", MONDAY)
    with pytest.raises(TicketError, match="not valid"):
        TICKETS.check(other, "residence", MONDAY)
