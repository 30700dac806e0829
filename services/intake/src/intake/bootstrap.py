"""Wire intake once: runtime, catalogue, unit of work and clock (real or overridden)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from shared.runtime import Runtime, build_runtime

from intake.adapters.catalogue_file import load_catalogue
from intake.catalogue import DEFAULT_CATALOGUE
from intake.config import Settings
from intake.domain.catalogue import Catalogue
from intake.service_layer.applications import Context
from intake.service_layer.ports import UnitOfWork
from intake.service_layer.unit_of_work import SqlIntakeUnitOfWork

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Container:
    settings: Settings
    runtime: Runtime
    catalogue: Catalogue
    uow: Callable[[], UnitOfWork]
    clock: Callable[[], datetime]

    def context(self) -> Context:
        return Context(catalogue=self.catalogue, clock=self.clock)


def build(settings: Settings, **overrides: Any) -> Container:
    """The container of dependencies; ``overrides`` replace any of them (tests use fakes)."""
    runtime: Runtime = overrides.pop("runtime", None) or build_runtime(
        settings, migrations=MIGRATIONS
    )
    catalogue = overrides.pop("catalogue", None) or load_catalogue(
        settings.catalogue_path or DEFAULT_CATALOGUE
    )

    def sql_uow() -> UnitOfWork:
        return SqlIntakeUnitOfWork(runtime.sessions, runtime.ns, on_commit=runtime.relay.wake)

    defaults: dict[str, Any] = {"uow": sql_uow, "clock": utc_now}
    defaults.update(overrides)
    return Container(settings=settings, runtime=runtime, catalogue=catalogue, **defaults)
