"""Test doubles: an in-memory unit of work and channels that record what they were given."""

from __future__ import annotations

import copy
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import UTC, datetime

from notify.adapters.rendering import TemplateRenderer
from notify.domain.case import Case, Notification
from notify.domain.messages import DeliveryResult, Message
from notify.service_layer.ports import Outbound
from shared.contracts.envelope import CloudEvent

NOW = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)


class FakeCaseRepository:
    def __init__(self) -> None:
        self.cases: dict[str, Case] = {}

    async def get(self, case_id: str) -> Case | None:
        case = self.cases.get(case_id)
        return copy.deepcopy(case) if case else None

    async def get_by_tracking_hash(self, tracking_hash: str) -> Case | None:
        for case in self.cases.values():
            if case.contact and case.contact.tracking_hash == tracking_hash:
                return copy.deepcopy(case)
        return None

    async def claim(self, case_id: str) -> None:
        return None

    async def preload(self, case_ids: Collection[str]) -> None:
        return None

    async def write(self) -> None:
        return None

    async def get_by_survey_id(self, survey_id: str) -> Case | None:
        for case in self.cases.values():
            if case.survey_id == survey_id:
                return copy.deepcopy(case)
        return None

    async def save(self, case: Case) -> None:
        self.cases[case.case_id] = copy.deepcopy(case)

    async def failures(self, limit: int) -> list[tuple[str, Notification]]:
        return [
            (c.case_id, n)
            for c in self.cases.values()
            for n in c.notifications
            if n.status == "failed"
        ][:limit]


class FakeCommentRepository:
    def __init__(self) -> None:
        self.rows: dict[str, tuple[str, str, datetime]] = {}  # survey_id -> (case, text, at)

    async def keep(self, case_id: str, survey_id: str, text: str, at: datetime) -> None:
        self.rows[survey_id] = (case_id, text, at)

    async def erase(self, case_id: str) -> int:
        return self._drop(lambda row: row[0] == case_id)

    async def purge(self, before: datetime) -> int:
        return self._drop(lambda row: row[2] < before)

    async def count_for(self, case_id: str) -> int:
        return sum(1 for row in self.rows.values() if row[0] == case_id)

    def _drop(self, matches: Callable[[tuple[str, str, datetime]], bool]) -> int:
        gone = [key for key, row in self.rows.items() if matches(row)]
        for key in gone:
            del self.rows[key]
        return len(gone)


@dataclass
class FakeUnitOfWork:
    cases: FakeCaseRepository = field(default_factory=FakeCaseRepository)
    comments: FakeCommentRepository = field(default_factory=FakeCommentRepository)
    published: list[CloudEvent] = field(default_factory=list)

    commits: int = 0

    def publish(self, *events: CloudEvent) -> None:
        self.published.extend(events)

    async def commit(self) -> None:
        self.commits += 1


@dataclass
class FakeChannel:
    name: str = "status_page"
    result: DeliveryResult = field(default_factory=DeliveryResult.delivered)
    needs_email: bool = False
    in_process: bool = False
    sent: list[Message] = field(default_factory=list)

    def accepts(self, message: Message) -> bool:
        return bool(message.email) or not self.needs_email

    async def send(self, message: Message) -> DeliveryResult:
        self.sent.append(message)
        return self.result


def outbound(*channels: FakeChannel) -> Outbound:
    return Outbound(
        channels=list(channels),
        renderer=TemplateRenderer(),
        status_link=lambda code: f"https://lotse.example/status/{code}",
        overview_link="https://lotse.example/status",
        survey_link=lambda survey_id: f"https://lotse.example/survey/{survey_id}",
        clock=lambda: NOW,
    )
