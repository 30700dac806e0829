"""The daily breakdown as CSV, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from metrics.service_layer.breakdown import BreakdownRow

HEADER = (
    "date",
    "concern",
    "channel",
    "received",
    "routed",
    "missing_documents",
    "notifications_sent",
    "notifications_failed",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def to_csv(rows: Iterable[BreakdownRow]) -> str:
    """One line per day x concern x channel, with a header line."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    for row in rows:
        writer.writerow(
            [
                row.day.isoformat(),
                _cell(row.concern),
                _cell(row.channel),
                row.received,
                row.routed,
                row.missing_documents,
                row.notifications.get("sent", 0),
                row.notifications.get("failed", 0),
            ]
        )
    return out.getvalue()


def _cell(text: str) -> str:
    """Keys come from events; never let one become a spreadsheet formula."""
    return f"'{text}" if text.startswith(_FORMULA_START) else text
