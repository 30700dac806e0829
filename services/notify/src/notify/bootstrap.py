"""Wire notify once: runtime (store, broker, relay), channels, renderer, unit of work."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from shared.runtime import Runtime, build_runtime

from notify.adapters.channels import SmtpConfig, SmtpEmailChannel, StatusPageChannel
from notify.adapters.rendering import TemplateRenderer
from notify.config import Settings
from notify.domain.messages import Channel
from notify.service_layer.ports import Outbound
from notify.service_layer.unit_of_work import NotifyUnitOfWork

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


@dataclass
class Container:
    settings: Settings
    runtime: Runtime
    uow: Callable[[], NotifyUnitOfWork]
    renderer: TemplateRenderer
    outbound: Outbound


def channels_for(settings: Settings) -> list[Channel]:
    """The status page always; e-mail only where an SMTP host is configured."""
    channels: list[Channel] = [StatusPageChannel()]
    if settings.smtp_host:
        config = SmtpConfig(
            host=settings.smtp_host,
            port=settings.smtp_port,
            sender=settings.smtp_sender,
            user=settings.smtp_user,
            password=settings.smtp_password.get_secret_value(),
            starttls=settings.smtp_starttls,
            timeout_s=settings.smtp_timeout_s,
            privacy_mode=settings.email_privacy_mode,
        )
        channels.append(SmtpEmailChannel(config))
    return channels


def build(settings: Settings, **overrides: Any) -> Container:
    """The container; tests override ``channels``, ``renderer`` or ``clock``."""
    runtime = build_runtime(settings, migrations=MIGRATIONS)
    renderer = overrides.get("renderer") or TemplateRenderer()
    outbound = Outbound(
        channels=overrides.get("channels") or channels_for(settings),
        renderer=renderer,
        status_link=settings.status_link,
        **({"clock": overrides["clock"]} if "clock" in overrides else {}),
    )

    def uow() -> NotifyUnitOfWork:
        return NotifyUnitOfWork(runtime.sessions, runtime.ns, on_commit=runtime.relay.wake)

    return Container(settings, runtime, uow, renderer, outbound)
