"""The applicant cancels or asks for a later appointment with their tracking code."""

from __future__ import annotations

import json
from datetime import date, timedelta

from notify.adapters import translators
from notify.domain.case import Details
from notify.service_layer import handlers
from notify.service_layer.applicant import request_appointment_change
from notify.service_layer.commands import RecordStep, RequestAppointmentChange
from notify.service_layer.views import case_status
from shared.contracts import AppointmentChangeRefused, AppointmentChangeRequested
from shared.contracts.routing.v1 import AppointmentChangeRefusedData

from ..fakes import NOW, FakeChannel, FakeUnitOfWork, outbound
from .test_confirmation import CODE, application, contact

LATER = NOW + timedelta(days=2)


def booked(starts_at: str = LATER.isoformat(), *, kind: str = "appointment_booked") -> RecordStep:
    details: Details = {
        "appointment_id": "apt-1",
        "starts_at": starts_at,
        "ends_at": starts_at,
        "location": "Raum 1.12",
        "by": "system",
    }
    return RecordStep("case-1", f"evt-{kind}", "corr", kind, NOW - timedelta(hours=1), details)


async def with_appointment(starts_at: str = LATER.isoformat()) -> FakeUnitOfWork:
    uow = FakeUnitOfWork()
    await handlers.record_application(application(), uow)
    await handlers.record_contact(contact(), uow)
    await handlers.record_step(booked(starts_at), uow)
    return uow


def ask(action: str = "cancel", not_before: date | None = None) -> RequestAppointmentChange:
    return RequestAppointmentChange(CODE, action, not_before)  # type: ignore[arg-type]


async def test_request_is_published_with_the_ticket_only_and_shows_as_pending() -> None:
    uow = await with_appointment()
    wish = date(2026, 12, 7)
    assert await request_appointment_change(ask("rebook", wish), uow, lambda: NOW) is None
    [event] = uow.published
    assert isinstance(event, AppointmentChangeRequested)
    assert (event.subject, event.data.ticket, event.data.action) == (
        "case-1",
        "ABH-2026-0001",
        "rebook",
    )
    assert event.data.not_before == wish
    wire = event.to_json_bytes().decode()
    assert CODE not in wire
    assert "a@example.org" not in wire
    view = await case_status(CODE, uow, outbound().renderer, now=NOW)
    assert view is not None
    assert view.appointment is not None
    assert (view.appointment.pending_change, view.appointment.changeable) == ("rebook", False)
    assert view.timeline[-1].text == "You asked for a later appointment."


async def test_a_second_request_while_one_waits_is_not_sent() -> None:
    uow = await with_appointment()
    assert await request_appointment_change(ask(), uow, lambda: NOW) is None
    assert await request_appointment_change(ask("rebook"), uow, lambda: NOW) == "pending"
    assert len(uow.published) == 1


async def test_no_request_without_a_future_appointment_or_a_known_code() -> None:
    begun = await with_appointment((NOW - timedelta(minutes=5)).isoformat())
    assert await request_appointment_change(ask(), begun, lambda: NOW) == "too_late"
    none = FakeUnitOfWork()
    await handlers.record_application(application(), none)
    await handlers.record_contact(contact(), none)
    assert await request_appointment_change(ask(), none, lambda: NOW) == "no_appointment"
    wrong = RequestAppointmentChange("not-the-code", "cancel")
    assert await request_appointment_change(wrong, none, lambda: NOW) == "not_found"
    assert begun.published == none.published == []


async def test_refusal_ends_the_wait_and_tells_the_applicant_why() -> None:
    uow = await with_appointment()
    await request_appointment_change(ask("rebook"), uow, lambda: NOW)
    request_id = uow.published[0].id
    data = AppointmentChangeRefusedData(
        case_id="case-1", ticket="ABH-2026-0001", action="rebook", reason="no_seat",
        request_id=request_id,
    )  # fmt: skip
    refused = AppointmentChangeRefused.build(subject="case-1", data=data)
    step = translators.appointment_change_refused(refused)
    await handlers.record_step(step, uow)
    email = FakeChannel("email", needs_email=True)
    await handlers.deliver_due("case-1", refused.id, "corr", uow, outbound(FakeChannel(), email))
    [message] = email.sent
    assert message.kind == "appointment_change_refused"
    assert "we could not give you a later appointment" in message.text
    assert "Your current appointment stays as it is." in message.text
    view = await case_status(CODE, uow, outbound().renderer, now=NOW)
    assert view is not None
    assert view.appointment is not None
    assert (view.appointment.pending_change, view.appointment.changeable) == (None, True)


async def test_applicant_cancellation_and_move_are_worded_as_their_own() -> None:
    uow = await with_appointment()
    cancelled = booked(kind="appointment_cancelled")
    by_applicant = RecordStep(
        cancelled.case_id,
        cancelled.event_id,
        "corr",
        cancelled.kind,
        NOW,
        {**cancelled.details, "by": "applicant"},
    )
    await handlers.record_step(by_applicant, uow)
    email = FakeChannel("email", needs_email=True)
    await handlers.deliver_due("case-1", cancelled.event_id, "corr", uow, outbound(email))
    assert "You cancelled your appointment on" in email.sent[0].text
    assert "We will contact you with a new appointment" not in email.sent[0].text
    moved = await with_appointment()
    rebooked = booked(kind="appointment_rebooked")
    details: Details = {**rebooked.details, "by": "applicant"}
    step = RecordStep("case-1", "evt-moved", "corr", rebooked.kind, NOW, details)
    await handlers.record_step(step, moved)
    await handlers.deliver_due("case-1", "evt-moved", "corr", moved, outbound(email))
    assert "As you asked, we have moved your appointment." in email.sent[1].text


async def test_status_page_offers_both_forms_only_while_the_appointment_can_change() -> None:
    uow = await with_appointment()
    renderer = outbound().renderer

    async def page(now: object = NOW) -> str:
        view = await case_status(CODE, uow, renderer, now=now)  # type: ignore[arg-type]
        assert view is not None
        return renderer.page(
            "status.html.j2",
            view.choice,
            view=view,
            tracking_code=CODE,
            upload_action="",
            appointment_action="/status/appointment",
            reason=None,
            languages=[],
        )

    html = await page()
    assert html.count('action="/status/appointment"') == 2
    assert 'value="cancel"' in html
    assert 'value="rebook"' in html
    assert 'type="date"' in html
    assert "Cancel the appointment" in html
    assert 'action="/status/appointment"' not in await page(LATER + timedelta(minutes=1))
    await request_appointment_change(ask(), uow, lambda: NOW)
    pending = await page()
    assert 'action="/status/appointment"' not in pending
    assert "We are handling your request about your appointment." in pending
    assert json.dumps(CODE) not in json.dumps([e.model_dump(mode="json") for e in uow.published])
