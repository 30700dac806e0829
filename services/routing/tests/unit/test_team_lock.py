"""The team lock is taken before anything a decision depends on is read."""

from __future__ import annotations

from routing.adapters.rules_file import load_rules
from routing.adapters.team_lock import team_key
from routing.adapters.translators import to_route_case
from routing.config import DEFAULT_RULES
from routing.domain.case import Case
from routing.service_layer.use_cases import route_case

from ..fakes import OFFICE, FakeCaseRepository, FakeClock, FakeUnitOfWork, received

RULES = load_rules(DEFAULT_RULES)


class LockCheckingCases(FakeCaseRepository):
    """Fails any read of a team's cases made before that team's lock."""

    uow: FakeUnitOfWork

    async def get(self, case_id: str) -> Case | None:
        assert self.uow.locked, "case read before the team lock"
        return await super().get(case_id)


async def test_routing_a_case_locks_its_team_before_it_reads_anything() -> None:
    cases = LockCheckingCases()
    uow = FakeUnitOfWork(cases=cases)
    cases.uow = uow
    await route_case(to_route_case(received("T-1", team="family")), uow, RULES, FakeClock(), OFFICE)
    assert uow.locked == ["family"]


def test_team_keys_are_stable_across_processes_and_apart_per_namespace() -> None:
    assert team_key("", "residence") == team_key("", "residence") == -1455730657
    assert team_key("t1", "residence") != team_key("", "residence")
    assert team_key("", "residence") != team_key("", "family")
    assert all(-(2**31) <= team_key("", t) < 2**31 for t in ("a", "residence", "x" * 64))
