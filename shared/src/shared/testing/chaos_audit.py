"""The chaos harness's auditor: reads every service's store, as an auditor would, and checks
that each accepted application has exactly one case, one "received" message per channel and
one fact in metrics — per submission channel (HTTP ``201``, partner event acked by JetStream).
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CHANNELS = ("http", "partner")
PARTNER_KEYS = "SELECT key_hash, case_id FROM idempotency_keys"
APPLICATIONS = "SELECT case_id FROM applications"
CASES = "SELECT case_id FROM cases"
FACTS = "SELECT case_id, routed_at IS NOT NULL FROM case_facts"
RECEIVED = "SELECT case_id, channel FROM notifications WHERE kind = 'received'"


@dataclass
class Accepted:
    """What the harness was told it may rely on: case ids of 201s, key hashes of acked events."""

    http: set[str] = field(default_factory=set)
    partner: set[str] = field(default_factory=set)

    def __len__(self) -> int:
        return len(self.http) + len(self.partner)


@dataclass(frozen=True)
class Audit:
    """One reading of all four stores."""

    channel_of: dict[str, str]  # accepted case id -> submission channel
    unresolved: int  # acked partner events intake has no application for
    applications: Counter[str]
    cases: Counter[str]
    facts: Counter[str]
    facts_routed: set[str]
    received: Counter[tuple[str, str]]

    @property
    def accepted(self) -> set[str]:
        return set(self.channel_of)

    def notified(self) -> set[str]:
        return {case for case, _ in self.received}

    def drained(self) -> bool:
        """Every accepted application reached routing, notify and metrics' routed view."""
        accepted = self.accepted
        return not self.unresolved and all(
            accepted <= seen for seen in (set(self.cases), self.notified(), self.facts_routed)
        )

    def lost(self) -> dict[str, int]:
        accepted = self.accepted
        return {
            "intake": self.unresolved,
            "routing": len(accepted - set(self.cases)),
            "notify": len(accepted - self.notified()),
            "metrics": len(accepted - set(self.facts)),
        }

    def duplicated(self) -> dict[str, int]:
        accepted = self.accepted
        return {
            "intake applications": _extra(self.applications, accepted),
            "routing cases": _extra(self.cases, accepted),
            "received messages": sum(c - 1 for c in self.received.values()),
            "metrics facts": _extra(self.facts, accepted),
        }

    def by_channel(self) -> dict[str, dict[str, int]]:
        """Accepted and arrived at each service, per submission channel."""
        seen = {"routed": set(self.cases), "notified": self.notified(), "counted": set(self.facts)}
        out: dict[str, dict[str, int]] = {}
        for channel in CHANNELS:
            cases = {c for c, ch in self.channel_of.items() if ch == channel}
            out[channel] = {"accepted": len(cases)} | {k: len(cases & v) for k, v in seen.items()}
        out["partner"]["accepted"] += self.unresolved
        return out


def _extra(rows: Counter[str], accepted: set[str]) -> int:
    """Rows beyond one per accepted application: repeats, and rows no one was told about."""
    return sum(c - 1 for c in rows.values()) + len(set(rows) - accepted)


class StoreAuditor:
    """Reads the SQLite stores the platform keeps under ``var_dir``."""

    def __init__(self, var_dir: Path) -> None:
        self.var_dir = var_dir

    def _query(self, service: str, sql: str) -> list[tuple[Any, ...]]:
        with sqlite3.connect(self.var_dir / f"{service}.db", timeout=30) as db:
            return db.execute(sql).fetchall()

    def read(self, accepted: Accepted) -> Audit:
        keys = dict(self._query("intake", PARTNER_KEYS))
        channel_of = dict.fromkeys(accepted.http, "http")
        channel_of |= {keys[k]: "partner" for k in accepted.partner if k in keys}
        facts = self._query("metrics", FACTS)
        return Audit(
            channel_of=channel_of,
            unresolved=sum(1 for k in accepted.partner if k not in keys),
            applications=Counter(r[0] for r in self._query("intake", APPLICATIONS)),
            cases=Counter(r[0] for r in self._query("routing", CASES)),
            facts=Counter(r[0] for r in facts),
            facts_routed={r[0] for r in facts if r[1]},
            received=Counter((r[0], r[1]) for r in self._query("notify", RECEIVED)),
        )
