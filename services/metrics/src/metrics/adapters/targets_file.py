"""Targets and alert rules from YAML; a malformed file fails at start, naming the entry."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from metrics.service_layer.alerts import Rule, rule_from
from metrics.service_layer.targets import Target, Targets

CONFIG_DIR = Path(__file__).resolve().parents[1] / "config_files"
DEFAULT_TARGETS = CONFIG_DIR / "targets.yaml"
DEFAULT_ALERTS = CONFIG_DIR / "alerts.yaml"


def load_targets(path: Path | None) -> Targets:
    raw = yaml.safe_load((path or DEFAULT_TARGETS).read_text(encoding="utf-8")) or {}
    defaults = _figures(raw.get("defaults") or {}, "defaults")
    teams = {
        str(team): _figures(figures or {}, f"teams.{team}")
        for team, figures in (raw.get("teams") or {}).items()
    }
    return Targets(defaults=defaults, teams=teams)


def _figures(raw: dict[str, Any], where: str) -> dict[str, Target]:
    out = {}
    for figure, spec in raw.items():
        if not isinstance(spec, dict) or len(spec) != 1:
            msg = f"targets: {where}.{figure} needs exactly one of at_least / at_most"
            raise ValueError(msg)
        ((direction, value),) = spec.items()
        if direction not in ("at_least", "at_most"):
            msg = f"targets: {where}.{figure}: unknown direction {direction!r}"
            raise ValueError(msg)
        out[str(figure)] = Target(figure=str(figure), direction=direction, value=float(value))
    return out


def load_rules(path: Path | None) -> list[Rule]:
    raw = yaml.safe_load((path or DEFAULT_ALERTS).read_text(encoding="utf-8")) or {}
    return [rule_from(entry) for entry in raw.get("rules") or []]
