"""Watch the event stream: when each case was routed and notified (core NATS taps the subjects)."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import nats
import orjson
from nats.aio.client import Client
from nats.aio.msg import Msg
from shared.contracts import CaseRouted, NotificationSent
from shared.subjects import Namespace


@dataclass
class Observer:
    url: str
    ns: Namespace
    routed: dict[str, float] = field(default_factory=dict)
    notified: dict[str, float] = field(default_factory=dict)
    _nc: Client | None = None

    async def start(self) -> Observer:
        self._nc = await nats.connect(self.url)
        await self._nc.subscribe(self.ns.subject(CaseRouted), cb=self._on_routed)
        await self._nc.subscribe(self.ns.subject(NotificationSent), cb=self._on_notified)
        return self

    async def _on_routed(self, msg: Msg) -> None:
        self.routed.setdefault(orjson.loads(msg.data)["subject"], time.perf_counter())

    async def _on_notified(self, msg: Msg) -> None:
        self.notified.setdefault(orjson.loads(msg.data)["subject"], time.perf_counter())

    async def stop(self) -> None:
        if self._nc is not None:
            await self._nc.close()
