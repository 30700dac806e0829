"""Load and validate the priority rule file into a domain ``RuleBook``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import yaml
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from routing.domain.clocks import Targets
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
    flags: list[Key] = Field(default_factory=list, max_length=50)


Days = Annotated[int, Field(ge=1, le=365)]


class _Targets(_Strict):
    business_days: Days = 20
    concerns: dict[Key, Days] = Field(default_factory=dict)
    statutory_days: dict[Key, Days] = Field(default_factory=dict)


class _File(_Strict):
    version: Annotated[str, StringConstraints(min_length=1, max_length=40)]
    default: Priority = Priority.NORMAL
    rules: list[_Rule] = Field(max_length=200)
    targets: _Targets = Field(default_factory=_Targets)
    in_person: list[Key] = Field(default_factory=list, max_length=200)


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
            flags=frozenset(r.flags),
        )
        for r in parsed.rules
    )
    t = parsed.targets
    targets = Targets(t.business_days, dict(t.concerns), dict(t.statutory_days))
    return RuleBook(
        version=parsed.version,
        rules=rules,
        default=parsed.default,
        targets=targets,
        in_person=frozenset(parsed.in_person),
    )


class RulesFile:
    """The rule file in force: reloaded on demand or when it changes; a bad file is refused
    and the last good rules stay."""

    def __init__(self, path: Path, rules: RuleBook | None = None) -> None:
        self.path = path
        self._mtime = self._stamp()
        self.current = rules or load_rules(path)

    def _stamp(self) -> float | None:
        try:
            return self.path.stat().st_mtime
        except OSError:
            return None

    def reload(self) -> RuleBook:
        """Load the file now; ``RulesFileError`` (old rules kept) if it is bad."""
        self._mtime = self._stamp()
        self.current = load_rules(self.path)
        return self.current

    def reload_if_changed(self) -> str | None:
        """Reload when the file's mtime moved; the refusal reason if the new file is bad."""
        if self._stamp() == self._mtime:
            return None
        try:
            self.reload()
        except RulesFileError as exc:
            return str(exc)
        return None
