"""Load the office file: each team's appointment calendar and the caseworker roster."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time
from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from routing.domain.appointments import SlotCalendar
from routing.domain.assignment import Caseworker

Key = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,63}$")]
Span = Annotated[str, StringConstraints(pattern=r"^\d\d:\d\d-\d\d:\d\d$")]
Day = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class OfficeFileError(ValueError):
    """The office file is missing or invalid; the message names the file and the reason."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Calendar(_Strict):
    location: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    slot_minutes: int = Field(20, ge=5, le=240)
    capacity: int = Field(1, ge=1, le=50)
    emergency_share: float = Field(0.0, ge=0, le=1)
    horizon_days: int = Field(30, ge=1, le=366)
    hours: dict[Day, list[Span]] = Field(default_factory=dict)


class _Worker(_Strict):
    id: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_.-]{1,64}$")]
    team: Key
    languages: list[Annotated[str, StringConstraints(max_length=35)]] = Field(default_factory=list)
    max_open: int = Field(10, ge=0, le=1000)
    absent: list[date] = Field(default_factory=list, max_length=400)


class _File(_Strict):
    calendars: dict[Key, _Calendar] = Field(default_factory=dict)
    roster: list[_Worker] = Field(default_factory=list, max_length=2000)


@dataclass(frozen=True)
class OfficeSetup:
    """Calendars by team, and the roster by team."""

    calendars: dict[str, SlotCalendar] = field(default_factory=dict)
    roster: tuple[Caseworker, ...] = ()

    def team_roster(self, team: str) -> list[Caseworker]:
        return [worker for worker in self.roster if worker.team == team]


def load_office(path: Path) -> OfficeSetup:
    """The office setup in ``path``; ``OfficeFileError`` naming the file and what is wrong."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        parsed = _File.model_validate(raw)
        return OfficeSetup(
            {team: _calendar(team, c) for team, c in parsed.calendars.items()},
            tuple(_worker(w) for w in parsed.roster),
        )
    except OSError as exc:
        raise OfficeFileError(f"{path}: cannot read: {exc.strerror}") from exc
    except yaml.YAMLError as exc:
        raise OfficeFileError(f"{path}: not valid YAML: {exc}") from exc
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        where = ".".join(str(p) for p in first["loc"]) or "top level"
        raise OfficeFileError(f"{path}: {where}: {first['msg']}") from exc
    except ValueError as exc:
        raise OfficeFileError(f"{path}: {exc}") from exc


def _calendar(team: str, c: _Calendar) -> SlotCalendar:
    hours = {DAYS.index(day): tuple(_span(s) for s in spans) for day, spans in c.hours.items()}
    return SlotCalendar(
        team, c.location, hours, c.slot_minutes, c.capacity, c.emergency_share, c.horizon_days
    )


def _span(text: str) -> tuple[time, time]:
    opens, closes = (time.fromisoformat(part) for part in text.split("-"))
    if closes <= opens:
        msg = f"opening hours {text}: closing must be after opening"
        raise ValueError(msg)
    return opens, closes


def _worker(w: _Worker) -> Caseworker:
    langs = frozenset(lang.split("-")[0].lower() for lang in w.languages)
    return Caseworker(w.id, w.team, langs, w.max_open, frozenset(w.absent))
