"""Raw stream messages -> projection commands, validated exactly as the live consumers do."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import ValidationError
from shared.contracts import CloudEvent
from shared.messaging.deadletter import PoisonMessage
from shared.messaging.topology import SUBSCRIPTIONS

from metrics.adapters.stream_reader import Message
from metrics.adapters.translators import translator
from metrics.config import Settings
from metrics.service_layer.commands import Command


@dataclass(frozen=True)
class Kind:
    """One consumed subject as its live consumer reads it: contract, consumer, translator."""

    event: type[CloudEvent]
    consumer: str
    translate: Callable[[Any, ZoneInfo], Command]


def kinds_by_stream(settings: Settings) -> dict[str, dict[str, Kind]]:
    """The consumed subjects per producer stream, each with how to read it."""
    ns, streams = settings.ns(), dict[str, dict[str, Kind]]()
    for event in SUBSCRIPTIONS[settings.service]:
        kind = Kind(event, ns.durable(settings.service, event), translator(event))
        streams.setdefault(ns.stream(event.producer), {})[ns.subject(event)] = kind
    return streams


@dataclass
class Translation:
    """Commands of valid, first-seen events in stream order; their ids per live consumer."""

    cmds: list[Command] = field(default_factory=list)
    processed: dict[str, list[str]] = field(default_factory=dict)
    per_event: dict[str, int] = field(default_factory=dict)
    skipped: int = 0


def translate(
    messages: Sequence[Message],
    kinds: dict[str, Kind],
    zone: ZoneInfo,
    seen: dict[str, set[str]],
    out: Translation,
) -> None:
    """Add ``messages`` to ``out``: what a live consumer would dead-letter is only counted.

    An event already seen (the same event id under a second message id) is left out, as
    the live consumer's inbox would.
    """
    for subject, body in messages:
        kind = kinds[subject]
        try:
            event = kind.event.model_validate_json(body)
            cmd = kind.translate(event, zone)
        except (ValidationError, PoisonMessage, ValueError):
            out.skipped += 1
            continue
        done = seen.setdefault(kind.consumer, set())
        if event.id in done:
            continue
        done.add(event.id)
        out.cmds.append(cmd)
        out.processed.setdefault(kind.consumer, []).append(event.id)
        out.per_event[event.type] = out.per_event.get(event.type, 0) + 1
