from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from intake.domain.ticket import (
    ALPHABET,
    InvalidTicketError,
    check_char,
    format_ticket,
    new_ticket,
    parse_ticket,
)

TICKET = re.compile(r"^[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]$")


def test_new_ticket_has_readable_groups_and_valid_check_char() -> None:
    for _ in range(200):
        ticket = new_ticket()
        assert TICKET.match(ticket), ticket
        assert parse_ticket(ticket) == ticket


def test_alphabet_leaves_out_confusable_characters() -> None:
    assert len(ALPHABET) == 32
    assert not set("0O1I") & set(ALPHABET)


def test_parse_ticket_accepts_lower_case_and_spaces() -> None:
    ticket = format_ticket("K7QM4T9X")
    assert parse_ticket(f"  {ticket.lower().replace('-', ' ')} ") == ticket


@pytest.mark.parametrize("char", ["0", "O", "1", "I"])
def test_parse_ticket_rejects_confusable_character(char: str) -> None:
    ticket = format_ticket("K7QM4T9X")
    typed = char + ticket[1:]
    with pytest.raises(InvalidTicketError, match="never contain"):
        parse_ticket(typed)


@pytest.mark.parametrize("text", ["", "K7QM-4T9X", "K7QM-4T9X-RR", "K7QM-4T9X-$"])
def test_parse_ticket_rejects_malformed_text(text: str) -> None:
    with pytest.raises(InvalidTicketError):
        parse_ticket(text)


def _single_substitutions(body: str) -> Iterator[str]:
    for i, original in enumerate(body):
        for char in ALPHABET:
            if char != original:
                yield body[:i] + char + body[i + 1 :]


def test_check_char_catches_every_single_wrong_character() -> None:
    body = "K7QM4T9X"
    check = check_char(body)
    for typo in _single_substitutions(body):
        with pytest.raises(InvalidTicketError, match="check character"):
            parse_ticket(typo + check)


def test_check_char_catches_swapped_neighbours() -> None:
    body = "K7QM4T9X"
    check = check_char(body)
    for i in range(len(body) - 1):
        swapped = body[:i] + body[i + 1] + body[i] + body[i + 2 :]
        if swapped != body:
            with pytest.raises(InvalidTicketError, match="check character"):
                parse_ticket(swapped + check)
