"""Intake's consumers: partner applications on the INBOUND stream, and routing's CaseClosed.

Partner applications come a pull batch at a time and are stored in one transaction
(``submit_applications``); one that is refused or fails costs only itself.
"""

from __future__ import annotations

import logging
from typing import cast

from nats.aio.msg import Msg
from shared.contracts import CaseClosed
from shared.contracts.envelope import as_utc
from shared.messaging.batch import Delivered, Outcome
from shared.messaging.deadletter import PoisonMessage
from shared.uow import process_once

from intake.bootstrap import Container
from intake.entrypoints.errors import REFUSALS
from intake.entrypoints.partner import PartnerEvent, PartnerEventError, parse_partner_event
from intake.service_layer.applications import Receipt, Submission, submit_applications
from intake.service_layer.unit_of_work import SqlIntakeUnitOfWork

log = logging.getLogger(__name__)


def _outcome(result: Receipt | Exception) -> Outcome:
    """Acknowledged; parked if refused on its merits (never better on a retry); else retried."""
    if isinstance(result, REFUSALS):
        return PoisonMessage(f"partner application refused: {type(result).__name__}")
    return result if isinstance(result, Exception) else None


def register(container: Container) -> None:
    runtime = container.runtime
    closed = runtime.ns.durable(runtime.service, CaseClosed)

    def decode(raw: Msg) -> PartnerEvent:
        try:
            return parse_partner_event(dict(raw.headers or {}), raw.data, container.secret)
        except PartnerEventError as exc:
            raise PoisonMessage(f"invalid partner CloudEvent: {exc}") from exc

    async def on_partner_applications(items: list[Delivered[PartnerEvent]]) -> list[Outcome]:
        """Partners' CloudEvents become applications (once per source + id), a batch at once."""
        batch = [Submission(i.event.command, i.event.idem, i.traced) for i in items]
        results = await submit_applications(batch, container.uow, container.context())
        return [_outcome(result) for result in results]

    runtime.inbound_batch_subscriber(
        container.settings.inbound_name,
        1,
        decode,
        on_partner_applications,
        description="A partner's CloudEvent becomes an application (once per source + id).",
    )

    @runtime.subscriber(CaseClosed, description="Start the retention period of a closed case")  # type: ignore[untyped-decorator]
    async def on_case_closed(event: CaseClosed) -> None:
        """Remember when the case closed; its personal data is erased after the retention days."""
        at = as_utc(event.time)

        async def apply(uow: SqlIntakeUnitOfWork) -> None:
            await uow.erasures.mark_closed(event.data.case_id, at)

        uow = cast(SqlIntakeUnitOfWork, container.uow())
        await process_once(uow, closed, event.id, apply)
