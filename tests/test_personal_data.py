"""Canaries: unique fake names, emails and passport numbers go through the whole platform and
appear 0 times in logs, spans, metric labels, the metrics store, subjects, dead letters or
error responses. (They may live only where they belong: intake's and notify's stores and the
intake/inbound streams that carry them to notify.) The platform is the session's
(tests/conftest.py): every service at DEBUG, exporting spans to the session's collector."""

from __future__ import annotations

import asyncio
import json
import uuid
from typing import Any

import httpx
import nats
import pytest
from shared.subjects import DEADLETTER, INBOUND, PRODUCERS, Namespace
from shared.testing.app import eventually
from shared.testing.processes import SERVICES, Platform

from .otlp_collector import OtlpCollector

pytestmark = [pytest.mark.nats, pytest.mark.journey]

TAG = uuid.uuid4().hex[:8].upper()
CANARIES = {
    "given": f"Kanarienvogel{TAG}",
    "family": f"Zwitscher{TAG}",
    "email": f"canary.{TAG.lower()}@example.org",
    "passport": f"C{TAG}P7",
    "address": f"Kanarienweg {TAG}, 72070 Tuebingen",
}


def application(channel_suffix: str = "") -> dict[str, Any]:
    return {
        "concern": "residence_permit_extension",
        "language": "de",
        "applicant": {
            "given_name": CANARIES["given"] + channel_suffix,
            "family_name": CANARIES["family"],
            "date_of_birth": "1987-02-03",
            "nationality": "AFG",
            "email": CANARIES["email"],
            "postal_address": CANARIES["address"],
        },
        "message": f"Mein Pass {CANARIES['passport']} läuft ab.",
        "documents": [{"kind": "passport"}],
    }


def partner_event(data: dict[str, Any]) -> bytes:
    return json.dumps(
        {
            "specversion": "1.0",
            "id": f"canary-{TAG}-{uuid.uuid4().hex[:6]}",
            "source": "/partner/online-forms",
            "type": "de.example.application.submitted",
            "datacontenttype": "application/json",
            "data": data,
        }
    ).encode()


def leaked(text: str) -> list[str]:
    return [name for name, canary in CANARIES.items() if canary in text]


async def stream_payloads(url: str, ns: Namespace) -> dict[str, list[bytes]]:
    nc = await nats.connect(url)
    out: dict[str, list[bytes]] = {}
    try:
        js = nc.jetstream()
        for producer in (*PRODUCERS, DEADLETTER, INBOUND):
            name = ns.stream(producer)
            info = await js.stream_info(name, subjects_filter=">")
            out[f"{name} subjects"] = [s.encode() for s in (info.state.subjects or {})]
            out[name] = [
                (await js.get_msg(name, seq)).data or b""
                for seq in range(info.state.first_seq, info.state.last_seq + 1)
                if info.state.messages
            ]
    finally:
        await nc.close()
    return out


async def test_canaries_stay_where_they_belong(
    platform: Platform, collector: OtlpCollector, nats_url: str
) -> None:
    async with httpx.AsyncClient(timeout=10) as client:
        await check_canaries(platform, collector, nats_url, client)


async def check_canaries(
    platform: Platform, collector: OtlpCollector, nats_url: str, client: httpx.AsyncClient
) -> None:
    intake = platform.url("intake")
    counted_before = (await client.get(f"{platform.url('metrics')}/v1/kpis")).json()
    expected = counted_before["applications_received"] + 2  # ours over HTTP and the partner's
    ns = Namespace(platform.namespace)
    accepted = await client.post(f"{intake}/v1/applications", json=application())
    assert accepted.status_code == 201, accepted.text
    ticket = accepted.json()["ticket"]

    refused = await client.post(
        f"{intake}/v1/applications",
        json=application() | {"concern": f"no-such-{CANARIES['passport']}"},
    )
    bad_field = application()
    bad_field["applicant"]["nationality"] = CANARIES["family"]
    refused_too = await client.post(f"{intake}/v1/applications", json=bad_field)
    assert refused.status_code == 422
    assert refused_too.status_code == 422
    assert leaked(refused.text + refused_too.text) == [], "an error response echoed personal data"

    nc = await nats.connect(nats_url)
    js = nc.jetstream()
    partner = application("P")
    await js.publish(ns.inbound_subject("applications", 1), partner_event(partner))
    poison = partner | {"concern": 17, "applicant": {"given_name": CANARIES["given"]}}
    await js.publish(ns.inbound_subject("applications", 1), partner_event(poison))
    await nc.close()

    async def routed() -> bool:
        case = await client.get(f"{platform.url('routing')}/v1/cases/{ticket}", headers=STAFF)
        kpis = (await client.get(f"{platform.url('metrics')}/v1/kpis")).json()
        return case.status_code == 200 and kpis["applications_received"] >= expected

    await eventually(routed, timeout=30)
    await asyncio.sleep(1.0)  # let the batch span processors export what the last hops did

    places: dict[str, str] = {f"{s} log": platform.log(s) for s in SERVICES}
    places["spans"] = repr(collector.snapshot())
    for service in SERVICES:
        places[f"{service} /metrics"] = (await client.get(f"{platform.url(service)}/metrics")).text
    places["metrics store"] = "".join(
        p.read_bytes().decode("latin-1") for p in platform.var_dir.glob("metrics.db*")
    )
    for name, payloads in (await stream_payloads(nats_url, ns)).items():
        if name.endswith(("_INTAKE", "_INBOUND")):
            continue  # the contact data's way to notify, and the partner's own submission
        places[f"stream {name}"] = b"".join(payloads).decode("utf-8", "replace")

    leaks = {place: leaked(text) for place, text in places.items() if leaked(text)}
    assert leaks == {}


STAFF = {"X-Lotse-Staff": "sb-canary", "X-Lotse-Role": "head_of_office"}
