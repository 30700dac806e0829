"""NATS down during an object-store upload or an erasure: 503 and Retry-After, nothing lost.

Each test runs its own ``nats-server`` and stops it midway.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from intake.entrypoints.app import create_app
from intake.service_layer.ports import StreamScrubber, StreamsUnavailableError
from shared.subjects import Namespace
from shared.testing.app import eventually, running_app
from shared.testing.nats_server import NatsServer
from sqlalchemy import text

from .test_channels import OPERATOR, PDF, make_settings, upload
from .test_erasure import LEAD, PERSON, blob_files, canaries_in_rows, canaries_in_streams

pytestmark = pytest.mark.nats

BODY: dict[str, Any] = {"concern": "toleration", "applicant": PERSON}


async def count(app: FastAPI, table: str) -> int:
    async with app.state.runtime.engine.connect() as conn:
        return int((await conn.execute(text(f"SELECT count(*) FROM {table}"))).scalar_one())


async def reconnected(app: FastAPI) -> bool:
    return bool(app.state.runtime.broker.connection.is_connected)


def outbox_empty(client: Any) -> Any:
    async def check() -> bool:
        backlog = (await client.get("/v1/ops/outbox", headers=OPERATOR)).json()
        return backlog["pending"] == 0

    return check


async def test_upload_to_the_nats_object_store_while_nats_is_down_is_503_and_keeps_nothing(
    private_nats: NatsServer, tmp_path: Path
) -> None:
    db = f"sqlite:///{tmp_path / 'intake.db'}"
    settings = make_settings(private_nats.url, Namespace("blobs"), db, tmp_path, blob_store="nats")
    app = create_app(settings)
    form = upload(BODY, [("passport", PDF)])
    async with running_app(app) as client:
        first = await client.post("/v1/applications", **form)  # the bucket exists from here
        before = (await count(app, "applications"), await count(app, "outbox"))
        private_nats.stop()
        down = await client.post("/v1/applications", **form)
        during = (await count(app, "applications"), await count(app, "outbox"))
        private_nats.start()
        await eventually(lambda: reconnected(app), timeout=30)
        again = await client.post("/v1/applications", **form)
        ticket = again.json()["ticket"]
        listing = await client.get(f"/v1/applications/{ticket}/documents", headers=LEAD)
        document = listing.json()[0]["document_id"]
        url = f"/v1/applications/{ticket}/documents/{document}"
        download = await client.get(url, headers=LEAD)

    assert first.status_code == 201
    assert down.status_code == 503, down.text
    assert down.headers["content-type"] == "application/problem+json"
    assert int(down.headers["retry-after"]) > 0
    assert down.json()["errors"][0]["field"] == "documents.passport"
    assert not [c for c in PERSON.values() if c in down.text]
    assert during == before
    assert again.status_code == 201
    assert again.json()["ticket"] != first.json()["ticket"] or again.json()["joined"]
    assert download.content == PDF


async def test_erasure_while_nats_is_down_is_503_and_the_retry_erases_everything(
    private_nats: NatsServer, tmp_path: Path
) -> None:
    ns = Namespace("erasure")
    settings = make_settings(private_nats.url, ns, f"sqlite:///{tmp_path / 'i.db'}", tmp_path)
    app = create_app(settings)
    async with running_app(app) as client:
        ticket = (
            await client.post("/v1/applications", **upload(BODY, [("passport", PDF)]))
        ).json()["ticket"]
        await eventually(outbox_empty(client))
        private_nats.stop()
        erase = f"/v1/applications/{ticket}/erase"
        down = await client.post(erase, json={"reason": "Art. 17 request"}, headers=LEAD)
        kept = await canaries_in_rows(app)
        view = (await client.get(f"/v1/applications/{ticket}", headers=LEAD)).json()
        private_nats.start()
        await eventually(lambda: reconnected(app), timeout=30)
        erased = await client.post(erase, json={"reason": "Art. 17 request"}, headers=LEAD)
        again = await client.post(erase, json={"reason": "Art. 17 request"}, headers=LEAD)
        await eventually(outbox_empty(client))
        rows_after = await canaries_in_rows(app)
    streams_after = await canaries_in_streams(private_nats.url, ns)

    assert down.status_code == 503, down.text
    assert down.headers["retry-after"]
    assert down.json()["errors"][0]["field"] == "streams"
    assert kept > 0
    assert view["erased_at"] is None
    assert erased.status_code == 200, erased.text
    assert erased.json()["stream_messages"] >= 1
    assert again.status_code == 409
    assert (rows_after, streams_after) == (0, 0)
    assert blob_files(tmp_path / "intake" / "blobs") == []


class FailsOnce:
    """The real scrubber, but the second pass fails once and the first skips contact events.

    That is the worst moment for NATS to go: the rows are erased and a contact event the
    relay published meanwhile is still in the stream.
    """

    def __init__(self, real: StreamScrubber) -> None:
        self.real = real
        self.calls = 0

    async def scrub(self, case_ids: frozenset[str], inbound_key_hashes: frozenset[str]) -> int:
        self.calls += 1
        if self.calls == 1:
            return await self.real.scrub(frozenset(), inbound_key_hashes)
        if self.calls == 2:
            raise StreamsUnavailableError
        return await self.real.scrub(case_ids, inbound_key_hashes)


async def test_a_repeated_erasure_finishes_a_stream_pass_that_failed_after_the_rows(
    nats_url: str, namespace: Namespace, tmp_path: Path
) -> None:
    settings = make_settings(nats_url, namespace, f"sqlite:///{tmp_path / 'i.db'}", tmp_path)
    app = create_app(settings)
    streams = FailsOnce(app.state.container.streams)
    app.state.container.streams = streams
    async with running_app(app) as client:
        ticket = (await client.post("/v1/applications", json=BODY)).json()["ticket"]
        await eventually(outbox_empty(client))
        erase = f"/v1/applications/{ticket}/erase"
        failed = await client.post(erase, json={"reason": "Art. 17 request"}, headers=LEAD)
        left = await canaries_in_streams(nats_url, namespace)
        repeated = await client.post(erase, json={"reason": "Art. 17 request"}, headers=LEAD)
        after = await canaries_in_streams(nats_url, namespace)

    assert failed.status_code == 503
    assert left > 0
    assert repeated.status_code == 409
    assert after == 0
    assert streams.calls == 3
