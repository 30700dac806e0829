"""Alerts reach the team lead once per delivery; the status page limits guessing."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from notify.adapters.ratelimit import RateLimiter
from notify.domain.messages import DeliveryResult
from notify.service_layer import alerts
from notify.service_layer.commands import MailAlert
from notify.service_layer.handlers import DeliveryDeferred
from notify.service_layer.ports import Outbound

from ..fakes import outbound

ALERT = MailAlert("backlog:residence", "evt-1", "residence", "warning", "Backlog above 40 cases")


@dataclass
class FakeMailer:
    result: DeliveryResult = field(default_factory=DeliveryResult.delivered)
    sent: list[tuple[str, str, str]] = field(default_factory=list)

    async def mail(self, to: str, subject: str, text: str) -> DeliveryResult:
        self.sent.append((to, subject, text))
        return self.result


def with_mailer(mailer: FakeMailer, leads: dict[str, str]) -> Outbound:
    base = outbound()
    return Outbound(base.channels, base.renderer, base.status_link, mailer=mailer, team_leads=leads)


async def test_alert_goes_to_the_team_lead_else_the_catch_all() -> None:
    mailer = FakeMailer()
    await alerts.mail_alert(ALERT, with_mailer(mailer, {"residence": "lead@amt.example"}))
    await alerts.mail_alert(ALERT, with_mailer(mailer, {"*": "office@amt.example"}))
    assert [to for to, _s, _t in mailer.sent] == ["lead@amt.example", "office@amt.example"]
    assert "Backlog above 40 cases" in mailer.sent[0][1]


async def test_transient_alert_failure_is_retried() -> None:
    mailer = FakeMailer(DeliveryResult.failed("timeout", permanent=False))
    with pytest.raises(DeliveryDeferred):
        await alerts.mail_alert(ALERT, with_mailer(mailer, {"*": "office@amt.example"}))


def test_rate_limit_per_client_and_window() -> None:
    now = [0.0]
    limiter = RateLimiter(per_minute=3, clock=lambda: now[0])
    assert [limiter.allow("a") for _ in range(4)] == [True, True, True, False]
    assert limiter.allow("b")
    now[0] = 60.0
    assert limiter.allow("a")
