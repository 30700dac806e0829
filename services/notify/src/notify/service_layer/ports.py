"""What the use cases need from the outside: rendering and the channels to send on."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from shared.contracts.envelope import utcnow

from notify.domain.case import Case, TimelineEntry
from notify.domain.language import LanguageChoice
from notify.domain.messages import Channel, Message


class Renderer(Protocol):
    """Writes texts for the applicant in their language (German when we cannot)."""

    def choose(self, tag: str) -> LanguageChoice: ...

    def confirmation(self, case: Case, link: str) -> Message: ...

    def timeline_text(self, entry: TimelineEntry, choice: LanguageChoice) -> str: ...


@dataclass(frozen=True)
class Outbound:
    """Everything needed to send a message: channels in order, renderer, link builder, clock."""

    channels: Sequence[Channel]
    renderer: Renderer
    status_link: Callable[[str], str]
    clock: Callable[[], datetime] = field(default=utcnow)
