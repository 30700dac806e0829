"""Priority rules: every signal, its edges, the winner and the reasons."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from routing.adapters.rules_file import load_rules
from routing.config import DEFAULT_RULES
from routing.domain.priority import Priority
from routing.domain.rules import Rule, RuleBook, Signal
from routing.domain.triage import Facts, triage

TODAY = date(2026, 11, 23)
BOOK = load_rules(DEFAULT_RULES)
ADDRESS = frozenset({"change_of_address"})


def facts(**overrides: object) -> Facts:
    base: dict[str, object] = {"concern": "residence_permit_extension", "channel": "online"}
    return Facts(**{**base, **overrides})  # type: ignore[arg-type]


def in_days(days: int) -> date:
    return TODAY + timedelta(days=days)


def test_no_signal_gives_default_normal_with_a_reason() -> None:
    decision = triage(facts(), BOOK, TODAY)
    assert decision.priority is Priority.NORMAL
    assert decision.reasons == ("no priority signal → priority normal (rules v1 §default)",)
    assert decision.rule_version == "v1"


def test_permit_expiring_gives_high_with_plain_reason() -> None:
    decision = triage(facts(permit_expires_on=in_days(9)), BOOK, TODAY)
    assert decision.priority is Priority.HIGH
    [reason] = decision.reasons
    assert reason == "permit expires in 9 days → priority high (rules v1 §permit-expiring)"


@pytest.mark.parametrize(
    ("days", "expected"),
    [(0, Priority.HIGH), (28, Priority.HIGH), (29, Priority.NORMAL), (365, Priority.NORMAL)],
)
def test_permit_expiring_threshold_is_inclusive(days: int, expected: Priority) -> None:
    assert triage(facts(permit_expires_on=in_days(days)), BOOK, TODAY).priority is expected


def test_permit_expired_gives_high_and_names_the_interim_certificate() -> None:
    decision = triage(facts(permit_expires_on=in_days(-3)), BOOK, TODAY)
    assert decision.priority is Priority.HIGH
    assert decision.reasons == (
        "permit expired 3 days ago (interim certificate needed) → priority high "
        "(rules v1 §permit-expired)",
    )


def test_permit_expiring_today_is_not_yet_expired() -> None:
    decision = triage(facts(permit_expires_on=TODAY), BOOK, TODAY)
    assert decision.reasons == ("permit expires today → priority high (rules v1 §permit-expiring)",)


def test_urgent_travel_within_threshold_gives_urgent() -> None:
    decision = triage(facts(urgent_travel=True, travel_date=in_days(5)), BOOK, TODAY)
    assert decision.priority is Priority.URGENT
    [reason] = decision.reasons
    assert reason == "urgent travel in 5 days → priority urgent (rules v1 §urgent-travel)"


@pytest.mark.parametrize(("flag", "days"), [(False, 5), (True, 15), (True, -1), (True, None)])
def test_urgent_travel_needs_flag_and_date_within_threshold(flag: bool, days: int | None) -> None:
    travel = None if days is None else in_days(days)
    decision = triage(facts(urgent_travel=flag, travel_date=travel), BOOK, TODAY)
    assert decision.priority is Priority.NORMAL


def test_eu_blue_card_is_high_for_its_legal_deadlines() -> None:
    decision = triage(facts(concern="eu_blue_card"), BOOK, TODAY)
    assert decision.priority is Priority.HIGH
    assert "§accelerated-skilled-worker" in decision.reasons[0]


@pytest.mark.parametrize("overrides", [{"walk_in": True}, {"channel": "counter"}])
def test_walk_in_gives_normal_with_its_own_reason(overrides: dict[str, object]) -> None:
    decision = triage(facts(**overrides), BOOK, TODAY)
    assert decision.priority is Priority.NORMAL
    assert decision.reasons == ("walk-in at the counter → priority normal (rules v1 §walk-in)",)


def test_highest_priority_wins_and_every_matching_rule_explains_itself() -> None:
    decision = triage(
        facts(
            concern="eu_blue_card",
            walk_in=True,
            urgent_travel=True,
            travel_date=in_days(1),
            permit_expires_on=in_days(-1),
        ),
        BOOK,
        TODAY,
    )
    assert decision.priority is Priority.URGENT
    assert decision.reasons == (
        "urgent travel in 1 day → priority urgent (rules v1 §urgent-travel)",
        "permit expired yesterday (interim certificate needed) → at least priority high "
        "(rules v1 §permit-expired)",
        "concern eu_blue_card (accelerated skilled-worker procedure has legal deadlines) "
        "→ at least priority high (rules v1 §accelerated-skilled-worker)",
        "walk-in at the counter → at least priority normal (rules v1 §walk-in)",
    )


def test_walk_in_lifts_a_low_concern_to_at_least_normal() -> None:
    book = RuleBook(
        version="v9",
        rules=(
            Rule("simple-update", Signal.CONCERN, Priority.LOW, concerns=ADDRESS),
            Rule("walk-in", Signal.WALK_IN, Priority.NORMAL),
        ),
    )
    low = triage(facts(concern="change_of_address"), book, TODAY)
    walked_in = triage(facts(concern="change_of_address", walk_in=True), book, TODAY)
    assert low.priority is Priority.LOW
    assert walked_in.priority is Priority.NORMAL
    assert walked_in.reasons[0] == "walk-in at the counter → priority normal (rules v9 §walk-in)"
    assert walked_in.reasons[1] == (
        "concern change_of_address → at least priority low (rules v9 §simple-update)"
    )


def test_the_date_of_today_comes_from_the_caller() -> None:
    expiry = date(2027, 1, 31)
    early = triage(facts(permit_expires_on=expiry), BOOK, date(2026, 12, 1))
    late = triage(facts(permit_expires_on=expiry), BOOK, date(2027, 1, 10))
    assert (early.priority, late.priority) == (Priority.NORMAL, Priority.HIGH)


def test_vulnerable_applicant_raises_priority_without_naming_the_flag() -> None:
    decision = triage(facts(vulnerability_flags=frozenset({"pregnancy"})), BOOK, TODAY)
    assert decision.priority is Priority.HIGH
    assert decision.reasons == (
        "vulnerable applicant flagged by staff → priority high (rules v1 §vulnerable)",
    )
    assert "pregnancy" not in " ".join(decision.reasons)


def test_flags_narrow_a_vulnerable_rule() -> None:
    rule = Rule("minors", Signal.VULNERABLE, Priority.URGENT, flags=frozenset({"minor"}))
    book = RuleBook("t", (rule,))
    assert triage(facts(vulnerability_flags=frozenset({"minor"})), book, TODAY).priority == "urgent"
    assert triage(facts(vulnerability_flags=frozenset({"other"})), book, TODAY).priority == "normal"


@pytest.mark.parametrize(("waited", "priority"), [(29, Priority.NORMAL), (30, Priority.HIGH)])
def test_long_waiting_age_raises_priority(waited: int, priority: Priority) -> None:
    decision = triage(facts(received_on=in_days(-waited)), BOOK, TODAY)
    assert decision.priority is priority
