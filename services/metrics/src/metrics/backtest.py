"""``python -m metrics.backtest``: forecast error (MAPE) per team on the store's own history."""

from __future__ import annotations

import argparse
import asyncio
from datetime import date

from metrics.bootstrap import MIGRATIONS, utc_now
from metrics.config import Settings
from metrics.service_layer.backtest import TeamError, backtest
from metrics.service_layer.unit_of_work import MetricsUnitOfWork
from shared import store


async def run(settings: Settings, *, as_of: date, weeks: int, folds: int) -> list[TeamError]:
    url = settings.resolved_database_url()
    await store.migrate(url, MIGRATIONS, settings.service)
    engine = store.create_engine(url)
    try:
        uow = MetricsUnitOfWork(store.session_factory(engine), settings.ns())
        return await backtest(uow, as_of=as_of, weeks=weeks, folds=folds)
    finally:
        await engine.dispose()


def table(errors: list[TeamError], weeks: int, folds: int) -> str:
    lines = [f"weekly inflow, {weeks}-week horizon, {folds} rolling origins a week apart"]
    lines.append(f"{'team':<24} {'days':>6} {'MAPE %':>8}")
    for e in errors:
        shown = "n/a" if e.mape is None else f"{e.mape:.1f}"
        lines.append(f"{e.team or '(office)':<24} {e.history_days:>6} {shown:>8}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m metrics.backtest", description=__doc__)
    parser.add_argument("--as-of", type=date.fromisoformat, help="last day of history (today)")
    parser.add_argument("--weeks", type=int, default=8, help="forecast horizon in weeks")
    parser.add_argument("--folds", type=int, default=4, help="rolling origins")
    parser.add_argument("--database-url", help="store to read (default: METRICS_DATABASE_URL)")
    args = parser.parse_args(argv)
    settings = Settings()
    if args.database_url:
        settings = settings.model_copy(update={"database_url": args.database_url})
    as_of = args.as_of or utc_now().astimezone(settings.zone()).date()
    errors = asyncio.run(run(settings, as_of=as_of, weeks=args.weeks, folds=args.folds))
    print(table(errors, args.weeks, args.folds))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
