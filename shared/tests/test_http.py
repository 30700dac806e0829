"""The operations surface every service gets from shared.runtime.create_app."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from fastapi import APIRouter
from pydantic import BaseModel, Field
from shared.runtime import create_app
from shared.subjects import Namespace
from shared.testing.app import running_app

from .probe import ProbeSettings, build_probe

pytestmark = pytest.mark.nats


class Thing(BaseModel):
    name: str = Field(max_length=5)
    count: int


def probe_app(nats_url: str, ns: Namespace, tmp_path: Path):  # type: ignore[no-untyped-def]
    probe = build_probe(
        ProbeSettings(
            nats_url=nats_url, namespace=ns.prefix, database_url=f"sqlite:///{tmp_path}/p.db"
        )
    )
    router = APIRouter()

    @router.post("/things")
    async def make(thing: Thing) -> Thing:
        return thing

    return create_app(probe.runtime, title="probe", description="probe", routers=[router])


async def test_health_readiness_metrics_and_asyncapi(
    nats_url: str, namespace: Namespace, tmp_path: Path
) -> None:
    async with running_app(probe_app(nats_url, namespace, tmp_path)) as client:
        assert (await client.get("/healthz")).json() == {"status": "ok"}
        ready = (await client.get("/readyz")).json()
        assert ready == {"status": "ok", "checks": {"store": "ok", "nats": "ok"}}
        metrics = (await client.get("/metrics")).text
        assert "lotse_outbox_pending" in metrics
        doc = (await client.get("/asyncapi.json")).json()
        assert any("application_received" in name for name in doc["channels"])
        assert (await client.get("/openapi.json")).status_code == 200
        assert (await client.post("/asyncapi/try", json={})).status_code in {404, 405}


async def test_bad_input_gets_problem_details_naming_the_field(
    nats_url: str, namespace: Namespace, tmp_path: Path
) -> None:
    async with running_app(probe_app(nats_url, namespace, tmp_path)) as client:
        response = await client.post("/things", json={"name": "too long", "count": "x"})
        assert response.status_code == 422
        assert response.headers["content-type"] == "application/problem+json"
        body = response.json()
        assert body["status"] == 422
        assert {e["field"] for e in body["errors"]} == {"name", "count"}
        missing = await client.get("/nothing-here")
        assert missing.status_code == 404
        assert missing.json()["title"] == "Not Found"


async def test_background_loops_run_with_the_app_and_stop_before_it(
    nats_url: str, namespace: Namespace, tmp_path: Path
) -> None:
    probe = build_probe(
        ProbeSettings(
            nats_url=nats_url, namespace=namespace.prefix, database_url=f"sqlite:///{tmp_path}/p.db"
        )
    )
    started, stopped = asyncio.Event(), asyncio.Event()

    async def ticker() -> None:
        started.set()
        try:
            await asyncio.Event().wait()
        finally:
            stopped.set()

    app = create_app(probe.runtime, title="probe", description="probe", background=[ticker])
    async with running_app(app):
        await asyncio.wait_for(started.wait(), 10)
        assert not stopped.is_set()
    assert stopped.is_set()
