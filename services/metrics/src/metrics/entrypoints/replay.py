"""Rebuild the projection from the streams into a fresh store (``python -m metrics.replay``).

Each producer stream is read from its first message in large pull batches; each batch is
validated with the contracts (what a live consumer would dead-letter is skipped and
counted), translated by the live translators, folded in memory by the live merge rules
and written with one bulk upsert per table and row shape, in one transaction. While one
batch is written (SQLite/PostgreSQL work off the event loop), the next is translated.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from nats.aio.client import Client
from nats.js.errors import NotFoundError
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine
from tqdm import tqdm

from metrics.adapters.event_batches import Kind, Translation, kinds_by_stream, translate
from metrics.adapters.stream_reader import Message, StreamReader, connect
from metrics.bootstrap import MIGRATIONS
from metrics.config import Settings
from metrics.service_layer.replay import Replayed, Writer, is_empty
from metrics.service_layer.unit_of_work import MetricsUnitOfWork
from shared import store

log = logging.getLogger(__name__)
FETCH_TIMEOUT_S = 30.0
CHUNK = 1000  # messages translated between two turns of the event loop
SQLITE_CACHE_KIB = 65536


class StoreNotEmptyError(RuntimeError):
    """Replay only fills a fresh store; it never mixes into a live one."""


@dataclass
class ReplayReport:
    events: int = 0
    skipped: int = 0
    seconds: float = 0.0
    per_event: dict[str, int] = field(default_factory=dict)

    @property
    def rate(self) -> float:
        return self.events / self.seconds if self.seconds > 0 else 0.0

    def add(self, found: Translation) -> None:
        self.skipped += found.skipped
        self.events += len(found.cmds)
        for name, count in found.per_event.items():
            self.per_event[name] = self.per_event.get(name, 0) + count


async def replay(settings: Settings, *, batch: int = 10_000, progress: bool = True) -> ReplayReport:
    """Fold every event in the streams into the (empty) store of ``settings``."""
    url = settings.resolved_database_url()
    await store.migrate(url, MIGRATIONS, settings.service)
    engine = _engine(url)
    sessions = store.session_factory(engine)
    nc = await connect(settings.nats_servers())
    try:

        def uow() -> MetricsUnitOfWork:
            return MetricsUnitOfWork(sessions, settings.ns())

        if not await is_empty(uow()):
            msg = "the target store already holds facts; replay into a fresh store"
            raise StoreNotEmptyError(msg)
        with _rare_collections():
            return await _fold_all(settings, nc, uow, batch=batch, progress=progress)
    finally:
        await nc.close()
        await engine.dispose()


def _engine(url: str) -> AsyncEngine:
    """The store's engine; on SQLite with a page cache that holds a large batch's indexes."""
    engine = store.create_engine(url)
    if engine.dialect.name == "sqlite":

        def larger_cache(dbapi_conn: Any, _record: Any) -> None:
            dbapi_conn.cursor().execute(f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}")

        event.listen(engine.sync_engine, "connect", larger_cache)
    return engine


@contextlib.contextmanager
def _rare_collections() -> Iterator[None]:
    """Replay makes millions of short-lived, acyclic objects: collect cycles rarely."""
    before = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(100_000, 50, 100)
    try:
        yield
    finally:
        gc.set_threshold(*before)
        gc.unfreeze()


async def _total(nc: Client, stream: str, subjects: list[str]) -> int:
    """Messages on ``subjects`` now (for the progress bar)."""
    try:
        info = await nc.jetstream().stream_info(stream, subjects_filter=">")
    except NotFoundError:
        return 0
    found = info.state.subjects or {}
    return sum(found.get(subject, 0) for subject in subjects)


async def _translated(
    messages: Sequence[Message],
    kinds: dict[str, Kind],
    settings: Settings,
    seen: dict[str, set[str]],
) -> Translation:
    """Translate in chunks, letting the previous batch's write advance in between."""
    out, zone = Translation(), settings.zone()
    for start in range(0, len(messages), CHUNK):
        translate(messages[start : start + CHUNK], kinds, zone, seen, out)
        await asyncio.sleep(0)
    return out


async def _fold_stream(
    reader: StreamReader,
    kinds: dict[str, Kind],
    settings: Settings,
    writer: Writer,
    progress: _Progress,
) -> None:
    if not await reader.open():
        await reader.close()
        return
    async for messages in reader.batches():
        found = await _translated(messages, kinds, settings, progress.seen)
        await writer.submit(Replayed(found.cmds, found.processed))
        progress.report.add(found)
        progress.bar.update(len(messages))
    if reader.ended:
        log.warning("stream ended early", extra={"stream": reader.stream})


@dataclass
class _Progress:
    report: ReplayReport
    bar: Any
    seen: dict[str, set[str]] = field(default_factory=dict)


async def _fold_all(
    settings: Settings,
    nc: Client,
    uow: Callable[[], MetricsUnitOfWork],
    *,
    batch: int,
    progress: bool,
) -> ReplayReport:
    report, started, writer = ReplayReport(), time.perf_counter(), Writer(uow)
    seen: dict[str, set[str]] = {}
    streams = kinds_by_stream(settings)
    total = sum([await _total(nc, stream, list(kinds)) for stream, kinds in streams.items()])
    try:
        with tqdm(total=total, unit="ev", disable=not progress) as bar:
            for stream, kinds in streams.items():
                reader = StreamReader(nc, stream, list(kinds), batch=batch, timeout=FETCH_TIMEOUT_S)
                await _fold_stream(reader, kinds, settings, writer, _Progress(report, bar, seen))
            await writer.drain()
    finally:
        await writer.abandon()
    report.seconds = time.perf_counter() - started
    return report
