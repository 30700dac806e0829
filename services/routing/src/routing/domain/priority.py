"""Priorities and the order a team works through them."""

from __future__ import annotations

from enum import StrEnum


class Priority(StrEnum):
    URGENT = "urgent"
    HIGH = "high"
    NORMAL = "normal"
    LOW = "low"

    @property
    def rank(self) -> int:
        """0 for the most pressing; queues sort ascending by it."""
        return _RANK[self]


_RANK = {p: i for i, p in enumerate(Priority)}
