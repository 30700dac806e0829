"""Two real routing processes on one durable consumer and one store (SQLite; PostgreSQL too
when DATABASE_URL is set): every case routed once, nobody over their cap, one claim wins,
no slot overbooked."""

from __future__ import annotations

import asyncio
import secrets
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import nats
import pytest
import sqlalchemy as sa
from routing.adapters.tables import AppointmentRecord
from shared.contracts import CaseRouted
from shared.contracts.envelope import as_utc
from shared.messaging.outbox import event_headers
from shared.store import create_engine
from shared.subjects import Namespace
from shared.testing.app import eventually
from sqlalchemy.ext.asyncio import AsyncEngine

from ..fakes import received
from .helpers import published
from .replicas import Replica

pytestmark = pytest.mark.nats

N = 150
CAPS = {"w-de": 4, "w-en": 3, "w-any": 5}
OFFICE = """
calendars:
  residence:
    location: "Raum 1.12"
    slot_minutes: 30
    capacity: 2
    horizon_days: 60
    hours: {mon: ["08:00-18:00"], tue: ["08:00-18:00"], wed: ["08:00-18:00"],
            thu: ["08:00-18:00"], fri: ["08:00-18:00"]}
roster:
  - {id: w-de, team: residence, languages: [de], max_open: 4}
  - {id: w-en, team: residence, languages: [en], max_open: 3}
  - {id: w-any, team: residence, languages: [de, en, ar], max_open: 5}
"""


def staff(n: int) -> dict[str, str]:
    return {"X-Lotse-Staff": f"s-{n}", "X-Lotse-Role": "caseworker", "X-Lotse-Team": "residence"}


@pytest.fixture
def replicas(
    nats_url: str, namespace: Namespace, database_url: str, tmp_path: Path
) -> Iterator[tuple[Replica, Replica]]:
    office = tmp_path / "office.yaml"
    office.write_text(OFFICE)
    env = {
        "NATS_URL": nats_url,
        "LOTSE_NAMESPACE": namespace.prefix,
        "LOG_LEVEL": "INFO",
        "ROUTING_DATABASE_URL": database_url,
        "ROUTING_OFFICE_PATH": str(office),
        "ROUTING_STREAM_KEY": secrets.token_urlsafe(32),
    }
    a, b = Replica("a", env, tmp_path / "a"), Replica("b", env, tmp_path / "b")
    try:
        a.start()  # first: it migrates the store; the second finds it up to date
        b.start()
        yield a, b
    finally:
        a.stop()
        b.stop()


@pytest.fixture
async def store(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(database_url)
    yield engine
    await engine.dispose()


async def rows(engine: AsyncEngine, query: str) -> list[Any]:
    async with engine.connect() as conn:
        return list(await conn.execute(sa.text(query)))


def application(i: int) -> Any:
    visit = i % 3 != 0  # two in three need a visit: routing books their earliest seat
    concern = "residence_permit_extension" if visit else "eu_blue_card"
    return received(f"R{i:04d}", concern=concern, language=("de", "en", "ar")[i % 3])


async def publish_all(url: str, ns: Namespace, events: list[Any]) -> None:
    nc = await nats.connect(url)
    try:
        js = nc.jetstream()
        for event in events:
            await js.publish(
                ns.subject(type(event)), event.to_json_bytes(), headers=event_headers(event)
            )
    finally:
        await nc.close()


async def test_two_replicas_route_each_case_once_and_never_overbook(
    replicas: tuple[Replica, Replica], nats_url: str, namespace: Namespace, store: AsyncEngine
) -> None:
    a, b = replicas
    events = [application(i) for i in range(N)]
    await publish_all(nats_url, namespace, events)

    async def all_routed_and_assigned() -> bool:
        query = (
            "SELECT count(*), count(claimed_by) FROM cases WHERE status IN ('queued', 'claimed')"
        )
        [(total, claimed)] = await rows(store, query)
        return (total, claimed) == (N, sum(CAPS.values()))

    await eventually(all_routed_and_assigned, timeout=240, interval=0.5)
    await eventually(lambda: _outbox_drained(store), timeout=60, interval=0.5)

    # every case routed exactly once: one row and one CaseRouted per ticket
    routed = await published(nats_url, namespace, CaseRouted)
    announced = Counter(e["data"]["ticket"] for e in routed)
    assert announced == Counter(e.data.ticket for e in events)
    [(row_count, tickets)] = await rows(store, "SELECT count(*), count(DISTINCT ticket) FROM cases")
    assert (row_count, tickets) == (N, N)

    # nobody over their cap: the roster is exactly full, everything else waits in the hold queue
    load = dict(await rows(store, "SELECT claimed_by, count(*) FROM cases GROUP BY claimed_by"))
    assert {w: load.get(w, 0) for w in CAPS} == CAPS

    # both replicas consumed: each had pull requests waiting before the first event went out
    handled = (a.handled("application_received"), b.handled("application_received"))
    assert all(h > 0 for h in handled), handled
    assert sum(handled) >= N

    # routing's own seats: every visit booked, no seat twice, no slot over its capacity
    visits = sum(1 for e in events if e.data.concern == "residence_permit_extension")
    assert await _bookings(store) == visits
    assert await _fullest_slot(store) <= 2

    held = [t for (t,) in await rows(store, "SELECT ticket FROM cases WHERE status = 'queued'")]
    await _one_claim_wins(a, b, sorted(held)[:5])
    await _bookings_never_exceed_capacity(a, b, store)


async def _outbox_drained(store: AsyncEngine) -> bool:
    [(unsent,)] = await rows(store, "SELECT count(*) FROM outbox WHERE sent_at IS NULL")
    return int(unsent) == 0


async def _bookings(store: AsyncEngine) -> int:
    [(count,)] = await rows(store, "SELECT count(*) FROM appointments")
    return int(count)


async def _fullest_slot(store: AsyncEngine) -> int:
    query = "SELECT count(*) FROM appointments GROUP BY team, starts_at ORDER BY 1 DESC LIMIT 1"
    return int((await rows(store, query))[0][0])


async def _one_claim_wins(a: Replica, b: Replica, tickets: list[str]) -> None:
    """Eight caseworkers claim the same held case at once, four through each replica."""
    assert len(tickets) == 5
    async with httpx.AsyncClient(timeout=30) as http:
        for ticket in tickets:
            answers = await asyncio.gather(
                *(
                    http.post(f"{(a, b)[n % 2].url}/v1/cases/{ticket}/claim", headers=staff(n))
                    for n in range(8)
                )
            )
            codes = sorted(r.status_code for r in answers)
            assert codes == [200] + [409] * 7, (ticket, codes)
            winner = next(r.json()["claimed_by"] for r in answers if r.status_code == 200)
            shown = await http.get(f"{b.url}/v1/cases/{ticket}", headers=staff(0))
            assert shown.json()["claimed_by"] == winner


async def _bookings_never_exceed_capacity(a: Replica, b: Replica, store: AsyncEngine) -> None:
    """Nine cases want the same free slot through both replicas: its seats go, the rest 409."""
    free = [
        t
        for (t,) in await rows(
            store,
            "SELECT ticket FROM cases WHERE concern = 'eu_blue_card' AND case_id NOT IN "
            "(SELECT case_id FROM appointments) ORDER BY ticket LIMIT 20",
        )
    ]
    assert len(free) == 20
    async with httpx.AsyncClient(timeout=30) as http:

        async def book(n: int, ticket: str, at: datetime | None = None) -> httpx.Response:
            body = {"starts_at": at.isoformat()} if at else {}
            url = f"{(a, b)[n % 2].url}/v1/cases/{ticket}/appointment"
            return await http.post(url, headers=staff(n), json=body)

        earliest = await book(0, free[0])
        assert earliest.status_code == 200, earliest.text
        # a week on from the earliest free seat, past everything booked so far: an empty slot
        # (a holiday or a clock change may rule a week out: then the next)
        after = datetime.fromisoformat(earliest.json()["starts_at"])
        for weeks in range(1, 6):
            slot = after + timedelta(weeks=weeks)
            if (await book(1, free[1], slot)).status_code == 200:
                break
        assert await _in_slot(store, slot) == 1
        answers = await asyncio.gather(*(book(n, t, slot) for n, t in enumerate(free[2:10])))
        rest = await asyncio.gather(*(book(n, t) for n, t in enumerate(free[10:])))

    assert Counter(r.status_code for r in answers) == Counter({200: 1, 409: 7})
    assert await _in_slot(store, slot) == 2  # its capacity, never more
    assert [r.status_code for r in rest] == [200] * 10
    assert max(Counter(r.json()["starts_at"] for r in rest).values()) <= 2
    assert await _fullest_slot(store) <= 2


async def _in_slot(store: AsyncEngine, slot: datetime) -> int:
    async with store.connect() as conn:
        starts = (await conn.execute(sa.select(AppointmentRecord.starts_at))).scalars()
        return sum(1 for at in starts if as_utc(at) == slot)
