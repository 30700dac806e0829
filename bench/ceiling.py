"""The bus's own ceiling on this machine, measured in the same run as Lotse.

* raw JetStream async publish of ~500-byte messages;
* a lean 3-hop pipeline: raw nats-py pull consumers in batches, one batched SQLite commit
  per batch, orjson, pipelined publishes: what a hand-tuned service could reach.
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
import uuid
from pathlib import Path

import nats
import orjson
from nats.js import JetStreamContext
from nats.js.api import StorageType, StreamConfig

PAYLOAD = orjson.dumps({"id": "x" * 36, "type": "bench", "data": {"pad": "y" * 420}})
BATCH = 100


async def _stream(js: JetStreamContext, name: str, subject: str) -> None:
    await js.add_stream(StreamConfig(name=name, subjects=[subject], storage=StorageType.FILE))


async def raw_publish(url: str, count: int) -> float:
    """Messages per second JetStream accepts from one async publisher."""
    nc = await nats.connect(url)
    js = nc.jetstream()
    tag = uuid.uuid4().hex[:8]
    await _stream(js, f"BENCHRAW_{tag}", f"benchraw.{tag}")
    started = time.perf_counter()
    for start in range(0, count, 1000):
        acks = [
            await js.publish_async(f"benchraw.{tag}", PAYLOAD)
            for _ in range(min(1000, count - start))
        ]
        await asyncio.gather(*acks)
    rate = count / (time.perf_counter() - started)
    await js.delete_stream(f"BENCHRAW_{tag}")
    await nc.close()
    return rate


async def _hop(
    js: JetStreamContext, src: str, dst: str | None, db: sqlite3.Connection, n: int
) -> None:
    sub = await js.pull_subscribe(src, durable=f"hop-{src.replace('.', '-')}")
    done = 0
    while done < n:
        try:
            msgs = await sub.fetch(BATCH, timeout=1)
        except (TimeoutError, nats.errors.TimeoutError):
            continue
        rows = [(orjson.loads(m.data)["id"],) for m in msgs]
        db.executemany("INSERT INTO seen (id) VALUES (?)", rows)
        db.commit()
        if dst is not None:
            await asyncio.gather(*[await js.publish_async(dst, m.data) for m in msgs])
        await asyncio.gather(*(m.ack() for m in msgs))
        done += len(msgs)


async def lean_pipeline(url: str, count: int, workdir: Path) -> float:
    """End-to-end messages per second through three batched hops."""
    nc = await nats.connect(url)
    js = nc.jetstream()
    tag = uuid.uuid4().hex[:8]
    subjects = [f"benchlean.{tag}.{i}" for i in range(4)]
    await _stream(js, f"BENCHLEAN_{tag}", f"benchlean.{tag}.*")
    dbs = []
    for i in range(3):
        db = sqlite3.connect(workdir / f"lean-{tag}-{i}.db")
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("CREATE TABLE seen (id TEXT)")
        dbs.append(db)
    started = time.perf_counter()
    hops = [
        asyncio.create_task(
            _hop(js, subjects[i], subjects[i + 1] if i < 2 else None, dbs[i], count)
        )
        for i in range(3)
    ]
    for start in range(0, count, 1000):
        acks = [
            await js.publish_async(subjects[0], PAYLOAD) for _ in range(min(1000, count - start))
        ]
        await asyncio.gather(*acks)
    await asyncio.gather(*hops)
    rate = count / (time.perf_counter() - started)
    await js.delete_stream(f"BENCHLEAN_{tag}")
    await nc.close()
    for db in dbs:
        db.close()
    return rate
