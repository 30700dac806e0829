"""Configuration: attachments in a NATS object store, partner events on a renamed subject."""

from __future__ import annotations

from pathlib import Path

import nats
import pytest
from cloudevents.core.bindings.http import to_structured_event
from intake.entrypoints.app import create_app
from shared.messaging.topology import inbound_durable
from shared.subjects import INBOUND, Namespace
from shared.testing.app import eventually, running_app

from .test_channels import PDF, SP_TEAM, events_of, make_settings, partner_event, upload

pytestmark = pytest.mark.nats


async def test_nats_object_store_blobs_and_configured_inbound_subject(
    nats_url: str, namespace: Namespace, database_url: str, tmp_path: Path
) -> None:
    settings = make_settings(
        nats_url, namespace, database_url, tmp_path, blob_store="nats", inbound_name="portal_x"
    )
    app = create_app(settings)
    body = {"concern": "change_of_address", "applicant": {"family_name": "Novak"}}
    async with running_app(app) as client:
        await eventually(lambda: app.state.runtime.broker_up.is_set())
        receipt = (
            await client.post("/v1/applications", **upload(body, [("residence_permit", PDF)]))
        ).json()
        ticket = receipt["ticket"]
        listing = await client.get(f"/v1/applications/{ticket}/documents", headers=SP_TEAM)
        document_id = listing.json()[0]["document_id"]
        url = f"/v1/applications/{ticket}/documents/{document_id}"
        download = await client.get(url, headers=SP_TEAM)
        nc = await nats.connect(nats_url)
        stored = await (await nc.jetstream().object_store(f"{namespace.prefix}_intake_blobs")).get(
            document_id
        )
        msg = to_structured_event(partner_event("evt-x", {**body, "language": "fr"}))
        await nc.jetstream().publish(
            namespace.inbound_subject("portal_x", 1), msg.body, headers=dict(msg.headers)
        )
        await nc.close()

        async def partner_in() -> bool:
            events = await events_of(nats_url, namespace, "application_received")
            return [e["data"]["channel"] for e in events] == ["online", "partner"]

        await eventually(partner_in)

    assert download.status_code == 200
    assert download.content == PDF
    assert stored.data == PDF
    assert not (tmp_path / "intake" / "blobs").exists()


async def test_only_the_configured_inbound_consumer_is_declared(
    nats_url: str, namespace: Namespace, database_url: str, tmp_path: Path
) -> None:
    settings = make_settings(nats_url, namespace, database_url, tmp_path, inbound_name="portal_x")
    async with running_app(create_app(settings)):
        nc = await nats.connect(nats_url)
        try:
            infos = await nc.jetstream().consumers_info(namespace.stream(INBOUND))
        finally:
            await nc.close()

    assert {i.name: i.config.filter_subject for i in infos} == {
        inbound_durable("intake", "portal_x", 1): namespace.inbound_subject("portal_x", 1)
    }
