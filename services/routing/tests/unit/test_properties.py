"""Property tests (hypothesis) for the triage rules and the business-day calendar."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st
from routing.adapters.rules_file import load_rules
from routing.config import DEFAULT_RULES
from routing.domain.priority import Priority
from routing.domain.triage import Facts, triage

from ..fakes import OFFICE

CAL = OFFICE.calendar
BOOK = load_rules(DEFAULT_RULES)
days = st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31))
maybe_day = st.none() | days
facts = st.builds(
    Facts,
    concern=st.sampled_from(["residence_permit_extension", "eu_blue_card", "unclassified", "x"]),
    channel=st.sampled_from(["online", "counter", "phone", "partner"]),
    walk_in=st.booleans(),
    urgent_travel=st.booleans(),
    travel_date=maybe_day,
    permit_expires_on=maybe_day,
    vulnerability_flags=st.frozensets(st.sampled_from(["health", "minor", "disability"])),
    received_on=maybe_day,
)


@given(facts, days)
def test_triage_always_explains_itself_with_the_rule_version(f: Facts, today: date) -> None:
    decision = triage(f, BOOK, today)
    assert decision.reasons
    assert all(f"rules {BOOK.version} §" in reason for reason in decision.reasons)
    assert sum(f"→ priority {decision.priority} " in r for r in decision.reasons) >= 1
    assert "health" not in " ".join(decision.reasons)


@given(facts, days)
def test_a_further_signal_never_lowers_the_priority(f: Facts, today: date) -> None:
    base = triage(f, BOOK, today).priority
    urgent = Facts(**{**f.__dict__, "urgent_travel": True, "travel_date": today})
    assert triage(urgent, BOOK, today).priority is Priority.URGENT
    assert triage(urgent, BOOK, today).priority.rank <= base.rank


@given(days, st.integers(min_value=0, max_value=60))
@settings(max_examples=200)
def test_adding_business_days_lands_on_a_business_day_counted_back(start: date, n: int) -> None:
    end = CAL.add_business_days(start, n)
    assert CAL.is_business_day(end)
    assert end >= start
    if n > 0:
        assert CAL.business_days_between(start, end) == n


@given(days, st.integers(min_value=1, max_value=90))
def test_deadline_is_the_first_business_day_on_or_after_the_period_end(day: date, n: int) -> None:
    end = CAL.deadline(day, n)
    plain = day + timedelta(days=n)
    assert CAL.is_business_day(end)
    assert end >= plain
    assert all(
        not CAL.is_business_day(plain + timedelta(days=k)) for k in range((end - plain).days)
    )
