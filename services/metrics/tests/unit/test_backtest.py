"""The backtest on a synthetic history of known shape, per team."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import numpy as np
from metrics.backtest import run, table
from metrics.config import Settings
from metrics.service_layer.backtest import backtest
from metrics.service_layer.commands import RecordReceived

from ..fakes import migrated_store, received

AS_OF = date(2026, 3, 1)
PATTERN = [12, 11, 10, 11, 8, 0, 0]


def history(team: str, weeks: int, noise: float) -> list[RecordReceived]:
    rng = np.random.default_rng(3)
    out = []
    for i in range(weeks * 7):
        day = AS_OF - timedelta(days=weeks * 7 - 1 - i)
        count = max(0, round(PATTERN[i % 7] + rng.normal(0, noise)))
        out += [received(f"{team}-{i}-{k}", day, team=team) for k in range(count)]
    return out


async def test_regular_team_is_forecast_well_and_erratic_team_badly(database_url: str) -> None:
    async with migrated_store(database_url) as store:
        await store.apply_many(*history("steady", 20, 0.0), *history("erratic", 20, 8.0))
        errors = {e.team: e for e in await backtest(store.uow(), as_of=AS_OF)}
    assert set(errors) == {None, "steady", "erratic"}
    steady, erratic = errors["steady"].mape, errors["erratic"].mape
    assert steady is not None
    assert erratic is not None
    assert steady < 5.0 < erratic
    assert errors["steady"].history_days == 140


async def test_the_command_reports_every_team_and_says_when_history_is_short(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path / 'm.db'}"
    async with migrated_store(url) as store:
        await store.apply_many(*history("steady", 20, 0.0), *history("new", 2, 0.0))
    errors = await run(Settings(database_url=url), as_of=AS_OF, weeks=8, folds=4)
    text = table(errors, 8, 4)
    assert "(office)" in text
    assert any(line.split()[:3] == ["new", "14", "n/a"] for line in text.splitlines())
    short = next(e for e in errors if e.team == "new")
    assert short.mape is None
