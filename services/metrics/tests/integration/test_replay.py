"""Replay rebuilds the projection from the streams and gives the live figures (real NATS)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import nats
import pytest
from metrics.config import Settings
from metrics.entrypoints.app import create_app
from metrics.entrypoints.replay import StoreNotEmptyError, replay
from shared.contracts import (
    ApplicationJoinedCase,
    CaseClaimed,
    CaseClosed,
    CaseDecided,
    CloudEvent,
    OutboxBacklogExceeded,
    SurveyAnswered,
)
from shared.contracts.intake.v1 import ApplicationJoinedCaseData, OutboxBacklogExceededData
from shared.contracts.notify.v1 import SurveyAnsweredData
from shared.contracts.routing.v1 import CaseActionData, CaseDecidedData
from shared.subjects import Namespace
from shared.testing.app import eventually, running_app

from .test_projection_over_nats import NOON, Publisher, application, notification, routing

pytestmark = pytest.mark.nats

PERIOD = {"from": "2026-02-20", "to": "2026-03-10"}


def action(cls: type[CloudEvent], case_id: str, hours: int) -> CloudEvent:
    data = CaseActionData(case_id=case_id, ticket=f"T-{case_id}", team="team_b", actor="s-7")
    return cls.build(subject=case_id, data=data, time=NOON + timedelta(hours=hours))  # type: ignore[attr-defined]


def decided(case_id: str, days: int) -> CaseDecided:
    data = CaseDecidedData(
        case_id=case_id,
        ticket=f"T-{case_id}",
        team="team_b",
        actor="s-7",
        outcome="granted",
        concern="residence_permit_extension",
        language="de",
        within_target=days < 5,
    )
    return CaseDecided.build(subject=case_id, data=data, time=NOON + timedelta(days=days))


def others() -> list[CloudEvent]:
    joined = ApplicationJoinedCaseData(
        case_id="c1", ticket="T-c1", channel="email", language="de", submission_id="s-1"
    )
    survey = SurveyAnsweredData(survey_id="v-1", score=4, concern="x", language="en")
    backlog = OutboxBacklogExceededData(
        pending=900, oldest_age_seconds=80.0, threshold_pending=500, threshold_age_seconds=60.0
    )
    return [
        ApplicationJoinedCase.build(subject="c1", data=joined, time=NOON),
        SurveyAnswered.build(subject="v-1", data=survey, time=NOON),
        OutboxBacklogExceeded.build(subject="outbox", data=backlog, time=NOON),
    ]


def history() -> list[CloudEvent]:
    """A mixed sequence: six cases in several states, notifications, duplicates, a survey."""
    events: list[CloudEvent] = []
    for n in range(6):
        case = f"c{n}"
        events += [application(case, concern="residence_permit_extension" if n % 2 else "visa")]
        if n < 5:
            events += [routing(case), notification(case, f"n{n}", failed=n == 3)]
        if n < 4:
            events += [action(CaseClaimed, case, 2)]
        if n < 3:
            events += [decided(case, days=2 * n + 1), action(CaseClosed, case, 24 * (2 * n + 2))]
    return events + others()


async def figures(client: httpx.AsyncClient) -> dict[str, Any]:
    kpis = (await client.get("/v1/kpis", params=PERIOD)).json()
    series = (await client.get("/v1/kpis/series", params={**PERIOD, "grain": "day"})).json()
    return {"kpis": kpis, "series": series}


async def test_replay_into_a_fresh_store_gives_the_live_figures(
    nats_url: str, namespace: Namespace, database_url: str, tmp_path: Path
) -> None:
    publish, events = Publisher(nats_url, namespace), history()
    live = Settings(nats_url=nats_url, namespace=namespace.prefix, database_url=database_url)
    async with running_app(create_app(live)) as client:
        for event in events:
            await publish(event)
        nc = await nats.connect(nats_url)
        await nc.publish(namespace.subject(CaseClaimed), b"{not json")  # poison: skipped
        await nc.close()

        async def projected() -> bool:
            body = (await figures(client))["kpis"]
            return (body["applications_received"], body["cases_decided"], body["duplicates"]) == (
                6,
                3,
                1,
            )

        await eventually(projected)
        before = await figures(client)

    rebuilt = live.model_copy(update={"database_url": f"sqlite:///{tmp_path / 'replayed.db'}"})
    report = await replay(rebuilt, batch=7, progress=False)
    assert (report.events, report.skipped) == (len(events), 1)
    with pytest.raises(StoreNotEmptyError):
        await replay(rebuilt, progress=False)

    for settings in (rebuilt, live):  # each store read without starting consumers
        transport = httpx.ASGITransport(app=create_app(settings))
        async with httpx.AsyncClient(transport=transport, base_url="http://m") as client:
            assert await figures(client) == before
    assert before["kpis"]["lead_time_days"]["n"] == 3
