"""Against real NATS and the store: erasure leaves 0 rows with the applicant's data; retries
that run out end as NotificationFailed for the operator (audited); limits on user input."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from notify.adapters.channels import StatusPageChannel
from notify.config import Settings
from notify.domain.messages import DeliveryResult
from notify.entrypoints.app import create_app
from shared.contracts import CaseClosed, NotificationFailed, PersonalDataErased
from shared.contracts.intake.v1 import PersonalDataErasedData
from shared.contracts.routing.v1 import CaseActionData
from shared.subjects import Namespace
from shared.testing.app import eventually, running_app

from ..fakes import FakeChannel
from .test_lifecycle import ACTION, stream
from .test_status_journey import CODE, events, publish

pytestmark = pytest.mark.nats
EMAIL, PHONE, COMMENT = "erase.me@example.org", "+4915199887766", "Canary-Kommentar-4711"
LEAD = {"X-Lotse-Staff": "lead-1", "X-Lotse-Role": "team_lead"}
AUDITOR = {"X-Lotse-Staff": "aud-1", "X-Lotse-Role": "auditor"}


def app_for(url: str, ns: Namespace, db: str, tmp: Path, email: FakeChannel, **extra: Any) -> Any:
    settings = Settings(nats_url=url, namespace=ns.prefix, database_url=db, var_dir=tmp, **extra)
    return create_app(settings, channels=[StatusPageChannel(), email])


async def rows_holding(app: Any, *needles: str) -> int:
    """How many rows of any table in notify's store contain one of ``needles``."""
    runtime = app.state.runtime
    async with runtime.engine.connect() as conn:
        names = await conn.run_sync(lambda sync: sa.inspect(sync).get_table_names())
        found = 0
        for name in names:
            for row in (await conn.execute(sa.text(f'SELECT * FROM "{name}"'))).all():
                found += any(n in str(value) for value in row for n in needles)
    return found


async def test_erasure_leaves_no_row_with_the_applicants_data(
    nats_url: str, namespace: Namespace, database_url: str, tmp_path: Path
) -> None:
    email = FakeChannel("email", needs_email=True)
    app = app_for(nats_url, namespace, database_url, tmp_path, email)
    async with running_app(app) as client:
        received, contact, _ = events("case-7")
        contact.data.__dict__.update(email=EMAIL, phone=PHONE)
        closed = CaseClosed.build(subject="case-7", data=CaseActionData(**ACTION))
        for event in (received, contact, closed):
            await publish(nats_url, namespace, event)
        await eventually(lambda: sorted(m.kind for m in email.sent) == ["closed", "received"], 30)
        survey = (
            next(m for m in email.sent if m.kind == "closed").text.split("/survey/")[1].split()[0]
        )
        form = {"score": "3", "comment": COMMENT}
        assert (await client.post(f"/survey/{survey}", data=form)).status_code == 200
        prefs = {"language": "uk", "channels": ["email"]}
        assert (await client.put(f"/v1/preferences/{CODE}", json=prefs)).status_code == 204
        assert await rows_holding(app, EMAIL, PHONE, COMMENT) >= 2

        data = PersonalDataErasedData(case_id="case-7", ticket="ABH-7", reason="request")
        await publish(nats_url, namespace, PersonalDataErased.build(subject="case-7", data=data))

        async def erased() -> bool:
            return await rows_holding(app, EMAIL, PHONE, COMMENT) == 0

        await eventually(erased, timeout=30)
        assert (await client.get(f"/v1/status/{CODE}")).status_code == 404
        async with app.state.runtime.engine.connect() as conn:
            kinds = (await conn.execute(sa.text("SELECT kind FROM timeline"))).scalars().all()
        assert {"received", "closed", "erased"} <= set(kinds)


async def test_retries_that_run_out_end_as_a_failure_the_operator_sees(
    nats_url: str, namespace: Namespace, database_url: str, tmp_path: Path
) -> None:
    email = FakeChannel("email", DeliveryResult.failed("timeout", permanent=False), True)
    app = app_for(nats_url, namespace, database_url, tmp_path, email, max_deliver=3)
    async with running_app(app) as client:
        for event in events("case-7")[:2]:
            await publish(nats_url, namespace, event)

        async def listed() -> list[dict[str, Any]]:
            answer = await client.get("/v1/operator/failures", headers=LEAD)
            return list(answer.json())

        await eventually(listed, timeout=30)
        (failure,) = await listed()
        assert (failure["case_id"], failure["channel"]) == ("case-7", "email")
        assert "retries exhausted" in failure["reason"]
        # two events (received, contact) each owe the mail: at most max_deliver - 1 tries each
        assert 1 <= len(email.sent) <= 4
        (announced,) = await stream(nats_url, namespace, NotificationFailed)
        assert announced["data"]["permanent"] is True

        caseworker = {"X-Lotse-Staff": "cw", "X-Lotse-Role": "caseworker"}
        assert (await client.get("/v1/operator/failures", headers=caseworker)).status_code == 403
        assert (await client.get("/v1/audit?case=case-7", headers=LEAD)).status_code == 403
        trail = (await client.get("/v1/audit?case=case-7", headers=AUDITOR)).json()
        assert {(e["actor"], e["action"]) for e in trail} == {
            ("lead-1", "list_failed_notifications")
        }
        check = (await client.get("/v1/audit/verify", headers=AUDITOR)).json()
        assert check["ok"] is True
        assert check["entries"] >= 2


async def test_limits_on_what_applicants_send(
    nats_url: str, namespace: Namespace, database_url: str, tmp_path: Path
) -> None:
    email = FakeChannel("email", needs_email=True)
    app = app_for(nats_url, namespace, database_url, tmp_path, email, status_rate_per_minute=3)
    async with running_app(app) as client:
        put = client.put
        big = {"language": "de", "channels": ["email"], "pad": "x" * 40_000}
        assert (await put(f"/v1/preferences/{CODE}", json=big)).status_code == 413
        extra = {"essential_only": True, "unknown": 1}
        assert (await put(f"/v1/preferences/{CODE}", json=extra)).status_code == 422
        many = {"channels": ["email", "sms", "status_page", "email"]}
        assert (await put(f"/v1/preferences/{CODE}", json=many)).status_code == 422

        long = {"score": "4", "comment": "x" * 2001}
        assert (await client.post("/survey/s-1", data=long)).status_code == 422
        assert (await client.post(f"/survey/{'s' * 37}", data={"score": "4"})).status_code == 422

        codes = [(await client.get("/v1/status/guess")).status_code for _ in range(3)]
        assert codes == [404, 404, 404]
        assert (await client.get("/v1/status/guess")).status_code == 429
        assert (await client.get("/status/guess")).status_code == 429
        assert (await put("/v1/preferences/guess", json={})).status_code == 429
