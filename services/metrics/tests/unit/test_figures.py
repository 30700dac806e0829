"""Pure figures on hand-made case sequences: lead time, first response, target share, backlog."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from metrics.service_layer import figures as f
from metrics.service_layer.queries import Period
from metrics.service_layer.series import points

D = date(2026, 3, 2)  # a Monday
WEEK = Period(start=D, end=D + timedelta(days=6))


def at(day: date, hour: int = 9) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def case(received: date, decided: date | None = None, **kw: object) -> f.CaseRow:
    return f.CaseRow(
        received_at=at(received),
        received_on=received,
        decided_at=at(decided) if decided else None,
        decided_on=decided,
        **kw,  # type: ignore[arg-type]
    )


def test_lead_time_is_received_to_decided_for_cases_decided_in_the_period() -> None:
    rows = [case(D - timedelta(days=d), D + timedelta(days=1)) for d in (1, 2, 3, 4, 9)]
    rows.append(case(D - timedelta(days=30), D + timedelta(days=8)))  # decided after the period
    lead = f.lead_time_days(rows, WEEK)
    assert (lead.p50, lead.n) == (4.0, 5)
    assert lead.p90 == 8.0  # lead times 2,3,4,5,10: linear between 5 and 10


def test_first_response_counts_hours_to_the_first_claim() -> None:
    rows = [
        f.CaseRow(received_at=at(D, 9), received_on=D, claimed_at=at(D, 11)),
        f.CaseRow(received_at=at(D, 9), received_on=D, claimed_at=at(D, 15)),
        f.CaseRow(received_at=at(D, 9), received_on=D),  # not yet claimed
    ]
    result = f.first_response_hours(rows, WEEK)
    assert (result.p50, result.n) == (4.0, 2)


def test_within_target_share_ignores_cases_without_a_judgement() -> None:
    rows = [
        case(D, D, within_target=True),
        case(D, D, within_target=True),
        case(D, D, within_target=False),
        case(D, D, within_target=None),
        case(D, D + timedelta(days=9), within_target=False),
    ]
    assert f.within_target(rows, WEEK) == (2, 3)


def test_backlog_counts_cases_open_at_the_end_of_the_day_with_their_ages() -> None:
    end = WEEK.end
    rows = [
        case(end - timedelta(days=3)),
        case(end - timedelta(days=10)),
        case(end - timedelta(days=40)),
        case(end - timedelta(days=90)),
        case(end - timedelta(days=5), end),  # decided that day: not open
        f.CaseRow(received_on=end - timedelta(days=5), closed_on=end - timedelta(days=1)),
        case(end + timedelta(days=1)),  # not yet received
    ]
    assert f.backlog(rows, end) == 4
    assert f.age_distribution(rows, end) == {"0-7": 1, "8-14": 1, "15-30": 0, "31-60": 1, "61+": 1}
    assert max(f.open_ages(rows, end)) == 90


def test_buckets_cut_a_period_into_iso_weeks_and_calendar_months() -> None:
    period = Period(start=date(2026, 1, 28), end=date(2026, 3, 3))
    weeks = f.buckets(period, "week")
    assert (weeks[0].start, weeks[0].end) == (date(2026, 1, 28), date(2026, 2, 1))
    assert weeks[1].start.weekday() == 0
    assert weeks[-1].end == date(2026, 3, 3)
    months = [(b.start, b.end) for b in f.buckets(period, "month")]
    assert months[1] == (date(2026, 2, 1), date(2026, 2, 28))
    assert len(f.buckets(period, "day")) == 35


def test_series_gives_inflow_outflow_and_backlog_per_week() -> None:
    rows = [case(D), case(D, D + timedelta(days=8)), case(D + timedelta(days=7))]
    two_weeks = Period(start=D, end=D + timedelta(days=13))
    first, second = points(rows, two_weeks, "week")
    assert (first.received, first.decided, first.backlog_end) == (2, 0, 2)
    assert (second.received, second.decided, second.backlog_end) == (1, 1, 2)
