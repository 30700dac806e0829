"""Forecasts on synthetic series of known shape."""

from __future__ import annotations

from datetime import date

import numpy as np
from metrics.service_layer.forecast import forecast, mape

AS_OF = date(2026, 3, 1)  # a Sunday: week blocks start on Mondays
PATTERN = [30, 28, 25, 27, 20, 0, 0]  # 130 a week, nothing at the weekend


def seasonal(weeks: int, noise: float = 1.0, trend: float = 0.0) -> list[float]:
    rng = np.random.default_rng(7)
    return [max(0.0, PATTERN[i % 7] + trend * i + rng.normal(0, noise)) for i in range(weeks * 7)]


def test_holt_winters_recovers_a_flat_weekly_pattern_with_an_interval() -> None:
    result = forecast(seasonal(16), as_of=AS_OF)
    assert result.method == "holt_winters"
    assert len(result.weeks) == 8
    for week in result.weeks:
        assert 120 <= week.inflow.point <= 140
        assert week.inflow.lower <= week.inflow.point <= week.inflow.upper
        assert week.inflow.upper - week.inflow.lower > 0


def test_a_rising_series_is_forecast_to_keep_rising() -> None:
    result = forecast(seasonal(16, trend=0.2), as_of=AS_OF)
    assert result.weeks[0].inflow.point > 130 + 0.2 * 7 * 7 * 14


def test_short_history_falls_back_to_the_weekday_mean() -> None:
    result = forecast([10.0] * 10, as_of=AS_OF, weeks=2)
    assert result.method == "weekday_mean"
    assert result.weeks[0].inflow.point == 70.0
    assert result.weeks[0].inflow.lower < 70.0 < result.weeks[0].inflow.upper


def test_known_demand_from_permit_expiry_months_lands_in_its_weeks() -> None:
    base = forecast(seasonal(16), as_of=AS_OF)
    extra = forecast(seasonal(16), as_of=AS_OF, known_months={"2026-04": 300})
    march, april = base.weeks[0], base.weeks[5]  # 2 March, 6 April
    assert extra.weeks[0].inflow.point == march.inflow.point
    assert extra.weeks[5].known_demand == 70.0  # 300 / 30 days x 7
    assert extra.weeks[5].inflow.point == round(april.inflow.point + 70.0, 1)


def test_backlog_grows_by_inflow_above_capacity() -> None:
    result = forecast([10.0] * 10, as_of=AS_OF, weeks=3, backlog_now=100, daily_capacity=5)
    assert [w.backlog.point for w in result.weeks] == [135.0, 170.0, 205.0]


def test_backtest_error_is_small_on_a_regular_series_and_large_on_noise() -> None:
    regular = mape(seasonal(20))
    noisy = mape(seasonal(20, noise=15.0))
    assert regular is not None
    assert noisy is not None
    assert regular < 5.0 < noisy
