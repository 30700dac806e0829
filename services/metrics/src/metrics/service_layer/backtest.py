"""Backtest: forecast inflow from the store's own past and compare with what really came."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from metrics.adapters.tables import CaseFact
from metrics.service_layer import forecast as fc
from metrics.service_layer.forecasting import daily_inflow
from metrics.service_layer.queries import Filters
from metrics.service_layer.unit_of_work import MetricsUnitOfWork


@dataclass(frozen=True)
class TeamError:
    """MAPE of weekly inflow over rolling origins (``None``: history too short)."""

    team: str | None
    history_days: int
    mape: float | None


async def teams(session: AsyncSession) -> list[str]:
    """Every team a case counts for: its routed team, else its catalogue team."""
    team = func.coalesce(col(CaseFact.routed_team), col(CaseFact.team))
    query = select(team).distinct().where(team.is_not(None))
    return sorted(str(t) for t in (await session.exec(query)).all())


async def backtest(
    uow: MetricsUnitOfWork, *, as_of: date, weeks: int = 8, folds: int = 4
) -> list[TeamError]:
    """The office first, then every team: forecast from ``folds`` cut-offs a week apart."""
    async with uow:
        scopes = [None, *await teams(uow.session)]
        histories = {
            team: await daily_inflow(uow.session, as_of=as_of, filters=Filters(team=team))
            for team in scopes
        }
    return [
        TeamError(team, len(days), fc.mape(days, weeks=weeks, folds=folds))
        for team, days in histories.items()
    ]
