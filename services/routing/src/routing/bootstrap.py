"""Wire routing's dependencies once: real ones by default, fakes by keyword."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from shared.runtime import Runtime, build_runtime

from routing.adapters.clock import SystemClock
from routing.adapters.rules_file import load_rules
from routing.config import Settings
from routing.domain.rules import RuleBook
from routing.service_layer.ports import Clock
from routing.service_layer.unit_of_work import RoutingUnitOfWork

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


@dataclass
class Container:
    """Everything routing's entrypoints need."""

    settings: Settings
    runtime: Runtime
    rules: RuleBook
    clock: Clock
    uow: Callable[[], RoutingUnitOfWork]


def build(
    settings: Settings,
    *,
    rules: RuleBook | None = None,
    clock: Clock | None = None,
    uow: Callable[[], RoutingUnitOfWork] | None = None,
) -> Container:
    """The container; the rule file is loaded (and a bad one refused) here, at start."""
    runtime = build_runtime(settings, migrations=MIGRATIONS)

    def sql_uow() -> RoutingUnitOfWork:
        return RoutingUnitOfWork(runtime.sessions, runtime.ns, on_commit=runtime.relay.wake)

    return Container(
        settings=settings,
        runtime=runtime,
        rules=rules or load_rules(settings.rules_path),
        clock=clock or SystemClock(settings.zone()),
        uow=uow or sql_uow,
    )
