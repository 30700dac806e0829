"""Ticket numbers people can read out on the phone: ``K7QM-4T9X-R`` (8 characters + check).

The alphabet leaves out 0/O and 1/I. The check character is Luhn mod 32, which catches
every single wrong character and every swap of two neighbours.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable

ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
BODY_LENGTH = 8
GROUP = 4
_BASE = len(ALPHABET)
_CONFUSABLE = {"0": "O/0", "O": "O/0", "1": "I/1", "I": "I/1"}


class InvalidTicketError(ValueError):
    """The text is not a well-formed ticket number."""


def check_char(body: str) -> str:
    """The Luhn mod 32 check character of ``body`` (characters from ``ALPHABET``)."""
    total, factor = 0, 2
    for char in reversed(body):
        addend = factor * ALPHABET.index(char)
        total += addend // _BASE + addend % _BASE
        factor = 3 - factor
    return ALPHABET[(_BASE - total % _BASE) % _BASE]


def format_ticket(body: str) -> str:
    """``K7QM4T9X`` -> ``K7QM-4T9X-R``."""
    groups = [body[i : i + GROUP] for i in range(0, len(body), GROUP)]
    return "-".join([*groups, check_char(body)])


def new_ticket(choice: Callable[[str], str] = secrets.choice) -> str:
    """A fresh random ticket number (40 random bits)."""
    return format_ticket("".join(choice(ALPHABET) for _ in range(BODY_LENGTH)))


def parse_ticket(text: str) -> str:
    """The canonical form of a ticket a person typed; ``InvalidTicketError`` says why not."""
    compact = text.strip().upper().replace("-", "").replace(" ", "")
    if len(compact) != BODY_LENGTH + 1:
        msg = f"a ticket has {BODY_LENGTH + 1} characters, like K7QM-4T9X-R"
        raise InvalidTicketError(msg)
    for char in compact:
        if char in _CONFUSABLE:
            msg = f"tickets never contain {_CONFUSABLE[char]}; please check the character"
            raise InvalidTicketError(msg)
        if char not in ALPHABET:
            msg = f"character {char!r} cannot occur in a ticket"
            raise InvalidTicketError(msg)
    body, check = compact[:-1], compact[-1]
    if check_char(body) != check:
        msg = "check character does not match: the ticket was mistyped"
        raise InvalidTicketError(msg)
    return format_ticket(body)
