"""The rule file: the shipped one loads; a bad one is refused naming file and reason."""

from __future__ import annotations

from pathlib import Path

import pytest
from routing.adapters.rules_file import RulesFile, RulesFileError, load_rules
from routing.config import DEFAULT_RULES
from routing.domain.priority import Priority
from routing.domain.rules import Rule, RuleBook, RuleBookError, Signal


def test_shipped_rules_load_as_version_v1() -> None:
    book = load_rules(DEFAULT_RULES)
    assert book.version == "v1"
    assert book.default is Priority.NORMAL
    assert {r.id for r in book.rules} >= {"urgent-travel", "permit-expired", "permit-expiring"}


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "priority.yaml"
    path.write_text(text, encoding="utf-8")
    return path


V2 = 'version: "v2"\nrules:\n'
GOOD_RULE = "  - {id: walk-in, signal: walk_in, priority: normal}\n"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("rules: [\n", "not valid YAML"),
        ("rules: []\n", "version: Field required"),
        (V2 + "  - {id: x, signal: moon_phase, priority: high}\n", "rules.0.signal"),
        (V2 + "  - {id: x, signal: walk_in, priority: top}\n", "rules.0.priority"),
        ('version: "v2"\nrules:\n' + GOOD_RULE + GOOD_RULE, "rule ids must be unique: walk-in"),
        (
            'version: "v2"\nrules:\n  - {id: trip, signal: urgent_travel, priority: urgent}\n',
            "rule 'trip': signal urgent_travel needs a threshold",
        ),
        (
            'version: "v2"\nrules:\n  - {id: w, signal: walk_in, priority: high, threshold: 3}\n',
            "signal walk_in takes no threshold",
        ),
        (
            'version: "v2"\nrules:\n  - {id: c, signal: concern, priority: high}\n',
            "concerns go with signal concern",
        ),
        ('version: "v2"\nrules:\n' + GOOD_RULE + "surprise: 1\n", "surprise: Extra inputs"),
    ],
)
def test_bad_rule_file_fails_with_file_and_reason(tmp_path: Path, text: str, reason: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(RulesFileError) as caught:
        load_rules(path)
    assert str(caught.value).startswith(f"{path}: ")
    assert reason in str(caught.value)


def test_missing_rule_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(RulesFileError, match="cannot read"):
        load_rules(tmp_path / "nowhere.yaml")


def test_rule_threshold_must_be_a_sane_number_of_days() -> None:
    with pytest.raises(RuleBookError, match="threshold must be"):
        Rule("trip", Signal.URGENT_TRAVEL, Priority.URGENT, threshold=-1)


def test_rule_book_needs_a_version() -> None:
    with pytest.raises(RuleBookError, match="version"):
        RuleBook(version=" ", rules=())


def test_targets_are_read_from_the_rule_file() -> None:
    targets = load_rules(DEFAULT_RULES).targets
    assert targets.by_concern["eu_blue_card"] == 10
    assert targets.statutory_days["eu_blue_card"] == 28


def test_reload_refuses_a_bad_file_and_keeps_the_old_rules(tmp_path: Path) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text(DEFAULT_RULES.read_text(encoding="utf-8"), encoding="utf-8")
    rules = RulesFile(path)
    path.write_text("version: v2\nrules: [{id: BAD, signal: walk_in, priority: high}]\n")
    with pytest.raises(RulesFileError, match="rule 'BAD'"):
        rules.reload()
    assert rules.current.version == "v1"
    path.write_text("version: v2\nrules: []\n")
    assert rules.reload().version == "v2"
    assert rules.current.version == "v2"
