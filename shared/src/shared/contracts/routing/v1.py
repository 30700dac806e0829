"""Events produced by routing, major version 1."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field

from shared.contracts.envelope import CloudEvent, EventData

Priority = Literal["urgent", "high", "normal", "low"]


class CaseRoutedData(EventData):
    """A triage decision that explains itself: priority, team, reasons and rule version."""

    case_id: str
    ticket: str
    concern: str
    team: str
    priority: Priority
    reasons: list[str] = Field(description="plain-language reasons for the priority")
    rule_version: str
    due_on: str | None = Field(default=None, description="ISO date the service target falls due")
    language: str
    channel: str


class CaseRouted(CloudEvent):
    """Routing triaged a case and put it in a team's queue."""

    producer: ClassVar[str] = "routing"
    name: ClassVar[str] = "case_routed"
    major: ClassVar[int] = 1
    type: Literal["de.lotse.routing.case_routed.v1"] = "de.lotse.routing.case_routed.v1"
    data: CaseRoutedData
