"""Streams and durable consumers, declared idempotently in one place.

``SUBSCRIPTIONS`` is the whole map of who consumes what; the deploy files, the NATS
permissions and the AsyncAPI documents are checked against it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass

from nats.js import JetStreamContext
from nats.js.api import (
    AckPolicy,
    ConsumerConfig,
    DeliverPolicy,
    DiscardPolicy,
    RetentionPolicy,
    StorageType,
    StreamConfig,
)
from nats.js.errors import NotFoundError

from shared.contracts import (
    AlertRaised,
    ApplicantContactRecorded,
    ApplicationJoinedCase,
    ApplicationReceived,
    AppointmentBooked,
    AppointmentCancelled,
    AppointmentChangeRefused,
    AppointmentChangeRequested,
    AppointmentRebooked,
    CaseClaimed,
    CaseClosed,
    CaseDecided,
    CaseRouted,
    CloudEvent,
    DocumentsAdded,
    DocumentsRequested,
    NotificationFailed,
    NotificationSent,
    OutboxBacklogExceeded,
    PersonalDataErased,
    SurveyAnswered,
)
from shared.subjects import DEADLETTER, INBOUND, PRODUCERS, Namespace

log = logging.getLogger(__name__)

SUBSCRIPTIONS: dict[str, tuple[type[CloudEvent], ...]] = {
    "intake": (CaseClosed,),
    "routing": (ApplicationReceived, DocumentsAdded, AppointmentChangeRequested),
    "notify": (
        ApplicationReceived,
        ApplicantContactRecorded,
        CaseRouted,
        DocumentsRequested,
        DocumentsAdded,
        ApplicationJoinedCase,
        AppointmentBooked,
        AppointmentRebooked,
        AppointmentCancelled,
        AppointmentChangeRefused,
        CaseDecided,
        CaseClosed,
        AlertRaised,
        PersonalDataErased,
    ),
    "metrics": (
        ApplicationReceived,
        CaseRouted,
        NotificationSent,
        NotificationFailed,
        ApplicationJoinedCase,
        DocumentsRequested,
        CaseClaimed,
        CaseDecided,
        CaseClosed,
        AppointmentBooked,
        SurveyAnswered,
        OutboxBacklogExceeded,
    ),
}

# Partner channels a service consumes from the INBOUND stream: (service, inbound name, major).
INBOUND_SUBSCRIPTIONS: dict[str, tuple[tuple[str, int], ...]] = {
    "intake": (("applications", 1),),
}

DAY = 24 * 3600.0


@dataclass(frozen=True)
class StreamPolicy:
    """How streams are kept: file storage, replicas (3 in a cluster), retention, dedupe window."""

    replicas: int = 1
    max_age_days: float = 365.0
    duplicate_window_s: float = 120.0


@dataclass(frozen=True)
class DeliveryPolicy:
    """Redelivery of a failing message: nack with backoff, at most ``max_deliver`` tries."""

    max_deliver: int = 6
    ack_wait_s: float = 30.0
    backoff_s: tuple[float, ...] = (0.5, 2.0, 5.0, 15.0, 30.0)
    max_ack_pending: int = 2000

    def backoff_after(self, deliveries: int) -> float:
        """Delay before the next try, after ``deliveries`` failed ones."""
        index = max(0, min(deliveries - 1, len(self.backoff_s) - 1))
        return self.backoff_s[index]


def stream_config(ns: Namespace, producer: str, policy: StreamPolicy) -> StreamConfig:
    return StreamConfig(
        name=ns.stream(producer),
        subjects=ns.stream_subjects(producer),
        storage=StorageType.FILE,
        retention=RetentionPolicy.LIMITS,
        discard=DiscardPolicy.OLD,
        num_replicas=policy.replicas,
        max_age=policy.max_age_days * DAY,
        duplicate_window=policy.duplicate_window_s,
    )


def consumer_config(
    ns: Namespace, service: str, event: type[CloudEvent], policy: DeliveryPolicy
) -> ConsumerConfig:
    return ConsumerConfig(
        durable_name=ns.durable(service, event),
        filter_subject=ns.subject(event),
        ack_policy=AckPolicy.EXPLICIT,
        deliver_policy=DeliverPolicy.ALL,
        ack_wait=policy.ack_wait_s,
        max_deliver=policy.max_deliver,
        max_ack_pending=policy.max_ack_pending,
    )


def inbound_durable(service: str, name: str, major: int) -> str:
    """The durable name of ``service``'s consumer of the partner channel ``name``."""
    return f"{service}-inbound-{name}-v{major}"


def inbound_consumer_config(
    ns: Namespace, service: str, name: str, major: int, policy: DeliveryPolicy
) -> ConsumerConfig:
    """The durable consumer ``service`` reads a partner channel with."""
    return ConsumerConfig(
        durable_name=inbound_durable(service, name, major),
        filter_subject=ns.inbound_subject(name, major),
        ack_policy=AckPolicy.EXPLICIT,
        deliver_policy=DeliverPolicy.ALL,
        ack_wait=policy.ack_wait_s,
        max_deliver=policy.max_deliver,
        max_ack_pending=policy.max_ack_pending,
    )


async def _ensure_stream(js: JetStreamContext, config: StreamConfig) -> None:
    assert config.name is not None
    try:
        await js.stream_info(config.name)
    except NotFoundError:
        await js.add_stream(config)
        log.info("stream created", extra={"stream": config.name})
        return
    await js.update_stream(config)


async def declare_streams(js: JetStreamContext, ns: Namespace, policy: StreamPolicy) -> None:
    """Create or update every producer stream and the dead-letter stream (idempotent)."""
    for producer in (*PRODUCERS, DEADLETTER, INBOUND):
        await _ensure_stream(js, stream_config(ns, producer, policy))


async def declare_consumers(
    js: JetStreamContext,
    ns: Namespace,
    service: str,
    policy: DeliveryPolicy,
    *,
    inbound: Iterable[tuple[str, int]] | None = None,
) -> None:
    """Create or update the durable consumers of ``service`` (idempotent).

    ``inbound`` names the partner channels (name, major) the service really subscribes
    (a configured name such as ``INTAKE_INBOUND_NAME``); by default ``INBOUND_SUBSCRIPTIONS``.
    """
    for event in SUBSCRIPTIONS[service]:
        await js.add_consumer(
            ns.stream(event.producer), consumer_config(ns, service, event, policy)
        )
    channels = INBOUND_SUBSCRIPTIONS.get(service, ()) if inbound is None else inbound
    for name, major in channels:
        config = inbound_consumer_config(ns, service, name, major, policy)
        await js.add_consumer(ns.stream(INBOUND), config)


async def delete_namespace(js: JetStreamContext, ns: Namespace) -> None:
    """Remove every stream of a namespace (tests clean up with this)."""
    for producer in (*PRODUCERS, DEADLETTER, INBOUND):
        try:
            await js.delete_stream(ns.stream(producer))
        except NotFoundError:
            continue
