"""Every NATS subject, stream and durable name is built here and nowhere else.

A ``Namespace`` prefixes all of them, so test runs (and several tenants on one NATS
cluster) never see each other's messages. The default namespace is empty: subjects are
exactly ``<producer>.<event>.v<major>``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from shared.contracts.envelope import CloudEvent

PRODUCERS = ("intake", "routing", "notify", "metrics")
DEADLETTER = "deadletter"
INBOUND = "inbound"  # partner systems publish here (CloudEvents, not Lotse's own contracts)
_PREFIX = re.compile(r"^[a-z][a-z0-9_]{0,30}$")


@dataclass(frozen=True)
class Namespace:
    """A prefix for subjects (``<prefix>.``) and stream names (``<PREFIX>_``); empty by default."""

    prefix: str = ""

    def __post_init__(self) -> None:
        if self.prefix and not _PREFIX.match(self.prefix):
            msg = f"namespace {self.prefix!r} must be lower-case letters, digits or '_'"
            raise ValueError(msg)

    def _s(self, subject: str) -> str:
        return f"{self.prefix}.{subject}" if self.prefix else subject

    def subject(self, event: type[CloudEvent]) -> str:
        """``intake.application_received.v1`` for ``ApplicationReceived``."""
        return self._s(f"{event.producer}.{event.name}.v{event.major}")

    def stream(self, producer: str) -> str:
        """One stream per producing service: ``INTAKE``, ``ROUTING`` ..."""
        name = producer.upper()
        return f"{self.prefix.upper()}_{name}" if self.prefix else name

    def stream_subjects(self, producer: str) -> list[str]:
        return [self._s(f"{producer}.>")]

    def deadletter_subject(self, service: str, original_subject: str) -> str:
        """Where a message that ``service`` can never process is parked, with its reason."""
        bare = original_subject.removeprefix(f"{self.prefix}.") if self.prefix else original_subject
        return self._s(f"{DEADLETTER}.{service}.{bare}")

    def inbound_subject(self, name: str = "applications", major: int = 1) -> str:
        """Where partner systems publish: ``inbound.applications.v1``."""
        return self._s(f"{INBOUND}.{name}.v{major}")

    def durable(self, service: str, event: type[CloudEvent]) -> str:
        """The durable consumer all replicas of ``service`` share for one event type."""
        return f"{service}-{event.producer}-{event.name}-v{event.major}"

    def strip(self, subject: str) -> str:
        """The subject as the contract names it, without this namespace's prefix."""
        return subject.removeprefix(f"{self.prefix}.") if self.prefix else subject
