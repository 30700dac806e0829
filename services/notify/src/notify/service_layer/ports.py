"""What the use cases need from the outside: rendering, channels, links, a clock."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from shared.contracts.envelope import utcnow

from notify.domain.case import Case, TimelineEntry
from notify.domain.language import LanguageChoice
from notify.domain.messages import Channel, DeliveryResult, Message


class Renderer(Protocol):
    """Writes texts for the applicant in their language (German when we cannot)."""

    def choose(self, tag: str) -> LanguageChoice: ...

    def message(self, case: Case, entry: TimelineEntry, link: str, **extra: str) -> Message: ...

    def timeline_text(self, entry: TimelineEntry, choice: LanguageChoice) -> str: ...

    def when(self, value: datetime | str, choice: LanguageChoice) -> str: ...

    def next_step(self, step: str, choice: LanguageChoice, **context: Any) -> str: ...

    @property
    def labels(self) -> Any: ...


class Mailer(Protocol):
    """Plain internal mail (alerts to team leads)."""

    async def mail(self, to: str, subject: str, text: str) -> DeliveryResult: ...


@dataclass(frozen=True)
class Outbound:
    """Everything needed to send: channels in order, renderer, links, clock, alert mail."""

    channels: Sequence[Channel]
    renderer: Renderer
    status_link: Callable[[str], str]
    overview_link: str = ""
    survey_link: Callable[[str], str] = lambda survey_id: survey_id
    clock: Callable[[], datetime] = field(default=utcnow)
    mailer: Mailer | None = None
    team_leads: Mapping[str, str] = field(default_factory=dict)
