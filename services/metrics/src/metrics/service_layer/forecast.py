"""Forecast inflow and backlog per week: Holt-Winters (weekly seasonality) with intervals.

Inflow is forecast per day and summed per 7-day block after ``as_of``; intervals are the
5th/95th percentiles of simulated paths. While history is short (< ``MIN_HISTORY`` days),
a weekday-mean Poisson model stands in. Known future demand (permit expiry months) is added
on top, spread evenly over the days of its month. Backlog = previous + inflow - capacity,
capacity being the mean daily outflow of the last four weeks.
"""

from __future__ import annotations

import calendar
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
from numpy.typing import NDArray

MIN_HISTORY = 28
SEASON = 7
PATHS = 400
Array = NDArray[np.float64]


@dataclass(frozen=True)
class Band:
    point: float
    lower: float
    upper: float


@dataclass(frozen=True)
class WeekForecast:
    week_start: date
    inflow: Band
    known_demand: float
    backlog: Band


@dataclass(frozen=True)
class Forecast:
    method: str
    as_of: date
    weeks: list[WeekForecast]


def simulate_inflow(
    history: Sequence[float], days: int, *, seed: int = 0
) -> tuple[str, Array, Array]:
    """(method, point per day, paths [days x PATHS]) for the next ``days`` days."""
    y = np.asarray(history, dtype=float)
    if len(y) >= MIN_HISTORY and y.sum() > 0:
        return "holt_winters", *_holt_winters(y, days, seed)
    return "weekday_mean", *_weekday_mean(y, days, seed)


def _holt_winters(y: Array, days: int, seed: int) -> tuple[Array, Array]:
    from statsmodels.tsa.holtwinters import ExponentialSmoothing  # type: ignore[import-untyped]

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = ExponentialSmoothing(
            y,
            trend="add",
            damped_trend=True,
            seasonal="add",
            seasonal_periods=SEASON,
            initialization_method="estimated",
        )
        fit = model.fit()
        point = np.clip(np.asarray(fit.forecast(days), dtype=float), 0, None)
        paths = fit.simulate(days, repetitions=PATHS, error="add", anchor="end", random_state=seed)
    return point, np.clip(np.asarray(paths, dtype=float).reshape(days, PATHS), 0, None)


def _weekday_mean(y: Array, days: int, seed: int) -> tuple[Array, Array]:
    overall = float(y.mean()) if len(y) else 0.0
    means = [
        float(y[-(SEASON - k) :: -SEASON].mean()) if len(y) >= SEASON else overall
        for k in range(SEASON)
    ]
    # day i of the horizon has the weekday of history index len(y) + i
    point = np.array([means[(len(y) + i) % SEASON] for i in range(days)], dtype=float)
    rng = np.random.default_rng(seed)
    paths = rng.poisson(np.repeat(point[:, None], PATHS, axis=1)).astype(float)
    return point, paths


def known_demand_per_day(months: Mapping[str, int], as_of: date, days: int, share: float) -> Array:
    """Expected applications per future day from permit expiry months (``YYYY-MM`` -> count)."""
    out = np.zeros(days)
    for i in range(days):
        day = as_of + timedelta(days=i + 1)
        count = months.get(f"{day.year:04d}-{day.month:02d}", 0)
        out[i] = count * share / calendar.monthrange(day.year, day.month)[1]
    return out


def weekly(values: Array) -> Array:
    """Sum consecutive 7-day blocks (first axis)."""
    summed: Array = values.reshape(-1, SEASON, *values.shape[1:]).sum(axis=1)
    return summed


def forecast(
    history: Sequence[float],
    *,
    as_of: date,
    weeks: int = 8,
    backlog_now: int = 0,
    daily_capacity: float = 0.0,
    known_months: Mapping[str, int] | None = None,
    expiry_share: float = 1.0,
) -> Forecast:
    """Inflow and backlog per week for ``weeks`` weeks after ``as_of`` (history ends on it)."""
    days = weeks * SEASON
    method, point, paths = simulate_inflow(history, days)
    known = known_demand_per_day(known_months or {}, as_of, days, expiry_share)
    inflow_point, inflow_paths = weekly(point + known), weekly(paths + known[:, None])
    capacity = daily_capacity * SEASON
    backlog_point = _backlog(inflow_point[:, None], backlog_now, capacity)[:, 0]
    backlog_paths = _backlog(inflow_paths, backlog_now, capacity)
    known_weekly = weekly(known)
    return Forecast(
        method=method,
        as_of=as_of,
        weeks=[
            WeekForecast(
                week_start=as_of + timedelta(days=1 + SEASON * w),
                inflow=_band(inflow_point[w], inflow_paths[w]),
                known_demand=round(float(known_weekly[w]), 2),
                backlog=_band(backlog_point[w], backlog_paths[w]),
            )
            for w in range(weeks)
        ],
    )


def _backlog(inflow: Array, start: float, capacity: float) -> Array:
    out = np.empty_like(inflow)
    level = np.full(inflow.shape[1], float(start))
    for w in range(inflow.shape[0]):
        level = np.clip(level + inflow[w] - capacity, 0, None)
        out[w] = level
    return out


def _band(point: float, paths: Array) -> Band:
    low, high = np.percentile(paths, [5, 95])
    return Band(
        point=round(float(point), 1),
        lower=round(float(min(low, point)), 1),
        upper=round(float(max(high, point)), 1),
    )


def mape(history: Sequence[float], *, weeks: int = 8, folds: int = 4) -> float | None:
    """Backtest: mean absolute percentage error of weekly inflow over ``folds`` cut-offs."""
    errors: list[float] = []
    horizon = weeks * SEASON
    for k in range(folds, 0, -1):
        cut = len(history) - k * SEASON - horizon + SEASON
        if cut < SEASON:
            continue
        _, point, _ = simulate_inflow(history[:cut], horizon)
        actual = weekly(np.asarray(history[cut : cut + horizon], dtype=float))
        predicted = weekly(point)[: len(actual)]
        errors += [abs(p - a) / a for p, a in zip(predicted, actual, strict=True) if a > 0]
    return round(100 * float(np.mean(errors)), 2) if errors else None
