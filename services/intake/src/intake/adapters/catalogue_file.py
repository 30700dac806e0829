"""Load and validate the concern catalogue YAML into domain objects."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
)

from intake.domain.catalogue import LANGUAGES, Catalogue, Concern, RequiredDocument

Key = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,63}$")]
Text = Annotated[str, StringConstraints(min_length=1, max_length=300)]


class CatalogueError(ValueError):
    """The catalogue file is missing or invalid; the message names file and reason."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _languages(value: dict[str, str]) -> dict[str, str]:
    unknown = sorted(set(value) - set(LANGUAGES))
    if unknown:
        msg = f"unknown language(s) {unknown}; use {', '.join(LANGUAGES)}"
        raise ValueError(msg)
    if not {"de", "en"} <= set(value):
        msg = "needs at least 'de' and 'en'"
        raise ValueError(msg)
    return value


_Names = Annotated[dict[str, Text], AfterValidator(_languages)]


class _Document(_Strict):
    key: Key
    names: _Names
    descriptions: Annotated[dict[str, Text], AfterValidator(_languages)] | None = None


class _Concern(_Strict):
    names: _Names
    legal_basis: Text | None
    team: Key
    target_days: int = Field(ge=1, le=3650)
    in_person: bool
    required_documents: list[_Document] = Field(max_length=50)
    keywords: list[Annotated[str, StringConstraints(min_length=3, max_length=60)]] = []
    retention_days_after_closing: int = Field(180, ge=0, le=36500)


class _File(_Strict):
    version: Annotated[str, StringConstraints(min_length=1, max_length=40)]
    documents: list[_Document] = []
    concerns: dict[Key, _Concern] = Field(min_length=1)


def load_catalogue(path: Path) -> Catalogue:
    """The catalogue in ``path``; ``CatalogueError`` naming the file and what is wrong."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise CatalogueError(f"{path}: cannot read: {exc.strerror}") from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = "" if mark is None else f"{mark.line + 1}:"
        reason = getattr(exc, "problem", None) or "not valid YAML"
        raise CatalogueError(f"{path}:{line} not valid YAML: {reason}") from exc
    if isinstance(raw, dict) and isinstance(raw.get("version"), int | float):
        raw["version"] = str(raw["version"])
    try:
        parsed = _File.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "top level"
        at = _line(path, first["loc"])
        raise CatalogueError(f"{path}:{at}: {where}: {first['msg']}") from exc
    return _to_domain(path, parsed)


def _line(path: Path, loc: tuple[Any, ...]) -> int:
    """The line (1-based) of the YAML node at ``loc``, or of its closest existing parent."""
    node = yaml.compose(path.read_text(encoding="utf-8"))
    line = 1 if node is None else node.start_mark.line + 1
    for part in loc:
        child = None
        if isinstance(node, yaml.MappingNode):
            child = next((v for k, v in node.value if k.value == str(part)), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            child = node.value[part] if part < len(node.value) else None
        if child is None:
            break
        node, line = child, child.start_mark.line + 1
    return line


def _to_domain(path: Path, parsed: _File) -> Catalogue:
    names: dict[str, dict[str, str]] = {d.key: d.names for d in parsed.documents}
    concerns = {}
    for key, spec in parsed.concerns.items():
        for doc in spec.required_documents:
            if names.setdefault(doc.key, doc.names) != doc.names:  # type: ignore[arg-type]
                msg = f"{path}: concerns.{key}: document {doc.key!r} has differing names"
                raise CatalogueError(msg)
        if len({d.key for d in spec.required_documents}) != len(spec.required_documents):
            raise CatalogueError(f"{path}: concerns.{key}: a required document is listed twice")
        concerns[key] = _concern(key, spec)
    return Catalogue(version=parsed.version, concerns=concerns)


def _concern(key: str, spec: _Concern) -> Concern:
    return Concern(
        key=key,
        names=spec.names,
        legal_basis=spec.legal_basis,
        team=spec.team,
        target_days=spec.target_days,
        in_person=spec.in_person,
        required_documents=tuple(
            RequiredDocument(key=d.key, names=d.names, descriptions=d.descriptions or {})
            for d in spec.required_documents
        ),
        keywords=tuple(spec.keywords),
        retention_days_after_closing=spec.retention_days_after_closing,
    )
