"""Wire metrics' dependencies once: real ones by default, others by keyword."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from shared.runtime import Runtime, build_runtime

from metrics.adapters.instruments import Instruments
from metrics.config import Settings
from metrics.service_layer.unit_of_work import MetricsUnitOfWork

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


@dataclass
class Container:
    """Everything metrics' entrypoints need."""

    settings: Settings
    runtime: Runtime
    instruments: Instruments
    uow: Callable[[], MetricsUnitOfWork]


def build(settings: Settings, *, uow: Callable[[], MetricsUnitOfWork] | None = None) -> Container:
    """The container: runtime (store, broker, registry), instruments and unit of work."""
    runtime = build_runtime(settings, migrations=MIGRATIONS)

    def sql_uow() -> MetricsUnitOfWork:
        return MetricsUnitOfWork(runtime.sessions, runtime.ns, on_commit=runtime.relay.wake)

    return Container(
        settings=settings,
        runtime=runtime,
        instruments=Instruments(runtime.registry),
        uow=uow or sql_uow,
    )
