"""Targets (Soll) beside actuals (Ist): per team and figure, with the gap."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from pydantic import BaseModel

Direction = Literal["at_least", "at_most"]


@dataclass(frozen=True)
class Target:
    figure: str
    direction: Direction
    value: float

    def met_by(self, actual: float) -> bool:
        return actual >= self.value if self.direction == "at_least" else actual <= self.value


@dataclass(frozen=True)
class Targets:
    """Office-wide defaults, overridden figure by figure for a team."""

    defaults: Mapping[str, Target] = field(default_factory=dict)
    teams: Mapping[str, Mapping[str, Target]] = field(default_factory=dict)

    def for_team(self, team: str | None) -> dict[str, Target]:
        return {**self.defaults, **(self.teams.get(team, {}) if team else {})}

    def known_teams(self) -> list[str]:
        return sorted(self.teams)


class TargetGap(BaseModel):
    """One figure beside its target: ``gap`` = actual - target; ``met`` says which side it is."""

    figure: str
    direction: Direction
    target: float
    actual: float | None
    gap: float | None
    met: bool | None


def gaps(targets: Mapping[str, Target], actuals: Mapping[str, float | None]) -> list[TargetGap]:
    """Every targeted figure with its actual value (``None`` where there is no data yet)."""
    out = []
    for name, target in sorted(targets.items()):
        actual = actuals.get(name)
        out.append(
            TargetGap(
                figure=name,
                direction=target.direction,
                target=target.value,
                actual=actual,
                gap=None if actual is None else round(actual - target.value, 4),
                met=None if actual is None else target.met_by(actual),
            )
        )
    return out
