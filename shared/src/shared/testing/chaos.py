"""Fault injection: submit applications over HTTP and as partner NATS events while services
are SIGKILLed and NATS is SIGKILLed and restarted, then check that nothing accepted was lost
and no side effect happened twice.

``make chaos`` runs it at full size (N = 10,000) on one NATS server and on a 3-node cluster
(``--cluster``: R3 streams, the leader of intake's stream killed during load and brought
back); ``make test`` runs small versions of both. The audit reads each service's store
directly, as an auditor would, after the system drained.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import secrets
import sys
import tempfile
import time
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import httpx
import nats

from shared.subjects import DEADLETTER, INBOUND, PRODUCERS, Namespace
from shared.testing.chaos_audit import Accepted, Audit, StoreAuditor
from shared.testing.chaos_partner import SOURCE, PartnerPublisher, partner_key_hash
from shared.testing.nats_server import NatsCluster
from shared.testing.processes import SERVICES, Platform

ROOT = Path(__file__).resolve().parents[4]
NATS_CONFIG = ROOT / "deploy" / "nats" / "embedded.conf"  # sync_interval: always


@dataclass(frozen=True)
class ChaosConfig:
    n: int = 300
    kills_per_service: int = 1
    nats_restarts: int = 1  # SIGKILLs of the server, or of one node (the stream leader)
    partner_share: float = 0.5  # of the N applications, sent as partner events over NATS
    cluster: bool = False  # three routed nodes, R3 streams
    concurrency: int = 8
    seed: int = 7
    drain_timeout_s: float = 180.0


@dataclass
class ChaosReport:
    n: int
    nats_nodes: int = 1
    accepted: int = 0
    channels: dict[str, dict[str, int]] = field(default_factory=dict)
    kills: dict[str, int] = field(default_factory=dict)
    nats_restarts: int = 0
    nats_killed: list[str] = field(default_factory=list)
    lost: dict[str, int] = field(default_factory=dict)
    duplicated: dict[str, int] = field(default_factory=dict)
    stalled_consumers: list[str] = field(default_factory=list)
    dead_letters: int = 0
    stream_replicas: int = 0
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


def is_partner(i: int, share: float) -> bool:
    """Spreads ``round(n * share)`` partner events evenly over the run."""
    return int((i + 1) * share) > int(i * share)


class Chaos:
    def __init__(self, config: ChaosConfig, workdir: Path) -> None:
        self.config = config
        self.workdir = workdir
        self.rng = random.Random(config.seed)
        self.ns = Namespace("chaos")
        size = 3 if config.cluster else 1
        self.nats = NatsCluster(workdir / "nats", "-c", str(NATS_CONFIG), size=size)
        self.platform: Platform | None = None
        self.partner = PartnerPublisher(self.nats.urls, self.ns.inbound_subject("applications", 1))
        self.secret = secrets.token_hex(32)
        self.auditor = StoreAuditor(workdir)
        self.report = ChaosReport(n=config.n, nats_nodes=size, kills=dict.fromkeys(SERVICES, 0))
        self.accepted = Accepted()
        self._run = uuid.uuid4().hex[:8]
        self._done = 0

    def _env(self) -> dict[str, str]:
        return {
            # a killed consumer's unacked messages come back after ack_wait: keep it short here
            "LOTSE_ACK_WAIT_SECONDS": "5",
            "LOTSE_STREAM_REPLICAS": str(len(self.nats.nodes)),
            # known to the auditor, who maps acked partner events to the cases they became
            "INTAKE_SECRET": self.secret,
        }

    async def run(self) -> ChaosReport:
        self.platform = Platform(self.nats.url, self.ns.prefix, self.workdir, self._env())
        try:
            await asyncio.to_thread(self.nats.start)
            await asyncio.to_thread(self.platform.start)
            await self.partner.connect()
            started = time.monotonic()
            async with asyncio.TaskGroup() as load:  # one failing cancels the other
                load.create_task(self._submit_all())
                load.create_task(self._inject_faults())
            self.report.submit_seconds = round(time.monotonic() - started, 1)
            self.report.accepted = len(self.accepted)
            for service in SERVICES:
                await asyncio.to_thread(self.platform.wait_ready, service, 120)
            self.report.drain_seconds = await self._drain()
            self._record(await asyncio.to_thread(self.auditor.read, self.accepted))
            self.report.stalled_consumers = await self._stalled_consumers()
            await self._record_streams()
        finally:
            await self.partner.close()
            self.platform.stop()
            self.nats.stop()
        return self.report

    def _record(self, audit: Audit) -> None:
        self.report.lost = audit.lost()
        self.report.duplicated = audit.duplicated()
        self.report.channels = audit.by_channel()

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
            if is_partner(i, self.config.partner_share):
                event_id = f"chaos-{self._run}-{i}"
                await self.partner.publish(event_id, application(i))
                self.accepted.partner.add(partner_key_hash(self.secret.encode(), SOURCE, event_id))
            else:
                body = await self._submit(client, i)
                self.accepted.http.add(body["case_id"])
            self._done += 1

    async def _submit(self, client: httpx.AsyncClient, i: int) -> dict[str, Any]:
        """Like a patient client: retry with the same Idempotency-Key until intake says 201."""
        assert self.platform is not None
        key = f"chaos-{self._run}-{i}-{uuid.UUID(int=i)}"
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
                await self._kill_nats_node()
            else:
                self.platform.kill(target)
                await asyncio.sleep(self.rng.uniform(0.1, 1.0))
                self.platform.launch(target)
                self.report.kills[target] += 1

    async def _kill_nats_node(self) -> None:
        """SIGKILL the leader of intake's stream (the only node, on one server); restart it.

        Acked writes must survive: ``sync_interval: always``, and on a cluster R3 streams.
        """
        leader = await self._stream_leader(self.ns.stream("intake"))
        name = leader if leader in self.nats.names else next(iter(self.nats.names))
        node = self.nats.node(name)
        node.kill()
        self.report.nats_killed.append(name)
        await asyncio.sleep(self.rng.uniform(1.0, 3.0) if self.config.cluster else 1.0)
        await asyncio.to_thread(node.start)
        await asyncio.to_thread(self.nats.wait_healthy, 120)
        self.report.nats_restarts += 1

    async def _stream_leader(self, stream: str) -> str | None:
        try:
            nc = await nats.connect(servers=self.nats.urls, connect_timeout=2)
        except (nats.errors.Error, OSError, TimeoutError):
            return None
        try:
            info = await nc.jetstream().stream_info(stream)
        except (nats.errors.Error, TimeoutError):
            return None
        finally:
            await nc.close()
        return info.cluster.leader if info.cluster else None

    async def _drain(self) -> float | None:
        started = time.monotonic()
        while time.monotonic() - started < self.config.drain_timeout_s:
            audit = await asyncio.to_thread(self.auditor.read, self.accepted)
            try:
                if audit.drained() and not await self._stalled_consumers():
                    return round(time.monotonic() - started, 1)
            except (nats.errors.Error, OSError, TimeoutError):
                pass  # a node still catching up; ask again
            await asyncio.sleep(0.5)
        return None

    async def _stalled_consumers(self) -> list[str]:
        nc = await nats.connect(servers=self.nats.urls)
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

    async def _record_streams(self) -> None:
        """Dead letters (diagnostic) and the replicas the streams really run with."""
        nc = await nats.connect(servers=self.nats.urls)
        try:
            js = nc.jetstream()
            parked = await js.stream_info(self.ns.stream(DEADLETTER))
            intake = await js.stream_info(self.ns.stream("intake"))
        finally:
            await nc.close()
        self.report.dead_letters = int(parked.state.messages)
        self.report.stream_replicas = int(intake.config.num_replicas or 1)


def render(report: ChaosReport) -> str:
    nats_kind = f"{report.nats_nodes} node(s), streams R{report.stream_replicas}"
    channels = ", ".join(
        f"{ch}: {' '.join(f'{k} {v}' for k, v in counts.items())}"
        for ch, counts in report.channels.items()
    )
    lines = [
        f"NATS                        {nats_kind}",
        f"applications submitted      {report.n}",
        f"accepted (201 / acked)      {report.accepted}",
        f"per channel                 {channels}",
        f"SIGKILLs                    {sum(report.kills.values())} ({report.kills})",
        f"NATS SIGKILL + restart      {report.nats_restarts} {report.nats_killed}",
        f"lost                        {sum(report.lost.values())} {report.lost}",
        f"duplicated side effects     {sum(report.duplicated.values())} {report.duplicated}",
        f"stalled consumers           {len(report.stalled_consumers)} {report.stalled_consumers}",
        f"dead letters                {report.dead_letters}",
        f"submitting took             {report.submit_seconds} s",
        f"drained after submitting in {report.drain_seconds} s",
        f"verdict                     {'OK' if report.ok else 'FAILED'}",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--kills", type=int, default=3, help="SIGKILLs per service")
    parser.add_argument("--nats-restarts", type=int, default=1, help="NATS (node) SIGKILLs")
    parser.add_argument("--partner-share", type=float, default=0.5, help="share sent over NATS")
    parser.add_argument("--cluster", action="store_true", help="3-node NATS cluster, R3 streams")
    parser.add_argument("--seed", type=int, default=int(time.time()))
    parser.add_argument("--drain-timeout", type=float, help="seconds; default max(180, N/20)")
    args = parser.parse_args(argv)
    config = ChaosConfig(
        n=args.n,
        kills_per_service=args.kills,
        nats_restarts=args.nats_restarts,
        partner_share=args.partner_share,
        cluster=args.cluster,
        seed=args.seed,
        drain_timeout_s=args.drain_timeout or max(180.0, args.n / 20),
    )
    out = ROOT / "var" / "chaos"
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="lotse-chaos-") as tmp:
        report = asyncio.run(Chaos(config, Path(tmp)).run())
    name = "report-cluster.json" if args.cluster else "report.json"
    (out / name).write_text(json.dumps(asdict(report) | {"ok": report.ok}, indent=2))
    print(render(report))
    print(f"report: {out / name} (seed {args.seed})")
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
