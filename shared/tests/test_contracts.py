"""Wire contracts: CloudEvents attributes, round trips, and no incompatible schema change."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from shared.contracts import ALL_EVENTS, ApplicationReceived, CloudEvent
from shared.contracts.compat import breaking_changes, current_schema, snapshot_path
from shared.subjects import Namespace

from .probe import received

CLOUDEVENTS_REQUIRED = {"id", "source", "specversion", "type"}


@pytest.mark.parametrize("event", ALL_EVENTS, ids=lambda e: e.__name__)
def test_schema_change_is_compatible_with_committed_snapshot(event: type[CloudEvent]) -> None:
    path = snapshot_path(event)
    assert path.exists(), f"no snapshot for {event.__name__}: run python -m shared.contracts.compat"
    problems = breaking_changes(json.loads(path.read_text()), current_schema(event))
    assert problems == [], f"breaking change in {event.__name__}: make a v{event.major + 1} instead"


@pytest.mark.parametrize("event", ALL_EVENTS, ids=lambda e: e.__name__)
def test_snapshot_is_current(event: type[CloudEvent]) -> None:
    committed = json.loads(snapshot_path(event).read_text())
    assert committed == current_schema(event), (
        "compatible change not yet snapshotted: run `uv run python -m shared.contracts.compat`"
    )


def _schema(props: dict[str, Any], required: list[str]) -> dict[str, Any]:
    return {"properties": props, "required": required}


def test_removing_a_field_is_breaking() -> None:
    old = _schema({"a": {"type": "string"}, "b": {"type": "string"}}, ["a"])
    assert breaking_changes(old, _schema({"a": {"type": "string"}}, ["a"])) == [
        "<root>.b: field removed"
    ]


def test_new_required_field_is_breaking_but_optional_is_not() -> None:
    old = _schema({"a": {"type": "string"}}, ["a"])
    optional = _schema({"a": {"type": "string"}, "b": {"type": "string"}}, ["a"])
    required = _schema({"a": {"type": "string"}, "b": {"type": "string"}}, ["a", "b"])
    assert breaking_changes(old, optional) == []
    assert breaking_changes(old, required) == ["<root>.b: newly required"]


def test_changing_a_type_or_enum_is_breaking() -> None:
    old = _schema({"p": {"enum": ["high", "normal"]}}, [])
    assert breaking_changes(old, _schema({"p": {"enum": ["high"]}}, [])) != []
    assert breaking_changes(old, _schema({"p": {"type": "integer"}}, [])) != []


def test_event_carries_cloudevents_attributes_and_round_trips() -> None:
    event = received("RT1")
    wire = json.loads(event.to_json_bytes())
    assert wire.keys() >= CLOUDEVENTS_REQUIRED
    assert wire["specversion"] == "1.0"
    assert wire["type"] == "de.lotse.intake.application_received.v1"
    assert wire["source"] == "/lotse/intake"
    assert wire["subject"] == "case-RT1"
    assert wire["schemaversion"] == "1.0"
    assert ApplicationReceived.model_validate(wire) == event


def test_received_event_has_no_personal_fields() -> None:
    fields = set(ApplicationReceived.model_fields["data"].annotation.model_fields)  # type: ignore[union-attr]
    personal = {
        "given_name",
        "family_name",
        "email",
        "phone",
        "postal_address",
        "date_of_birth",
        "nationality",
        "message",
        "tracking_code",
    }
    assert fields.isdisjoint(personal)


def test_subjects_follow_producer_event_major() -> None:
    assert Namespace().subject(ApplicationReceived) == "intake.application_received.v1"
    assert Namespace("t1").subject(ApplicationReceived) == "t1.intake.application_received.v1"
    assert Namespace("t1").stream("intake") == "T1_INTAKE"


def test_unknown_additional_fields_are_tolerated() -> None:
    wire = json.loads(received("RT2").to_json_bytes())
    wire["data"]["added_in_v1_1"] = "x"
    wire["newextension"] = "y"
    assert ApplicationReceived.model_validate(wire).data.ticket == "RT2"


def test_dates_travel_as_iso_strings() -> None:
    event = received("RT3")
    data = event.data.model_copy(update={"permit_expires_on": date(2026, 12, 1)})
    wire = json.loads(event.model_copy(update={"data": data}).to_json_bytes())
    assert wire["data"]["permit_expires_on"] == "2026-12-01"
