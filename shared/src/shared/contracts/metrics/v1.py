"""Events produced by metrics, major version 1: early-warning alerts."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field

from shared.contracts.envelope import CloudEvent, EventData


class AlertData(EventData):
    """An early-warning rule's state; the text is generated from the rule, never free text."""

    alert_id: str = Field(description="stable per rule and scope, e.g. 'backlog:residence'")
    rule: str
    team: str | None = None
    severity: Literal["info", "warning", "critical"]
    summary: str = Field(max_length=500)
    value: float | None = None
    threshold: float | None = None


class AlertRaised(CloudEvent):
    """An early-warning rule fired (subject = the alert id); notify can mail the team lead."""

    producer: ClassVar[str] = "metrics"
    name: ClassVar[str] = "alert_raised"
    major: ClassVar[int] = 1
    type: Literal["de.lotse.metrics.alert_raised.v1"] = "de.lotse.metrics.alert_raised.v1"
    data: AlertData


class AlertCleared(CloudEvent):
    """The condition behind an alert ended."""

    producer: ClassVar[str] = "metrics"
    name: ClassVar[str] = "alert_cleared"
    major: ClassVar[int] = 1
    type: Literal["de.lotse.metrics.alert_cleared.v1"] = "de.lotse.metrics.alert_cleared.v1"
    data: AlertData
