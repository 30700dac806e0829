"""Delete the INTAKE and INBOUND stream messages that carry an applicant's personal data."""

from __future__ import annotations

from collections.abc import Callable, Mapping

import orjson
from nats.js import JetStreamContext
from nats.js.errors import NotFoundError
from shared.contracts import ApplicantContactRecorded
from shared.subjects import INBOUND, Namespace

from intake.adapters.blobstore_nats import NATS_DOWN
from intake.domain.tracking import partner_event_key, sha256_hex
from intake.service_layer.ports import StreamsUnavailableError

Match = Callable[[bytes, Mapping[str, str]], bool]


class NatsStreamScrubber:
    """Scans a subject by sequence (``get_msg`` with ``next``) and erases matching messages."""

    def __init__(
        self,
        jetstream: Callable[[], JetStreamContext],
        ns: Namespace,
        inbound_name: str,
        secret: bytes,
    ) -> None:
        self._jetstream = jetstream
        self._ns = ns
        self._inbound_subject = ns.inbound_subject(inbound_name, 1)
        self._secret = secret

    async def scrub(self, case_ids: frozenset[str], inbound_key_hashes: frozenset[str]) -> int:
        """Each deletion is final and a repeat finds nothing more, so a failed scrub is retried."""
        try:
            return await self._scrub(case_ids, inbound_key_hashes)
        except NATS_DOWN as exc:
            raise StreamsUnavailableError from exc

    async def _scrub(self, case_ids: frozenset[str], inbound_key_hashes: frozenset[str]) -> int:
        js, ns = self._jetstream(), self._ns
        deleted = 0
        if case_ids:
            subject = ns.subject(ApplicantContactRecorded)
            match: Match = lambda body, _h: _case_of(body) in case_ids  # noqa: E731
            deleted += await _scan(js, ns.stream("intake"), subject, match)
        if inbound_key_hashes:

            def partner(body: bytes, headers: Mapping[str, str]) -> bool:
                return self._key_hash(body, headers) in inbound_key_hashes

            deleted += await _scan(js, ns.stream(INBOUND), self._inbound_subject, partner)
        return deleted

    def _key_hash(self, body: bytes, headers: Mapping[str, str]) -> str | None:
        lowered = {k.lower(): v for k, v in headers.items()}
        source: object = lowered.get("ce-source")
        event_id: object = lowered.get("ce-id")
        if source is None or event_id is None:
            event = _json(body)
            source, event_id = event.get("source"), event.get("id")
        if not isinstance(source, str) or not isinstance(event_id, str):
            return None
        return sha256_hex(partner_event_key(self._secret, source, event_id))


async def _scan(js: JetStreamContext, stream: str, subject: str, match: Match) -> int:
    """Erase (overwrite, then remove) every message on ``subject`` that ``match`` accepts."""
    seq, deleted = 1, 0
    while True:
        try:
            msg = await js.get_msg(stream, seq, subject=subject, next=True)
        except NotFoundError:
            return deleted
        assert msg.seq is not None
        if match(msg.data or b"", dict(msg.headers or {})):
            await js.delete_msg(stream, msg.seq)
            deleted += 1
        seq = msg.seq + 1


def _json(body: bytes) -> dict[str, object]:
    try:
        value = orjson.loads(body)
    except orjson.JSONDecodeError:
        return {}
    return value if isinstance(value, dict) else {}


def _case_of(body: bytes) -> str | None:
    data = _json(body).get("data")
    case_id = data.get("case_id") if isinstance(data, dict) else None
    return case_id if isinstance(case_id, str) else None
