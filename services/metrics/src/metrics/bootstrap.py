"""Wire metrics' dependencies once: real ones by default, others by keyword."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import nats.errors
from shared.runtime import Runtime, build_runtime
from shared.subjects import DEADLETTER

from metrics.adapters.instruments import Instruments
from metrics.adapters.targets_file import load_rules, load_targets
from metrics.config import Settings
from metrics.service_layer.alerting import DeadLetterCount
from metrics.service_layer.alerts import Rule
from metrics.service_layer.targets import Targets
from metrics.service_layer.unit_of_work import MetricsUnitOfWork

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Container:
    """Everything metrics' entrypoints need."""

    settings: Settings
    runtime: Runtime
    instruments: Instruments
    uow: Callable[[], MetricsUnitOfWork]
    targets: Targets = field(default_factory=Targets)
    rules: list[Rule] = field(default_factory=list)
    clock: Callable[[], datetime] = utc_now
    dead_letters: DeadLetterCount | None = None

    def today(self) -> datetime:
        return self.clock().astimezone(self.settings.zone())


def build(
    settings: Settings,
    *,
    uow: Callable[[], MetricsUnitOfWork] | None = None,
    clock: Callable[[], datetime] | None = None,
    dead_letters: DeadLetterCount | None = None,
) -> Container:
    """The container: runtime (store, broker, registry), instruments, targets, rules, clock."""
    runtime = build_runtime(settings, migrations=MIGRATIONS)

    def sql_uow() -> MetricsUnitOfWork:
        return MetricsUnitOfWork(runtime.sessions, runtime.ns, on_commit=runtime.relay.wake)

    async def stream_dead_letters() -> int | None:
        """Messages in the dead-letter stream; ``None`` while NATS cannot say."""
        if not runtime.broker_up.is_set():
            return None
        with contextlib.suppress(nats.errors.Error, OSError, TimeoutError):
            info = await runtime.jetstream().stream_info(runtime.ns.stream(DEADLETTER))
            return int(info.state.messages)
        return None

    return Container(
        settings=settings,
        runtime=runtime,
        instruments=Instruments(runtime.registry),
        uow=uow or sql_uow,
        targets=load_targets(settings.targets_file),
        rules=load_rules(settings.alert_rules_file),
        clock=clock or utc_now,
        dead_letters=dead_letters or stream_dead_letters,
    )
