from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable
from datetime import UTC, date, datetime

import pytest
from intake.adapters.catalogue_file import load_catalogue
from intake.catalogue import DEFAULT_CATALOGUE
from intake.domain.application import Applicant, UnknownConcernError, UnknownDocumentError
from intake.domain.tracking import sha256_hex
from intake.service_layer.applications import (
    Context,
    IdempotencyKeyReusedError,
    Receipt,
    Submission,
    submit_application,
    submit_applications,
)
from intake.service_layer.commands import IdempotencyKey, SubmitApplication
from intake.service_layer.group_commit import GroupCommit
from intake.service_layer.ports import CommitConflictError
from shared.contracts import ApplicantContactRecorded, ApplicationReceived
from sqlalchemy.exc import OperationalError

from ..fakes import FakeStore, FakeUnitOfWork

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
PERSON = Applicant(
    family_name="Öztürk", given_name="Ayşe", email="ayse@example.org", phone="+49 170 1234567"
)


def context() -> Context:
    return Context(catalogue=load_catalogue(DEFAULT_CATALOGUE), clock=lambda: NOW)


def command(**changes: object) -> SubmitApplication:
    values: dict[str, object] = {
        "concern": "residence_permit_extension",
        "applicant": PERSON,
        "documents": ("passport", "biometric_photo"),
    }
    return SubmitApplication(**{**values, **changes})  # type: ignore[arg-type]


async def test_submit_stores_application_and_stages_both_events() -> None:
    store = FakeStore()
    receipt = await submit_application(command(), FakeUnitOfWork(store), context())
    ((_app, code_hash),) = store.applications.values()
    assert code_hash == sha256_hex(receipt.tracking_code) != receipt.tracking_code
    received, contact = store.events
    assert isinstance(received, ApplicationReceived)
    assert isinstance(contact, ApplicantContactRecorded)
    assert received.subject == contact.subject == receipt.case_id == received.correlationid
    assert received.data.team == "residence"
    assert received.data.received_at == NOW.isoformat()
    assert contact.data.tracking_code == receipt.tracking_code
    assert contact.data.email == "ayse@example.org"


async def test_application_received_carries_no_personal_data() -> None:
    store = FakeStore()
    await submit_application(
        command(urgency_reason="Beerdigung in Izmir", message="Bitte schnell"),
        FakeUnitOfWork(store),
        context(),
    )
    payload = store.events[0].model_dump_json()
    for secret in ("Öztürk", "Ayşe", "ayse@example.org", "1234567", "Izmir", "schnell"):
        assert secret not in payload


async def test_missing_documents_are_reported_in_checklist_order() -> None:
    receipt = await submit_application(command(), FakeUnitOfWork(FakeStore()), context())
    assert receipt.missing_documents == [
        "residence_permit", "proof_of_income", "health_insurance", "rental_contract",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("changes", "urgent", "walk_in"),
    [
        ({"travel_date": date(2026, 4, 1), "urgency_reason": "funeral"}, True, False),
        ({"travel_date": date(2026, 4, 1)}, False, False),
        ({"channel": "counter"}, False, True),
    ],
)
async def test_urgent_travel_and_walk_in_flags(
    changes: dict[str, object], urgent: bool, walk_in: bool
) -> None:
    store = FakeStore()
    await submit_application(command(**changes), FakeUnitOfWork(store), context())
    data = store.events[0].data
    assert (data.urgent_travel, data.walk_in) == (urgent, walk_in)


async def test_unknown_concern_is_rejected_with_the_valid_keys() -> None:
    store = FakeStore()
    with pytest.raises(UnknownConcernError) as caught:
        await submit_application(command(concern="visa"), FakeUnitOfWork(store), context())
    assert "toleration" in caught.value.valid
    assert store.commits == 0


async def test_unknown_document_kind_is_rejected_by_position() -> None:
    with pytest.raises(UnknownDocumentError) as caught:
        await submit_application(
            command(documents=("passport", "selfie")), FakeUnitOfWork(FakeStore()), context()
        )
    assert caught.value.index == 1


async def test_same_idempotency_key_returns_the_first_receipt_once() -> None:
    store = FakeStore()
    idem = IdempotencyKey("a3f1c0de-5b7e-4c59-9d0e-6f1b2a3c4d5e", "request-hash")
    first = await submit_application(command(), FakeUnitOfWork(store), context(), idem)
    again = await submit_application(command(), FakeUnitOfWork(store), context(), idem)
    assert (again.ticket, again.case_id, again.tracking_code) == (
        first.ticket, first.case_id, first.tracking_code,
    )  # fmt: skip
    assert again.replayed
    assert not first.replayed
    assert len(store.applications) == 1
    assert len(store.events) == 2


async def test_idempotency_key_with_a_different_request_is_refused() -> None:
    store = FakeStore()
    key = "a3f1c0de-5b7e-4c59-9d0e-6f1b2a3c4d5e"
    await submit_application(command(), FakeUnitOfWork(store), context(), IdempotencyKey(key, "a"))
    with pytest.raises(IdempotencyKeyReusedError):
        await submit_application(
            command(), FakeUnitOfWork(store), context(), IdempotencyKey(key, "b")
        )


async def test_submissions_at_the_same_time_share_one_commit_and_keep_their_own_fate() -> None:
    store = FakeStore()
    group = GroupCommit(lambda: FakeUnitOfWork(store), context)
    commands = [command(applicant=Applicant(family_name=f"P{i}")) for i in range(9)]
    commands.insert(4, command(concern="no_such_concern"))
    results = await asyncio.gather(
        *(group.submit(cmd, None) for cmd in commands), return_exceptions=True
    )
    assert isinstance(results[4], UnknownConcernError), "a refusal is its own request's answer"
    receipts = [r for r in results if isinstance(r, Receipt)]
    assert len(receipts) == 9
    assert len({r.ticket for r in receipts}) == 9
    assert store.commits == 1, "the nine accepted applications shared one transaction"
    assert len(store.applications) == 9


class FailingFirstCommit(FakeUnitOfWork):
    """A store whose next commit fails with ``error`` (counted in ``store.commits``)."""

    failures: list[Exception]

    async def commit(self) -> None:
        if self.failures:
            self.store.commits += 1
            raise self.failures.pop(0)
        await super().commit()


def failing_store(*errors: Exception) -> tuple[FakeStore, Callable[[], FakeUnitOfWork]]:
    store, failures = FakeStore(), list(errors)

    def open_uow() -> FakeUnitOfWork:
        uow = FailingFirstCommit(store)
        uow.failures = failures
        return uow

    return store, open_uow


async def test_a_busy_store_answers_every_submission_of_the_batch_without_storing_twice() -> None:
    locked = OperationalError("COMMIT", {}, sqlite3.OperationalError("database is locked"))
    store, open_uow = failing_store(locked)
    batch = [Submission(command(applicant=Applicant(family_name=f"P{i}")), None) for i in range(3)]
    results = await submit_applications(batch, open_uow, context())
    assert results == [locked] * 3, "each answers 503 (or is retried by the broker) on its own"
    assert store.commits == 1, "no submission was tried again behind the caller's back"
    assert store.applications == {}


async def test_a_conflict_in_the_shared_transaction_sends_each_submission_alone() -> None:
    store, open_uow = failing_store(CommitConflictError("ticket taken meanwhile"))
    batch = [Submission(command(applicant=Applicant(family_name=f"P{i}")), None) for i in range(3)]
    results = await submit_applications(batch, open_uow, context())
    assert all(isinstance(r, Receipt) for r in results)
    assert len(store.applications) == 3
    assert store.commits == 1 + 3
