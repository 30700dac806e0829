"""Intake's consumers: partner applications on the INBOUND stream (``inbound.applications.v1``)."""

from __future__ import annotations

import logging
from typing import Any

from faststream.nats.annotations import NatsMessage
from shared.messaging.deadletter import PoisonMessage

from intake.bootstrap import Container
from intake.entrypoints.errors import REFUSALS
from intake.entrypoints.partner import PartnerEventError, parse_partner_event
from intake.service_layer.applications import submit_application

log = logging.getLogger(__name__)


def register(container: Container) -> None:
    runtime = container.runtime

    @runtime.inbound_subscriber("applications", 1)  # type: ignore[untyped-decorator]
    async def on_partner_application(body: Any, message: NatsMessage) -> None:
        """A partner's CloudEvent becomes an application (once per source + id)."""
        headers = dict(message.headers or {})
        try:
            command, idem = parse_partner_event(headers, message.body, container.secret)
            receipt = await submit_application(command, container.uow(), container.context(), idem)
        except PartnerEventError as exc:
            raise PoisonMessage(f"invalid partner CloudEvent: {exc}") from exc
        except REFUSALS as exc:
            raise PoisonMessage(f"partner application refused: {type(exc).__name__}") from exc
        log.info("partner application received", extra={"ticket": receipt.ticket})
