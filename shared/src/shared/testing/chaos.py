"""Fault injection: submit applications while services are SIGKILLed and NATS restarts,
then check that nothing accepted was lost and no side effect happened twice.

``make chaos`` runs it at full size (N = 10,000); ``make test`` runs a small version.
The audit reads each service's store directly, as an auditor would, after the system drained.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sqlite3
import sys
import tempfile
import time
import uuid
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import httpx
import nats

from shared.subjects import DEADLETTER, INBOUND, PRODUCERS, Namespace
from shared.testing.nats_server import NatsServer
from shared.testing.processes import SERVICES, Platform

ROOT = Path(__file__).resolve().parents[4]
ROUTED = "SELECT case_id FROM cases"
COUNTED = "SELECT case_id FROM case_facts WHERE routed_at IS NOT NULL"
RECEIVED_SENT = "SELECT case_id, channel FROM notifications WHERE kind = 'received'"
NATS_CONFIG = ROOT / "deploy" / "nats" / "embedded.conf"


@dataclass(frozen=True)
class ChaosConfig:
    n: int = 300
    kills_per_service: int = 1
    nats_restarts: int = 1
    concurrency: int = 8
    seed: int = 7
    drain_timeout_s: float = 180.0


@dataclass
class ChaosReport:
    n: int
    accepted: int = 0
    kills: dict[str, int] = field(default_factory=dict)
    nats_restarts: int = 0
    lost: dict[str, int] = field(default_factory=dict)
    duplicated: dict[str, int] = field(default_factory=dict)
    stalled_consumers: list[str] = field(default_factory=list)
    submit_seconds: float = 0.0
    drain_seconds: float | None = None

    @property
    def ok(self) -> bool:
        return (
            self.accepted == self.n
            and not any(self.lost.values())
            and not any(self.duplicated.values())
            and not self.stalled_consumers
            and self.drain_seconds is not None
        )


def application(i: int) -> dict[str, Any]:
    return {
        "concern": "residence_permit_extension" if i % 3 else "settlement_permit",
        "channel": "online",
        "language": ("de", "en", "ar", "uk")[i % 4],
        "applicant": {
            "given_name": f"Chaos{i}",
            "family_name": "Probe",
            "date_of_birth": f"19{50 + i % 50}-0{1 + i % 9}-1{i % 10}",
            "nationality": "UKR",
            "email": f"chaos{i}@example.org",
        },
        "documents": [{"kind": "passport"}],
    }


class Chaos:
    def __init__(self, config: ChaosConfig, workdir: Path) -> None:
        self.config = config
        self.workdir = workdir
        self.rng = random.Random(config.seed)
        self.ns = Namespace("chaos")
        self.nats = NatsServer(workdir / "nats", None, "-c", str(NATS_CONFIG))
        self.platform: Platform | None = None
        self.report = ChaosReport(n=config.n, kills=dict.fromkeys(SERVICES, 0))
        self.accepted: dict[str, str] = {}  # case_id -> ticket
        self._done = 0

    async def run(self) -> ChaosReport:
        self.nats.start()
        # a killed consumer's unacked messages come back after ack_wait: keep it short here
        env = {"LOTSE_ACK_WAIT_SECONDS": "5"}
        self.platform = Platform(self.nats.url, self.ns.prefix, self.workdir, env).start()
        try:
            started = time.monotonic()
            await asyncio.gather(self._submit_all(), self._inject_faults())
            self.report.submit_seconds = round(time.monotonic() - started, 1)
            self.report.accepted = len(self.accepted)
            for service in SERVICES:
                await asyncio.to_thread(self.platform.wait_ready, service, 120)
            self.report.drain_seconds = await self._drain()
            self._audit()
            self.report.stalled_consumers = await self._stalled_consumers()
        finally:
            self.platform.stop()
            self.nats.stop()
        return self.report

    async def _submit_all(self) -> None:
        queue: asyncio.Queue[int] = asyncio.Queue()
        for i in range(self.config.n):
            queue.put_nowait(i)
        async with httpx.AsyncClient(timeout=10) as client:
            await asyncio.gather(
                *(self._worker(client, queue) for _ in range(self.config.concurrency))
            )

    async def _worker(self, client: httpx.AsyncClient, queue: asyncio.Queue[int]) -> None:
        while not queue.empty():
            i = queue.get_nowait()
            body = await self._submit(client, i)
            self.accepted[body["case_id"]] = body["ticket"]
            self._done += 1

    async def _submit(self, client: httpx.AsyncClient, i: int) -> dict[str, Any]:
        """Like a patient client: retry with the same Idempotency-Key until intake says 201."""
        assert self.platform is not None
        key = f"chaos-{self.config.seed}-{i}-{uuid.UUID(int=i)}"
        url = f"{self.platform.url('intake')}/v1/applications"
        for _ in range(600):
            try:
                response = await client.post(
                    url, json=application(i), headers={"Idempotency-Key": key}
                )
            except httpx.HTTPError:
                await asyncio.sleep(0.2)
                continue
            if response.status_code in (200, 201):
                return dict(response.json())
            if response.status_code < 500:
                msg = f"submission {i} refused: {response.status_code} {response.text[:300]}"
                raise RuntimeError(msg)
            await asyncio.sleep(0.2)
        msg = f"submission {i} never accepted"
        raise RuntimeError(msg)

    def _fault_plan(self) -> list[tuple[float, str]]:
        faults = [
            (self.rng.uniform(0.1, 0.9), s)
            for s in SERVICES
            for _ in range(self.config.kills_per_service)
        ]
        faults += [(self.rng.uniform(0.2, 0.8), "nats") for _ in range(self.config.nats_restarts)]
        return sorted(faults)

    async def _inject_faults(self) -> None:
        assert self.platform is not None
        for at, target in self._fault_plan():
            while self._done < at * self.config.n:  # noqa: ASYNC110 - progress is polled
                await asyncio.sleep(0.02)
            if target == "nats":
                assert self.nats.proc is not None
                self.nats.proc.kill()  # SIGKILL: acked writes must survive (sync_interval: always)
                self.nats.proc.wait(10)
                await asyncio.sleep(self.rng.uniform(0.5, 2.0))
                await asyncio.to_thread(self.nats.start)
                self.report.nats_restarts += 1
            else:
                self.platform.kill(target)
                await asyncio.sleep(self.rng.uniform(0.1, 1.0))
                self.platform.launch(target)
                self.report.kills[target] += 1

    def _query(self, service: str, sql: str) -> list[tuple[Any, ...]]:
        with sqlite3.connect(self.workdir / f"{service}.db", timeout=30) as db:
            return db.execute(sql).fetchall()

    def _counts(self) -> dict[str, int]:
        return {
            "routing": len(self._query("routing", ROUTED)),
            "notify": len({r[0] for r in self._query("notify", RECEIVED_SENT)}),
            "metrics": len(self._query("metrics", COUNTED)),
        }

    async def _drain(self) -> float | None:
        started = time.monotonic()
        target = len(self.accepted)
        while time.monotonic() - started < self.config.drain_timeout_s:
            counts = await asyncio.to_thread(self._counts)
            if all(v >= target for v in counts.values()) and not await self._stalled_consumers():
                return round(time.monotonic() - started, 1)
            await asyncio.sleep(0.5)
        return None

    def _audit(self) -> None:
        accepted = set(self.accepted)
        routed = Counter(r[0] for r in self._query("routing", "SELECT case_id FROM cases"))
        counted = Counter(r[0] for r in self._query("metrics", "SELECT case_id FROM case_facts"))
        sent = Counter(
            (r[0], r[1])
            for r in self._query(
                "notify", "SELECT case_id, channel FROM notifications WHERE kind = 'received'"
            )
        )
        notified = {case for case, _ in sent}
        self.report.lost = {
            "routing": len(accepted - set(routed)),
            "notify": len(accepted - notified),
            "metrics": len(accepted - set(counted)),
        }
        self.report.duplicated = {
            "routing cases": sum(c - 1 for c in routed.values()) + len(set(routed) - accepted),
            "received messages": sum(c - 1 for c in sent.values()),
            "metrics facts": len(set(counted) - accepted),
        }

    async def _stalled_consumers(self) -> list[str]:
        nc = await nats.connect(self.nats.url)
        stalled = []
        try:
            js = nc.jetstream()
            for producer in (*PRODUCERS, DEADLETTER, INBOUND):
                for info in await js.consumers_info(self.ns.stream(producer)):
                    if info.num_pending or info.num_ack_pending:
                        waiting = f"{info.num_pending} pending, {info.num_ack_pending} unacked"
                        stalled.append(f"{info.name}: {waiting}")
        finally:
            await nc.close()
        return stalled


def render(report: ChaosReport) -> str:
    lines = [
        f"applications submitted      {report.n}",
        f"accepted (201)              {report.accepted}",
        f"SIGKILLs                    {sum(report.kills.values())} ({report.kills})",
        f"NATS restarts (SIGKILL)     {report.nats_restarts}",
        f"lost                        {sum(report.lost.values())} {report.lost}",
        f"duplicated side effects     {sum(report.duplicated.values())} {report.duplicated}",
        f"stalled consumers           {len(report.stalled_consumers)} {report.stalled_consumers}",
        f"submitting took             {report.submit_seconds} s",
        f"drained after submitting in {report.drain_seconds} s",
        f"verdict                     {'OK' if report.ok else 'FAILED'}",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--kills", type=int, default=3, help="SIGKILLs per service")
    parser.add_argument("--nats-restarts", type=int, default=1)
    parser.add_argument("--seed", type=int, default=int(time.time()))
    args = parser.parse_args(argv)
    config = ChaosConfig(
        n=args.n,
        kills_per_service=args.kills,
        nats_restarts=args.nats_restarts,
        seed=args.seed,
        drain_timeout_s=max(180.0, args.n / 20),
    )
    out = ROOT / "var" / "chaos"
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="lotse-chaos-") as tmp:
        report = asyncio.run(Chaos(config, Path(tmp)).run())
    (out / "report.json").write_text(json.dumps(asdict(report) | {"ok": report.ok}, indent=2))
    print(render(report))
    print(f"report: {out / 'report.json'} (seed {args.seed})")
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
