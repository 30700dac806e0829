"""The projection's merge rules, in one place: how each command changes its row.

Every command sets some columns of one row, each under a rule. ``combine`` folds rules in
arrival order, so many commands become one row in memory (replay); the SQL adapter turns
the same rules into ``ON CONFLICT`` expressions against the stored row (live and replay
alike). Applying commands one by one or their fold at once gives the same row: the rules
compose.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from functools import cached_property
from typing import Any, Final, Literal

from metrics.service_layer.commands import (
    Command,
    RecordAppointment,
    RecordClosed,
    RecordDecided,
    RecordJoined,
    RecordMilestone,
    RecordNotification,
    RecordOutboxBacklog,
    RecordReceived,
    RecordRouted,
    RecordSurvey,
)

Rule = Literal["set", "fill", "earliest"]
SET: Final[Rule] = "set"  # this command's value wins (the later writer)
FILL: Final[Rule] = "fill"  # fills a gap only: a value already there stays
EARLIEST: Final[Rule] = "earliest"  # the earlier instant stays

Shape = tuple[tuple[str, Rule], ...]  # (column, rule) per column a row sets


@dataclass(frozen=True)
class Spec:
    """Where a command goes: its table, key column, and (column, command field, rule)s."""

    table: str
    key: str
    columns: tuple[tuple[str, str, Rule], ...]

    @cached_property
    def shape(self) -> Shape:
        return tuple((column, rule) for column, _, rule in self.columns)


def _spec(cmd: type[Any], table: str, key: str, **rules: Rule) -> Spec:
    """Every field but the key under ``SET`` unless ``rules`` says otherwise."""
    names = [f.name for f in fields(cmd) if f.name != key]
    columns = [(name, name, rules.get(name, SET)) for name in names]
    return Spec(table, key, tuple(columns))


def _renamed(spec: Spec, old: str, new: str) -> Spec:
    columns = tuple((new if c == old else c, f, r) for c, f, r in spec.columns)
    return Spec(spec.table, spec.key, columns)


CASES = "case_facts"
# CaseRouted and CaseDecided repeat these: the application's (and routing's) values win.
SPECS: dict[type[Any], Spec] = {
    RecordReceived: _spec(RecordReceived, CASES, "case_id"),
    RecordRouted: _renamed(
        _spec(RecordRouted, CASES, "case_id", concern=FILL, channel=FILL, language=FILL),
        "team",
        "routed_team",
    ),
    RecordDecided: _renamed(
        _spec(RecordDecided, CASES, "case_id", team=FILL), "team", "routed_team"
    ),
    RecordClosed: _spec(RecordClosed, CASES, "case_id"),
    # A notification's first record stays: a second one fills nothing that is set.
    RecordNotification: _spec(
        RecordNotification,
        "notification_facts",
        "notification_id",
        **{f.name: FILL for f in fields(RecordNotification)},
    ),
    # Facts of their own table, keyed by their own id: a later record replaces an earlier one.
    RecordJoined: _spec(RecordJoined, "duplicate_facts", "submission_id"),
    RecordAppointment: _spec(RecordAppointment, "appointment_facts", "appointment_id"),
    RecordSurvey: _spec(RecordSurvey, "survey_facts", "survey_id"),
    RecordOutboxBacklog: _spec(RecordOutboxBacklog, "outbox_reports", "report_id"),
}
MILESTONES: dict[str, Spec] = {  # the first claim, the first documents request
    name: Spec(CASES, "case_id", ((name, "at", EARLIEST),))
    for name in ("claimed_at", "documents_requested_at")
}


def spec_of(cmd: Command) -> Spec:
    if isinstance(cmd, RecordMilestone):
        return MILESTONES[cmd.milestone]
    return SPECS[type(cmd)]


def earliest(old: Any, new: Any) -> Any:
    """SQL's ``CASE WHEN old IS NULL OR old > new THEN new ELSE old END``."""
    return new if old is None or (new is not None and old > new) else old


def combine(old: tuple[Rule, Any] | None, new: tuple[Rule, Any]) -> tuple[Rule, Any]:
    """The one (rule, value) equal to applying ``old`` and then ``new`` to any stored value."""
    if old is None or new[0] == SET:
        return new
    if new[0] == FILL and old[0] != EARLIEST:
        return old if old[1] is not None else (old[0], new[1])
    if new[0] == EARLIEST and old[0] != FILL:
        return old[0], earliest(old[1], new[1])
    msg = "a column may not mix the fill and earliest rules"
    raise ValueError(msg)


@dataclass
class Row:
    """One folded row: which columns it sets under which rule, and their values (with key)."""

    shape: Shape
    values: dict[str, Any]

    def merge(self, spec: Spec, cmd: Command) -> None:
        rules: dict[str, Rule] = dict(self.shape)
        given = vars(cmd)
        for column, name, rule in spec.columns:
            old = (rules[column], self.values[column]) if column in rules else None
            rules[column], self.values[column] = combine(old, (rule, given[name]))
        self.shape = tuple(rules.items())


@dataclass
class Fold:
    """Rows per table (``table -> key -> row``) folded from commands in arrival order."""

    tables: dict[str, dict[Any, Row]] = field(default_factory=dict)

    @classmethod
    def of(cls, *cmds: Command) -> Fold:
        fold = cls()
        for cmd in cmds:
            fold.add(cmd)
        return fold

    def add(self, cmd: Command) -> None:
        spec = spec_of(cmd)
        given = vars(cmd)
        key = given[spec.key]
        rows = self.tables.setdefault(spec.table, {})
        row = rows.get(key)
        if row is not None:
            row.merge(spec, cmd)
            return
        values = {column: given[name] for column, name, _ in spec.columns}
        values[spec.key] = key
        rows[key] = Row(spec.shape, values)
