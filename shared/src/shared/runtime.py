"""The parts every service is made of, wired once: store, broker, outbox relay, telemetry, HTTP.

A service's ``bootstrap.build`` makes a ``Runtime``, registers its subscribers with
``runtime.subscriber(Event)`` and hands its routers to ``create_app``. Nothing connects
at construction; ``start``/``stop`` run in the ASGI lifespan.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable, Coroutine, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Annotated, Any, TypeVar

import nats
from fastapi import APIRouter, FastAPI
from faststream import Context
from faststream.nats import JStream, NatsBroker, PullSub
from faststream.nats.opentelemetry import NatsTelemetryMiddleware
from faststream.nats.prometheus import NatsPrometheusMiddleware
from faststream.specification import AsyncAPI
from nats.aio.msg import Msg
from nats.js import JetStreamContext
from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
from opentelemetry.sdk.trace import TracerProvider
from prometheus_client import CollectorRegistry
from pydantic import WithJsonSchema
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from shared import store
from shared.contracts.envelope import CloudEvent
from shared.http import (
    document_problems,
    install_http_metrics,
    install_problem_handlers,
    ops_router,
)
from shared.messaging import batch
from shared.messaging.batch import BatchHandler
from shared.messaging.codec import decode_cloudevent
from shared.messaging.delivery import DeliveryMiddleware
from shared.messaging.pull import normalise_fetch_timeouts
from shared.messaging.relay import OutboxRelay, RelayMetrics
from shared.messaging.topology import (
    consumer_config,
    declare_consumers,
    declare_streams,
    inbound_consumer_config,
    inbound_durable,
)
from shared.settings import ServiceSettings
from shared.subjects import INBOUND, Namespace
from shared.telemetry import redact_http_span, setup_tracing
from shared.uow import writer_turn

log = logging.getLogger(__name__)
E = TypeVar("E", bound=CloudEvent)
T = TypeVar("T")

# What a consumer pulls queues at the store's writer gate (shared.store.writer_gate) with
# the other consumers' pulls. Everything pulled must be done within the consumer's ack
# wait, or JetStream redelivers work still waiting its turn and the process spends itself
# on duplicates: a small batch per consumer bounds that queue.
PULL_BATCH = 25
# A per-message consumer's fetch returns what is there; a batch consumer (FastStream's
# batch=True) gathers until the batch is full or this has run out: at a trickle an event
# waits up to this at each such hop. Shorter windows were measured: with 50 ms, 20 ms,
# or none, batches shrink to one or two events and a partner burst through the platform
# ran 30 % slower (10.5-13.3 against 14.8-18.1 applications/s).
PULL_TIMEOUT_S = 0.1


@dataclass
class Runtime:
    """Everything with a lifecycle that a service owns."""

    settings: ServiceSettings
    migrations: Path
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    broker: NatsBroker
    delivery: DeliveryMiddleware
    relay: OutboxRelay
    registry: CollectorRegistry
    tracer_provider: TracerProvider
    broker_up: asyncio.Event = field(default_factory=asyncio.Event)
    inbound: list[tuple[str, int]] = field(default_factory=list)
    _broker_task: asyncio.Task[None] | None = None

    @property
    def service(self) -> str:
        return self.settings.service

    @property
    def ns(self) -> Namespace:
        return self.settings.ns()

    def jetstream(self) -> JetStreamContext:
        return self.broker.connection.jetstream()

    def subscriber(self, event: type[CloudEvent], *, description: str | None = None) -> Any:
        """Decorator: a durable pull consumer of ``event`` shared by all replicas."""
        return self.broker.subscriber(**self._event_consumer(event), description=description)

    def batch_subscriber(
        self, event: type[E], handle: BatchHandler[E], *, description: str | None = None
    ) -> None:
        """A durable pull consumer of ``event`` handing whole pull batches to ``handle``.

        ``handle`` answers one outcome per event (``shared.messaging.batch``); the events it
        gets are decoded and valid, each message is settled on its own.
        """
        # The channel carries single events, so the document shows the event's schema; the
        # pulled batch (a list) is let through unvalidated and decoded one by one in
        # batch.consume, so a broken message is parked alone instead of failing the batch.
        documented = Annotated[Any, WithJsonSchema(batch.event_schema(event))]
        on_batch = self._batch_handler(partial(batch.decode, event), handle, documented)
        on_batch.__name__ = f"on_{event.name}"
        consumer = self._event_consumer(event, batch=True)
        self.broker.subscriber(**consumer, description=description)(on_batch)

    def inbound_subscriber(self, name: str = "applications", major: int = 1) -> Any:
        """Decorator: the durable pull consumer of a partner channel on the INBOUND stream."""
        return self.broker.subscriber(**self._inbound_consumer(name, major))

    def inbound_batch_subscriber(
        self,
        name: str,
        major: int,
        decoder: Callable[[Msg], T],
        handle: BatchHandler[T],
        *,
        description: str | None = None,
    ) -> None:
        """The durable pull consumer of a partner channel, handing whole batches to ``handle``.

        ``decoder`` turns a partner's message into what ``handle`` gets, raising a poison
        error (parked at once, the field named) for one that is unusable.
        """
        on_batch = self._batch_handler(decoder, handle, Any)
        on_batch.__name__ = f"on_inbound_{name}_v{major}"
        consumer = self._inbound_consumer(name, major, batch=True)
        self.broker.subscriber(**consumer, description=description)(on_batch)

    def _event_consumer(self, event: type[CloudEvent], *, batch: bool = False) -> dict[str, Any]:
        ns, policy = self.ns, self.settings.delivery_policy()
        return {
            "subject": ns.subject(event),
            "stream": JStream(ns.stream(event.producer), declare=False),
            "durable": ns.durable(self.service, event),
            "config": consumer_config(ns, self.service, event, policy),
            "pull_sub": PullSub(batch_size=PULL_BATCH, timeout=PULL_TIMEOUT_S, batch=batch),
            "title": f"{self.service}:{ns.strip(ns.subject(event))}",
        }

    def _inbound_consumer(self, name: str, major: int, *, batch: bool = False) -> dict[str, Any]:
        ns, policy = self.ns, self.settings.delivery_policy()
        self.inbound.append((name, major))
        return {
            "subject": ns.inbound_subject(name, major),
            "stream": JStream(ns.stream(INBOUND), declare=False),
            "durable": inbound_durable(self.service, name, major),
            "config": inbound_consumer_config(ns, self.service, name, major, policy),
            "pull_sub": PullSub(batch_size=PULL_BATCH, timeout=PULL_TIMEOUT_S, batch=batch),
            "title": f"{self.service}:{ns.strip(ns.inbound_subject(name, major))}",
        }

    def _batch_handler(
        self, decoder: Callable[[Msg], T], handle: BatchHandler[T], documented: Any
    ) -> Callable[..., Coroutine[Any, Any, None]]:
        """The FastStream handler of a batch consumer: one writer turn for the whole batch."""
        delivery, tracer = self.delivery, self.tracer_provider.get_tracer("lotse.batch")

        async def on_batch(bodies: list[Any], message: Any) -> None:
            async with writer_turn(self.engine):
                raw = batch.raw_messages(message)
                await batch.consume(decoder, raw, handle, delivery, tracer)

        # real objects, not strings: FastStream reads these to decode and to document
        on_batch.__annotations__ = {
            "bodies": documented,
            "message": Annotated[Any, Context("message")],
            "return": None,
        }
        return on_batch

    def asyncapi(self) -> dict[str, Any]:
        spec = AsyncAPI(self.broker, title=f"Lotse {self.service}", version="1.0.0")
        doc = spec.to_specification().to_jsonable()
        assert isinstance(doc, dict)
        return doc

    async def check_store(self) -> None:
        await store.ping(self.engine)

    async def check_broker(self) -> None:
        if not self.broker_up.is_set() or not self.broker.connection.is_connected:
            msg = "not connected to NATS"
            raise ConnectionError(msg)

    async def start(self) -> None:
        if self.settings.migrate_on_start:
            await store.migrate(
                self.settings.resolved_database_url(), self.migrations, self.service
            )
        self._broker_task = asyncio.create_task(self._bring_up_broker(), name="broker-up")

    async def _bring_up_broker(self) -> None:
        """Connect, declare the topology, start consumers and relay; retry until NATS answers."""
        delay = 0.2
        while True:
            try:
                await self.broker.connect()
                js = self.jetstream()
                await declare_streams(js, self.ns, self.settings.stream_policy())
                await declare_consumers(
                    js, self.ns, self.service, self.settings.delivery_policy(), inbound=self.inbound
                )
                await self.broker.start()
                break
            except (OSError, nats.errors.Error, TimeoutError) as exc:
                log.warning("NATS not reachable yet; retrying", extra={"error": type(exc).__name__})
                with contextlib.suppress(Exception):
                    await self.broker.stop()
                await asyncio.sleep(delay)
                delay = min(delay * 2, 5.0)
        self.relay.start()
        self.broker_up.set()
        log.info("connected to NATS", extra={"namespace": self.ns.prefix})

    async def stop(self) -> None:
        if self._broker_task is not None:
            self._broker_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._broker_task
        await self.relay.stop()
        with contextlib.suppress(Exception):
            await self.broker.stop()
        await self.engine.dispose()
        self.tracer_provider.shutdown()


def build_runtime(settings: ServiceSettings, *, migrations: Path) -> Runtime:
    """Construct (not connect) the store, broker, relay and telemetry of one service."""
    normalise_fetch_timeouts()
    registry = CollectorRegistry()
    tracer_provider = setup_tracing(settings.service)
    delivery = DeliveryMiddleware(settings.ns(), settings.service, settings.delivery_policy())
    broker = NatsBroker(
        settings.nats_servers(),
        middlewares=(
            NatsTelemetryMiddleware(tracer_provider=tracer_provider),
            NatsPrometheusMiddleware(registry=registry, app_name=f"lotse-{settings.service}"),
            delivery,
        ),
        decoder=decode_cloudevent,
        max_reconnect_attempts=-1,
        reconnect_time_wait=1,
        connect_timeout=2,
        logger=logging.getLogger(f"lotse.{settings.service}.broker"),
    )
    delivery.bind(broker)
    engine = store.create_engine(settings.resolved_database_url())
    sessions = store.session_factory(engine)
    relay = OutboxRelay(
        sessions,
        lambda: broker.connection.jetstream(),
        lambda: broker.connection.is_connected,
        RelayMetrics(registry),
    )
    return Runtime(
        settings=settings,
        migrations=migrations,
        engine=engine,
        sessions=sessions,
        broker=broker,
        delivery=delivery,
        relay=relay,
        registry=registry,
        tracer_provider=tracer_provider,
    )


def create_app(
    runtime: Runtime,
    *,
    title: str,
    description: str,
    routers: Sequence[APIRouter] = (),
    degraded_ok: frozenset[str] = frozenset(),
    on_startup: Sequence[Callable[[], Any]] = (),
    background: Sequence[Callable[[], Coroutine[Any, Any, None]]] = (),
) -> FastAPI:
    """The service's ASGI app: its routers plus the shared operations surface and lifespan.

    ``background`` loops (timers, scanners, gateways) start after the runtime and are
    cancelled before it stops, so they never outlive the store or the broker.
    """

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        await runtime.start()
        for hook in on_startup:
            result = hook()
            if asyncio.iscoroutine(result):
                await result
        tasks = [asyncio.create_task(loop(), name=loop.__name__) for loop in background]
        try:
            yield
        finally:
            for task in tasks:
                task.cancel()
            for task in tasks:
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task
            await runtime.stop()

    app = FastAPI(title=title, description=description, version="1.0.0", lifespan=lifespan)
    app.state.runtime = runtime
    install_problem_handlers(app)
    document_problems(app)
    install_http_metrics(app, runtime.registry)
    app.include_router(
        ops_router(
            checks={"store": runtime.check_store, "nats": runtime.check_broker},
            registry=runtime.registry,
            asyncapi=runtime.asyncapi,
            degraded_ok=degraded_ok,
        )
    )
    for router in routers:
        app.include_router(router)
    FastAPIInstrumentor.instrument_app(
        app,
        tracer_provider=runtime.tracer_provider,
        excluded_urls="healthz,readyz,metrics",
        server_request_hook=redact_http_span,
    )
    return app
