"""Intake's consumers: partner applications on the INBOUND stream, and routing's CaseClosed."""

from __future__ import annotations

import logging
from typing import Any, cast

from faststream.nats.annotations import NatsMessage
from shared.contracts import CaseClosed
from shared.contracts.envelope import as_utc
from shared.messaging.deadletter import PoisonMessage
from shared.uow import process_once

from intake.bootstrap import Container
from intake.entrypoints.errors import REFUSALS
from intake.entrypoints.partner import PartnerEventError, parse_partner_event
from intake.service_layer.applications import submit_application
from intake.service_layer.unit_of_work import SqlIntakeUnitOfWork

log = logging.getLogger(__name__)


def register(container: Container) -> None:
    runtime = container.runtime
    closed = runtime.ns.durable(runtime.service, CaseClosed)

    @runtime.inbound_subscriber(container.settings.inbound_name, 1)  # type: ignore[untyped-decorator]
    async def on_partner_application(body: Any, message: NatsMessage) -> None:
        """A partner's CloudEvent becomes an application (once per source + id)."""
        headers = dict(message.headers or {})
        try:
            event = parse_partner_event(headers, message.body, container.secret)
            receipt = await submit_application(
                event.command, container.uow(), container.context(), event.idem
            )
        except PartnerEventError as exc:
            raise PoisonMessage(f"invalid partner CloudEvent: {exc}") from exc
        except REFUSALS as exc:
            raise PoisonMessage(f"partner application refused: {type(exc).__name__}") from exc
        log.info("partner application received", extra={"ticket": receipt.ticket})

    @runtime.subscriber(CaseClosed, description="Start the retention period of a closed case")  # type: ignore[untyped-decorator]
    async def on_case_closed(event: CaseClosed) -> None:
        """Remember when the case closed; its personal data is erased after the retention days."""
        at = as_utc(event.time)

        async def apply(uow: SqlIntakeUnitOfWork) -> None:
            await uow.erasures.mark_closed(event.data.case_id, at)

        uow = cast(SqlIntakeUnitOfWork, container.uow())
        await process_once(uow, closed, event.id, apply)
