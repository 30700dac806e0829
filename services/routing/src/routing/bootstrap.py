"""Wire routing's dependencies once: real ones by default, fakes by keyword."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from shared.auth import Authenticator, build_authenticator
from shared.runtime import Runtime, build_runtime

from routing.adapters.clock import SystemClock
from routing.adapters.full_calendars import FullCalendars
from routing.adapters.holidays_calendar import land_calendar
from routing.adapters.office_file import OfficeSetup, load_office
from routing.adapters.rules_file import RulesFile
from routing.adapters.stream_tickets import StreamTickets
from routing.config import Settings
from routing.domain.rules import RuleBook
from routing.service_layer.appointments import Scheduler
from routing.service_layer.office import Office
from routing.service_layer.ports import Clock
from routing.service_layer.unit_of_work import RoutingUnitOfWork

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


@dataclass
class Container:
    """Everything routing's entrypoints need."""

    settings: Settings
    runtime: Runtime
    rules_file: RulesFile
    clock: Clock
    office: Office
    uow: Callable[[], RoutingUnitOfWork]
    office_setup: OfficeSetup
    authenticator: Authenticator
    tickets: StreamTickets
    full_calendars: FullCalendars

    @property
    def scheduler(self) -> Scheduler:
        """Seats in the team calendars, on the office's business days."""
        return Scheduler(self.office_setup, self.office, self.clock, self.full_calendars)

    @property
    def rules(self) -> RuleBook:
        """The rules in force (the last good version of the file)."""
        return self.rules_file.current


def build(
    settings: Settings,
    *,
    rules: RuleBook | None = None,
    clock: Clock | None = None,
    uow: Callable[[], RoutingUnitOfWork] | None = None,
    office_setup: OfficeSetup | None = None,
) -> Container:
    """The container; the rule file is loaded (and a bad one refused) here, at start."""
    runtime = build_runtime(settings, migrations=MIGRATIONS)

    def sql_uow() -> RoutingUnitOfWork:
        return RoutingUnitOfWork(runtime.sessions, runtime.ns, on_commit=runtime.relay.wake)

    clock = clock or SystemClock(settings.zone())
    return Container(
        settings=settings,
        runtime=runtime,
        rules_file=RulesFile(settings.rules_path, rules),
        clock=clock,
        office=Office(land_calendar(settings.land), settings.zone()),
        uow=uow or sql_uow,
        office_setup=office_setup or load_office(settings.office_path),
        authenticator=build_authenticator(settings),
        tickets=StreamTickets(_stream_key(settings)),
        full_calendars=FullCalendars(runtime.registry),
    )


def _stream_key(settings: Settings) -> bytes:
    """The configured key; without one, a random key: tickets work on this process only."""
    if settings.stream_key is None:
        return secrets.token_bytes(32)
    return settings.stream_key.get_secret_value().encode()
