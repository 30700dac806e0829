"""SMS through a fake gateway over real HTTP: E.164, teaser only, failures classified."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import pytest
from notify.adapters.rendering import TemplateRenderer
from notify.adapters.sms import HttpSmsChannel, SmsConfig, e164

from .test_channels import APPOINTMENT, LINK, case


class Gateway(BaseHTTPRequestHandler):
    received: list[dict[str, Any]] = []
    status = 200

    def do_POST(self) -> None:
        length = int(self.headers["Content-Length"])
        Gateway.received.append(json.loads(self.rfile.read(length)))
        self.send_response(Gateway.status)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        return


@pytest.fixture
def gateway() -> Iterator[str]:
    Gateway.received, Gateway.status = [], 200
    server = HTTPServer(("127.0.0.1", 0), Gateway)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/send"
    finally:
        server.shutdown()


async def test_sms_goes_to_the_gateway_in_e164_with_only_the_teaser(gateway: str) -> None:
    sms = HttpSmsChannel(SmsConfig(url=gateway, token="t"))
    message = TemplateRenderer().message(case("tr", phone="0151 2345 6789"), APPOINTMENT, LINK)
    assert (await sms.send(message)).ok
    (body,) = Gateway.received
    assert body["to"] == "+4915123456789"
    assert LINK in body["text"]
    assert "Raum 101" not in body["text"]
    assert "Başvurunuzla ilgili yenilikler var" in body["text"]


async def test_sms_invalid_number_is_permanent_and_gateway_errors_are_classified(
    gateway: str,
) -> None:
    sms = HttpSmsChannel(SmsConfig(url=gateway))
    bad = await sms.send(TemplateRenderer().message(case("de", phone="12"), APPOINTMENT, LINK))
    assert (bad.ok, bad.permanent, Gateway.received) == (False, True, [])
    good = TemplateRenderer().message(case("de", phone="+49 151 23456789"), APPOINTMENT, LINK)
    Gateway.status = 503
    assert (await sms.send(good)).permanent is False
    Gateway.status = 400
    assert (await sms.send(good)).permanent is True
    assert e164("+44 20 7946 0958") == "+442079460958"
