"""Read subjects of a stream from the first message, fast: large pipelined pull batches.

An ephemeral consumer (no acks, in server memory, deleted when done) is pulled with raw
``CONSUMER.MSG.NEXT`` requests into one subscription; the next batch is already streaming
in while the caller folds the current one. (nats-py's ``fetch`` waits for each message
with its own timer, which costs more than everything else replay does.)
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable

import nats.errors
import orjson
from nats.aio.client import Client
from nats.aio.msg import Msg
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy
from nats.js.errors import NotFoundError

END_STATUSES = {"404", "408", "409"}  # no messages, request expired, consumer gone
Sink = Callable[[bytes, bytes, bytes, bytes], None]  # subject, reply, data, headers


class BodiesClient(Client):
    """A NATS client that hands raw messages of chosen subscriptions straight to a sink.

    For every message nats-py builds a ``Msg``, parses its headers in Python and passes
    it through a queue to a task: that costs more than validating the event. Two hooks
    into nats-py 2.x skip it for replay's subscription (``sinks``) and header parsing
    for all. Status lines (404, 408, ...) are read before the header parser. Should the
    hooks go away in a later nats-py, the subscription's callback gets every message the
    ordinary way: slower, never wrong.
    """

    def __init__(self) -> None:
        super().__init__()
        self.sinks: dict[int, Sink] = {}

    @staticmethod
    def _parse_header_lines(raw: bytes) -> dict[str, str]:
        return {}

    async def _process_msg(
        self, sid: int, subject: bytes, reply: bytes, data: bytes, headers: bytes
    ) -> None:
        sink = self.sinks.get(sid)
        if sink is None:
            await super()._process_msg(sid, subject, reply, data, headers)
        else:
            sink(subject, reply, data, headers)


async def connect(servers: list[str]) -> Client:
    """A connection for reading streams fast (see ``BodiesClient``)."""
    nc = BodiesClient()
    await nc.connect(servers=servers)
    return nc


Message = tuple[str, bytes]  # subject, body


class StreamReader:
    """The messages the subjects held when the reader opened, in stream order, in batches."""

    def __init__(
        self, nc: Client, stream: str, subjects: list[str], *, batch: int, timeout: float
    ) -> None:
        self.nc, self.stream, self.subjects = nc, stream, subjects
        self.batch, self.timeout = batch, timeout
        self.total = self._requested = 0
        self.ended = False  # the server said no more: the stream lost messages meanwhile
        self._consumer = ""
        self._bodies: list[Message] = []
        self._want = 0
        self._arrived = asyncio.Event()

    async def open(self) -> int:
        """Create the consumer; the number of messages to read (0: nothing to replay)."""
        config = ConsumerConfig(
            ack_policy=AckPolicy.NONE,
            deliver_policy=DeliverPolicy.ALL,
            filter_subjects=self.subjects,
            inactive_threshold=max(60.0, 4 * self.timeout),
            mem_storage=True,
        )
        try:
            info = await self.nc.jetstream().add_consumer(self.stream, config)
        except NotFoundError:
            return 0  # the producer's stream does not exist yet
        self._consumer, self.total = info.name, info.num_pending or 0
        return self.total

    async def batches(self) -> AsyncIterator[list[Message]]:
        """Up to ``batch`` messages at a time, until ``total`` were read or the stream ended."""
        inbox = self.nc.new_inbox()
        sub = await self.nc.subscribe(
            inbox, cb=self._on_message, pending_msgs_limit=0, pending_bytes_limit=0
        )
        sinks: dict[int, Sink] = getattr(self.nc, "sinks", {})
        sinks[sub._id] = self._sink
        try:
            taken = 0
            for _ in range(2):
                await self._request(inbox)
            while taken < self.total and not (self.ended and not self._bodies):
                chunk = await self._take(min(self.batch, self.total - taken))
                taken += len(chunk)
                await self._request(inbox)
                yield chunk
        finally:
            sinks.pop(sub._id, None)
            await sub.unsubscribe()
            await self.close()

    async def close(self) -> None:
        if self._consumer:
            with contextlib.suppress(nats.errors.Error, NotFoundError, TimeoutError):
                await self.nc.jetstream().delete_consumer(self.stream, self._consumer)
            self._consumer = ""

    def _sink(self, subject: bytes, reply: bytes, data: bytes, headers: bytes) -> None:
        status = headers[9:12].decode() if headers and not reply else None
        self._arrived_one(subject.decode(), reply, data, status)

    async def _on_message(self, msg: Msg) -> None:
        self._arrived_one(msg.subject, msg.reply, msg.data, (msg.headers or {}).get("Status"))

    def _arrived_one(self, subject: str, reply: object, data: bytes, status: str | None) -> None:
        if reply:  # a stream message (its reply is the ack subject); else a status
            self._bodies.append((subject, data))
            if len(self._bodies) >= self._want:
                self._arrived.set()
        elif status in END_STATUSES:
            self.ended = True
            self._arrived.set()

    async def _request(self, inbox: str) -> None:
        count = min(self.batch, self.total - self._requested)
        if count <= 0:
            return
        self._requested += count
        body = orjson.dumps({"batch": count, "expires": int(self.timeout * 1e9)})
        api = f"$JS.API.CONSUMER.MSG.NEXT.{self.stream}.{self._consumer}"
        await self.nc.publish(api, body, reply=inbox)

    async def _take(self, count: int) -> list[Message]:
        self._want = count
        while len(self._bodies) < count and not self.ended:
            self._arrived.clear()
            try:
                await asyncio.wait_for(self._arrived.wait(), self.timeout)
            except TimeoutError:
                self.ended = True
        chunk, self._bodies = self._bodies[:count], self._bodies[count:]
        return chunk
