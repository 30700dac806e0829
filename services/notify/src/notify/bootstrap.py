"""Wire notify once: runtime (store, broker, relay), channels, renderer, unit of work."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from shared.auth import Authenticator, build_authenticator
from shared.runtime import Runtime, build_runtime

from notify.adapters.channels import SmtpConfig, SmtpEmailChannel, StatusPageChannel
from notify.adapters.ratelimit import RateLimiter
from notify.adapters.rendering import TemplateRenderer
from notify.adapters.sms import HttpSmsChannel, SmsConfig
from notify.config import Settings
from notify.domain.messages import Channel
from notify.service_layer.ports import Mailer, Outbound
from notify.service_layer.unit_of_work import NotifyUnitOfWork

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


@dataclass
class Container:
    settings: Settings
    runtime: Runtime
    uow: Callable[[], NotifyUnitOfWork]
    renderer: TemplateRenderer
    outbound: Outbound
    limiter: RateLimiter = field(default_factory=RateLimiter)
    authenticator: Authenticator = field(default_factory=Authenticator)


def smtp_channel(settings: Settings) -> SmtpEmailChannel | None:
    if not settings.smtp_host:
        return None
    config = SmtpConfig(
        host=settings.smtp_host,
        port=settings.smtp_port,
        sender=settings.smtp_sender,
        user=settings.smtp_user,
        password=settings.smtp_password.get_secret_value(),
        starttls=settings.smtp_starttls,
        timeout_s=settings.smtp_timeout_s,
        privacy_mode=settings.email_privacy_mode,
        ca_file=settings.smtp_ca_file,
    )
    return SmtpEmailChannel(config)


def channels_for(settings: Settings) -> list[Channel]:
    """The status page always; e-mail and SMS only where configured."""
    channels: list[Channel] = [StatusPageChannel()]
    if email := smtp_channel(settings):
        channels.append(email)
    if settings.sms_gateway_url:
        config = SmsConfig(
            url=settings.sms_gateway_url,
            token=settings.sms_token.get_secret_value(),
            sender=settings.sms_sender,
            region=settings.sms_region,
        )
        channels.append(HttpSmsChannel(config))
    return channels


def build(settings: Settings, **overrides: Any) -> Container:
    """The container; tests override ``channels``, ``renderer``, ``mailer`` or ``clock``."""
    runtime = build_runtime(settings, migrations=MIGRATIONS)
    renderer = overrides.get("renderer") or TemplateRenderer(zone=settings.zone())
    channels = overrides.get("channels") or channels_for(settings)
    mailer: Mailer | None = overrides.get("mailer") or smtp_channel(settings)
    leads = dict(settings.team_lead_emails)
    if settings.alert_email:
        leads.setdefault("*", settings.alert_email)
    outbound = Outbound(
        channels=channels,
        renderer=renderer,
        status_link=settings.status_link,
        overview_link=f"{settings.public_url}/status",
        survey_link=settings.survey_link,
        mailer=mailer,
        team_leads=leads,
        **({"clock": overrides["clock"]} if "clock" in overrides else {}),
    )

    def uow() -> NotifyUnitOfWork:
        return NotifyUnitOfWork(runtime.sessions, runtime.ns, on_commit=runtime.relay.wake)

    limiter = RateLimiter(settings.status_rate_per_minute)
    auth = build_authenticator(settings)
    return Container(settings, runtime, uow, renderer, outbound, limiter, auth)
