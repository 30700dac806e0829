"""Load and validate the priority rule file into a domain ``RuleBook``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import yaml
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from routing.domain.priority import Priority
from routing.domain.rules import Rule, RuleBook, RuleBookError, Signal

Key = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,63}$")]


class RulesFileError(ValueError):
    """The rule file is missing or invalid; the message names the file and the reason."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Rule(_Strict):
    id: str
    signal: Signal
    priority: Priority
    threshold: int | None = Field(default=None, description="days, inclusive")
    concerns: list[Key] = Field(default_factory=list, max_length=100)
    note: Annotated[str, StringConstraints(min_length=1, max_length=200)] | None = None


class _File(_Strict):
    version: Annotated[str, StringConstraints(min_length=1, max_length=40)]
    default: Priority = Priority.NORMAL
    rules: list[_Rule] = Field(max_length=200)


def load_rules(path: Path) -> RuleBook:
    """The rule book in ``path``; ``RulesFileError`` naming the file and what is wrong."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise RulesFileError(f"{path}: cannot read: {exc.strerror}") from exc
    except yaml.YAMLError as exc:
        raise RulesFileError(f"{path}: not valid YAML: {exc}") from exc
    try:
        parsed = _File.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        where = ".".join(str(p) for p in first["loc"]) or "top level"
        raise RulesFileError(f"{path}: {where}: {first['msg']}") from exc
    try:
        return _to_domain(parsed)
    except RuleBookError as exc:
        raise RulesFileError(f"{path}: {exc}") from exc


def _to_domain(parsed: _File) -> RuleBook:
    rules = tuple(
        Rule(
            id=r.id,
            signal=r.signal,
            priority=r.priority,
            threshold=r.threshold,
            concerns=frozenset(r.concerns),
            note=r.note,
        )
        for r in parsed.rules
    )
    return RuleBook(version=parsed.version, rules=rules, default=parsed.default)
