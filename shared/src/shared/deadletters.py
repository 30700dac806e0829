"""Operator command for the dead-letter stream: list what was parked and why, replay it.

    python -m shared.deadletters list            # newest first: seq, age, subject, reason
    python -m shared.deadletters replay SEQ ...  # re-publish to the original subject, then drop it
    python -m shared.deadletters replay --all

Dead letters carry no payload (it may hold personal data): the reason, and where the
original sits in its own stream, from which replay fetches it.
Uses NATS_URL and LOTSE_NAMESPACE like the services.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from dataclasses import dataclass
from datetime import UTC, datetime

import nats
from nats.js import JetStreamContext
from nats.js.errors import NotFoundError

from shared.messaging.deadletter import (
    CONSUMER,
    DELIVERIES,
    ORIGINAL_SEQUENCE,
    ORIGINAL_STREAM,
    ORIGINAL_SUBJECT,
    REASON,
)
from shared.subjects import DEADLETTER, Namespace


@dataclass(frozen=True)
class DeadLetter:
    seq: int
    parked_at: datetime
    original_subject: str
    consumer: str
    deliveries: int
    reason: str


async def _sequences(js: JetStreamContext, stream: str) -> range:
    state = (await js.stream_info(stream)).state
    return range(state.first_seq, state.last_seq + 1) if state.messages else range(0)


async def list_dead_letters(js: JetStreamContext, ns: Namespace) -> list[DeadLetter]:
    """Every parked message, oldest first, without its payload."""
    stream = ns.stream(DEADLETTER)
    found = []
    for seq in await _sequences(js, stream):
        try:
            msg = await js.get_msg(stream, seq)
        except NotFoundError:  # replayed and deleted
            continue
        headers = msg.headers or {}
        found.append(
            DeadLetter(
                seq=seq,
                parked_at=msg.time or datetime.now(UTC),
                original_subject=headers.get(ORIGINAL_SUBJECT, "?"),
                consumer=headers.get(CONSUMER, "?"),
                deliveries=int(headers.get(DELIVERIES, "0")),
                reason=headers.get(REASON, "?"),
            )
        )
    return found


async def replay(js: JetStreamContext, ns: Namespace, seq: int) -> str:
    """Publish the parked message's original again and remove the dead letter.

    The dead letter holds no payload; the original is fetched from its own stream by
    sequence (gone only if retention or an erasure removed it, which replay respects).
    """
    stream = ns.stream(DEADLETTER)
    letter = (await js.get_msg(stream, seq)).headers or {}
    origin, origin_seq = letter[ORIGINAL_STREAM], int(letter[ORIGINAL_SEQUENCE])
    original = await js.get_msg(origin, origin_seq)
    headers = dict(original.headers or {})
    # a fresh message id: the original one may still sit in the stream's dedupe window
    headers["Nats-Msg-Id"] = f"replay:{origin}:{origin_seq}:{seq}"
    subject = str(letter[ORIGINAL_SUBJECT])
    await js.publish(subject, original.data or b"", headers=headers)
    await js.delete_msg(stream, seq)
    return subject


def _print(letters: list[DeadLetter]) -> None:
    if not letters:
        print("no dead letters")
        return
    now = datetime.now(UTC)
    for d in reversed(letters):
        age = int((now - d.parked_at).total_seconds())
        print(f"{d.seq:>8}  {age:>7}s ago  {d.original_subject}  [{d.consumer}, {d.deliveries}x]")
        print(f"          {d.reason}")


async def _main(args: argparse.Namespace) -> int:
    nc = await nats.connect(os.environ.get("NATS_URL", "nats://127.0.0.1:4222"))
    js = nc.jetstream()
    ns = Namespace(os.environ.get("LOTSE_NAMESPACE", ""))
    try:
        if args.command == "list":
            _print(await list_dead_letters(js, ns))
            return 0
        seqs = [d.seq for d in await list_dead_letters(js, ns)] if args.all else args.seq
        for seq in seqs:
            print(f"replayed {seq} to {await replay(js, ns, seq)}")
        return 0
    finally:
        await nc.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Lotse dead letters")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("list", help="what was parked and why")
    again = sub.add_parser("replay", help="send parked messages to their subject again")
    again.add_argument("seq", type=int, nargs="*")
    again.add_argument("--all", action="store_true")
    return asyncio.run(_main(parser.parse_args(argv)))


if __name__ == "__main__":
    sys.exit(main())
