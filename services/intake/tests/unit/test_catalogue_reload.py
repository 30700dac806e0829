"""Catalogue languages, email keywords and hot reload keeping the old catalogue on error."""

from __future__ import annotations

from pathlib import Path

import pytest
from intake.adapters.catalogue_file import CatalogueError, load_catalogue
from intake.catalogue import DEFAULT_CATALOGUE

GOOD = DEFAULT_CATALOGUE.read_text(encoding="utf-8")


def test_subject_keywords_pick_the_concern_else_unclassified() -> None:
    catalogue = load_catalogue(DEFAULT_CATALOGUE)
    assert catalogue.infer_concern("AW: Termin Duldung bitte") == "toleration"
    assert catalogue.infer_concern("Frage") == "unclassified"


def test_unknown_language_is_reported_with_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(GOOD.replace('en: "Toleration', 'xx: "Toleration'), encoding="utf-8")
    with pytest.raises(CatalogueError, match=r"c\.yaml:\d+: concerns\.toleration\.names") as err:
        load_catalogue(path)
    line = int(str(err.value).split(":")[1])
    names_block = path.read_text(encoding="utf-8").splitlines()[line - 1 : line + 9]
    assert any('xx: "Toleration' in row for row in names_block)


async def test_reload_keeps_the_old_catalogue_when_the_new_file_is_broken(
    tmp_path: Path,
) -> None:
    from intake.config import Settings
    from intake.entrypoints.app import create_app
    from intake.entrypoints.background import reload_catalogue

    path = tmp_path / "c.yaml"
    path.write_text(GOOD, encoding="utf-8")
    app = create_app(Settings(var_dir=tmp_path, catalogue_path=path))
    container = app.state.container
    path.write_text(GOOD.replace("target_days: 14", "target_days: -1", 1), encoding="utf-8")
    error = reload_catalogue(container)
    assert error is not None
    assert "target_days" in error
    assert container.catalogue.get("toleration").target_days == 14
    path.write_text(GOOD.replace('version: "2025.2"', 'version: "2025.3"'), encoding="utf-8")
    assert reload_catalogue(container) is None
    assert container.catalogue.version == "2025.3"
