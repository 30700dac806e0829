"""Each service's NATS user may publish only its own events (deploy/nats/permissions.inc)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import nats
import pytest
from shared.contracts import ApplicationReceived, CaseRouted
from shared.messaging.permissions import authorization, deploy_file
from shared.messaging.topology import StreamPolicy, declare_streams
from shared.subjects import PRODUCERS, Namespace
from shared.testing.nats_server import NatsServer

ROOT = Path(__file__).resolve().parents[1]
USERS = [*PRODUCERS, "partner", "operator"]
PASSWORDS = {user: f'"pw-{user}"' for user in USERS}

pytestmark = pytest.mark.nats


def test_committed_permissions_file_matches_the_topology() -> None:
    assert (ROOT / "deploy" / "nats" / "permissions.inc").read_text() == deploy_file(), (
        "regenerate: uv run python -m shared.messaging.permissions > deploy/nats/permissions.inc"
    )


@pytest.fixture
def secured(tmp_path: Path) -> Iterator[NatsServer]:
    config = tmp_path / "secured.conf"
    config.write_text(
        f'jetstream {{ store_dir: "{tmp_path / "js"}" }}\n' + authorization(PASSWORDS)
    )
    server = NatsServer(tmp_path / "nats", None, "-c", str(config)).start()
    yield server
    server.stop()


def url(server: NatsServer, user: str) -> str:
    return f"nats://{user}:pw-{user}@127.0.0.1:{server.port}"


@pytest.fixture
async def streams(secured: NatsServer) -> None:
    nc = await nats.connect(url(secured, "operator"))
    await declare_streams(nc.jetstream(), Namespace(), StreamPolicy())
    await nc.close()


async def publish(server: NatsServer, user: str, subject: str) -> bool:
    """True if JetStream stored the message, False if the server refused it."""
    errors: list[Exception] = []

    async def on_error(error: Exception) -> None:
        errors.append(error)

    nc = await nats.connect(url(server, user), error_cb=on_error)
    try:
        await nc.jetstream().publish(subject, b"{}", timeout=1)
    except (nats.errors.TimeoutError, nats.errors.NoRespondersError, TimeoutError):
        return False
    finally:
        await nc.close()
    return not errors


async def test_service_publishes_its_own_events_but_not_anothers(
    secured: NatsServer, streams: None
) -> None:
    ns = Namespace()
    assert await publish(secured, "routing", ns.subject(CaseRouted))
    assert not await publish(secured, "routing", ns.subject(ApplicationReceived))
    assert await publish(secured, "intake", ns.subject(ApplicationReceived))
    assert not await publish(secured, "notify", ns.subject(CaseRouted))


async def test_partner_may_only_submit_inbound(secured: NatsServer, streams: None) -> None:
    assert await publish(secured, "partner", Namespace().inbound_subject("applications", 1))
    assert not await publish(secured, "partner", Namespace().subject(ApplicationReceived))
