"""Replay: seed a year of the events metrics consumes, then time ``python -m metrics.replay``.

Per application: ApplicationReceived, CaseRouted, NotificationSent (every 20th a
NotificationFailed instead), spread over 365 days. Events are built once from the contracts
and varied as dicts (orjson), so seeding a million takes seconds, not minutes.
"""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import nats
import orjson
from shared.contracts import (
    ApplicationReceived,
    CaseRouted,
    CloudEvent,
    NotificationFailed,
    NotificationSent,
)
from shared.contracts.intake.v1 import ApplicationReceivedData
from shared.contracts.notify.v1 import NotificationFailedData, NotificationSentData
from shared.contracts.routing.v1 import CaseRoutedData
from shared.messaging.topology import StreamPolicy, declare_streams
from shared.subjects import Namespace
from shared.testing.nats_server import NatsServer
from tqdm import tqdm

START = datetime(2025, 1, 1, tzinfo=UTC)
CONCERNS = (("residence_permit_extension", "residence"), ("settlement_permit", "settlement"))
LANGUAGES = ("de", "en", "ar", "uk", "tr")
PIPELINE = 2000


def _templates() -> dict[type[CloudEvent], dict[str, Any]]:
    common = {"case_id": "c", "language": "de", "channel": "online", "concern": "x"}
    datas = {
        ApplicationReceived: ApplicationReceivedData(
            **common, ticket="T", received_at=START.isoformat(), team="t"
        ),
        CaseRouted: CaseRoutedData(
            **common, ticket="T", team="t", priority="normal", reasons=["bench"], rule_version="1"
        ),
        NotificationSent: NotificationSentData(
            case_id="c", notification_id="n", kind="received", channel="email", language="de",
            cause_event_id="e",
        ),
        NotificationFailed: NotificationFailedData(
            case_id="c", notification_id="n", kind="received", channel="sms", language="de",
            cause_event_id="e", permanent=True, reason="bench: no such number",
        ),
    }  # fmt: skip
    return {
        cls: cls.build(subject="c", data=data).model_dump(mode="json")
        for cls, data in datas.items()
    }


def application_events(
    i: int, templates: dict[type[CloudEvent], dict[str, Any]], count: int
) -> list[tuple[type[CloudEvent], bytes]]:
    """The three events of application ``i`` of ``count`` (spread over a year)."""
    case, at = f"case-{i:08d}", START + timedelta(days=365 * i / max(count, 1))
    concern, team = CONCERNS[i % 2]
    ticket, language = f"B-{i:08d}", LANGUAGES[i % len(LANGUAGES)]
    varied = {"case_id": case, "concern": concern, "team": team, "language": language}
    notice = NotificationFailed if i % 20 == 0 else NotificationSent
    out: list[tuple[type[CloudEvent], bytes]] = []
    for n, cls in enumerate((ApplicationReceived, CaseRouted, notice)):
        moment = at + timedelta(minutes=5 * n)
        event = dict(templates[cls], id=f"{case}-{n}", subject=case, time=moment.isoformat())
        data = dict(event["data"], **{k: v for k, v in varied.items() if k in event["data"]})
        if "ticket" in data:
            data["ticket"] = ticket
        if cls is ApplicationReceived:
            data["received_at"] = moment.isoformat()
        if "notification_id" in data:
            data["notification_id"], data["cause_event_id"] = f"{case}-n", f"{case}-1"
        event["data"] = data
        out.append((cls, orjson.dumps(event)))
    return out


async def seed(url: str, ns: Namespace, count: int) -> int:
    """Publish about ``count`` events (pipelined async publishes); how many were stored."""
    nc = await nats.connect(url)
    js = nc.jetstream(publish_async_max_pending=PIPELINE * 2)
    await declare_streams(js, ns, StreamPolicy())
    templates, apps, stored = _templates(), max(1, count // 3), 0
    acks: list[asyncio.Future[Any]] = []
    with tqdm(total=apps * 3, desc="seed replay", unit="ev", leave=False) as bar:
        for i in range(apps):
            for cls, body in application_events(i, templates, apps):
                acks.append(await js.publish_async(ns.subject(cls), body))
            if len(acks) >= PIPELINE or i == apps - 1:
                await asyncio.gather(*acks)
                bar.update(len(acks))
                acks = []
    for producer in ("intake", "routing", "notify"):
        stored += (await js.stream_info(ns.stream(producer))).state.messages
    await nc.close()
    return stored


RATE = re.compile(r"replayed (\d+) events \((\d+) skipped.* in ([\d.]+) s")


async def measure(workdir: Path, count: int) -> dict[str, Any]:
    """Seed ``count`` events on a NATS server of its own, then replay them into SQLite."""
    server = NatsServer(workdir / "nats-replay").start()
    ns = Namespace("benchreplay")
    try:
        started = time.perf_counter()
        stored = await seed(server.url, ns, count)
        seed_s = time.perf_counter() - started
        figures = await asyncio.to_thread(run_replay, server.url, ns, workdir / "replay.db")
    finally:
        server.stop()
    return {"seeded": stored, "seed_per_s": round(stored / seed_s, 1), **figures}


def run_replay(nats_url: str, ns: Namespace, db: Path) -> dict[str, Any]:
    """``python -m metrics.replay`` into a fresh SQLite file; its own figures and the wall time."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LOTSE_", "METRICS_"))}
    env.update(NATS_URL=nats_url, LOTSE_NAMESPACE=ns.prefix, LOG_LEVEL="WARNING")
    command = [sys.executable, "-m", "metrics.replay", "--database-url", f"sqlite:///{db}"]
    started = time.perf_counter()
    done = subprocess.run(  # noqa: S603 - our own interpreter and module
        [*command, "--quiet"], env=env, capture_output=True, text=True, check=False
    )
    wall = time.perf_counter() - started
    found = RATE.search(done.stdout)
    events, skipped, seconds = (
        (int(found.group(1)), int(found.group(2)), float(found.group(3))) if found else (0, 0, 0.0)
    )
    return {
        "command": "python -m metrics.replay --database-url sqlite:///<tmp>/replay.db --quiet",
        "exit_code": done.returncode,
        "events": events,
        "skipped": skipped,
        "replay_s": round(seconds, 2),
        "events_per_s": round(events / seconds, 1) if seconds else None,
        "wall_s": round(wall, 2),
        "wall_events_per_s": round(events / wall, 1) if wall else None,
        "error": None if done.returncode == 0 else done.stderr.strip()[-500:],
    }
