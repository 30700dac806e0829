"""JSON Schema snapshots of every event and the rule for what a minor version may change.

Within a major version a change may only *add optional* fields. Removing a field, adding a
required one, making an optional field required, or changing a field's type or allowed
values breaks consumers: that is a new major version (new model, new subject).
Regenerate after a compatible change: ``uv run python -m shared.contracts.compat``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from shared.contracts import ALL_EVENTS
from shared.contracts.envelope import CloudEvent

SNAPSHOTS = Path(__file__).parent / "schemas"
_IGNORED = {"description", "title", "default", "examples"}


def snapshot_path(event: type[CloudEvent]) -> Path:
    return SNAPSHOTS / f"{event.producer}.{event.name}.v{event.major}.json"


def current_schema(event: type[CloudEvent]) -> dict[str, Any]:
    return event.model_json_schema(mode="serialization")


def _strip(schema: Any) -> Any:
    if isinstance(schema, dict):
        return {k: _strip(v) for k, v in schema.items() if k not in _IGNORED}
    if isinstance(schema, list):
        return [_strip(v) for v in schema]
    return schema


def _models(schema: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The top-level model and each of its ``$defs``, by name."""
    models = {"<root>": schema}
    models.update(schema.get("$defs", {}))
    return models


def breaking_changes(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """Every change from ``old`` to ``new`` that a consumer of ``old`` would not survive."""
    problems: list[str] = []
    new_models = _models(new)
    for name, old_model in _models(old).items():
        new_model = new_models.get(name)
        if new_model is None:
            problems.append(f"{name}: model removed")
            continue
        old_props = old_model.get("properties", {})
        new_props = new_model.get("properties", {})
        for field in old_props:
            if field not in new_props:
                problems.append(f"{name}.{field}: field removed")
            elif _strip(old_props[field]) != _strip(new_props[field]):
                problems.append(f"{name}.{field}: type or allowed values changed")
        for field in set(new_model.get("required", [])) - set(old_model.get("required", [])):
            problems.append(f"{name}.{field}: newly required")
    return problems


def write_snapshots() -> list[Path]:
    SNAPSHOTS.mkdir(exist_ok=True)
    written = []
    for event in ALL_EVENTS:
        path = snapshot_path(event)
        path.write_text(json.dumps(current_schema(event), indent=2, sort_keys=True) + "\n")
        written.append(path)
    return written


if __name__ == "__main__":
    for written_path in write_snapshots():
        print(f"wrote {written_path}")
