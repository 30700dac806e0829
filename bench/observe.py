"""Watch the event stream: when each case was routed and notified (core NATS taps the subjects).

Partner events get no answer carrying the case id, so the observer also reads the synthetic
applicant's e-mail (``chaos<i>@example.org``, made up by the load generator) from
``ApplicantContactRecorded`` to learn which case application ``i`` became. Nothing is logged.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field

import nats
import orjson
from nats.aio.client import Client
from nats.aio.msg import Msg
from shared.contracts import ApplicantContactRecorded, CaseRouted, NotificationSent
from shared.subjects import Namespace

from bench.load import Sample

SYNTHETIC = re.compile(r"^chaos(\d+)@example\.org$")


@dataclass
class Observer:
    url: str
    ns: Namespace
    routed: dict[str, float] = field(default_factory=dict)
    notified: dict[str, float] = field(default_factory=dict)
    teams: dict[str, str] = field(default_factory=dict)  # case id -> team
    cases: dict[int, str] = field(default_factory=dict)  # application index -> case id
    _nc: Client | None = None

    async def start(self) -> Observer:
        self._nc = await nats.connect(self.url)
        taps = (
            (CaseRouted, self._on_routed),
            (NotificationSent, self._on_notified),
            (ApplicantContactRecorded, self._on_contact),
        )
        for event, callback in taps:
            await self._nc.subscribe(
                self.ns.subject(event), cb=callback, pending_msgs_limit=0, pending_bytes_limit=0
            )
        return self

    async def _on_routed(self, msg: Msg) -> None:
        event = orjson.loads(msg.data)
        self.routed.setdefault(event["subject"], time.perf_counter())
        self.teams.setdefault(event["subject"], event["data"]["team"])

    async def _on_notified(self, msg: Msg) -> None:
        self.notified.setdefault(orjson.loads(msg.data)["subject"], time.perf_counter())

    async def _on_contact(self, msg: Msg) -> None:
        event = orjson.loads(msg.data)
        found = SYNTHETIC.match(event["data"].get("email") or "")
        if found:
            self.cases.setdefault(int(found.group(1)), event["subject"])

    def resolve(self, samples: list[Sample]) -> None:
        """Fill in the case id of partner samples (known once intake published the case)."""
        for s in samples:
            if s.case_id is None and s.index in self.cases:
                s.case_id = self.cases[s.index]

    def done_at(self, case_id: str | None) -> float | None:
        """When the case was both routed and notified (the later of the two)."""
        if case_id is None or case_id not in self.routed or case_id not in self.notified:
            return None
        return max(self.routed[case_id], self.notified[case_id])

    async def stop(self) -> None:
        if self._nc is not None:
            await self._nc.close()
