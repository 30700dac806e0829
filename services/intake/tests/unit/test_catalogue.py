from __future__ import annotations

from pathlib import Path

import pytest
from intake.adapters.catalogue_file import CatalogueError, load_catalogue
from intake.catalogue import DEFAULT_CATALOGUE

EXPECTED = {
    "residence_permit_extension", "settlement_permit", "eu_blue_card", "family_reunification",
    "toleration", "travel_document", "interim_certificate", "passport_change",
    "declaration_of_commitment", "eu_residence_certificate", "change_of_address",
    "naturalisation_enquiry", "unclassified",
}  # fmt: skip

VALID = """
version: 3
concerns:
  toleration:
    names: {de: Duldung, en: Toleration}
    legal_basis: § 60a AufenthG
    team: humanitarian
    target_days: 14
    in_person: true
    required_documents:
      - {key: passport, names: {de: Reisepass, en: Passport}}
      - {key: biometric_photo, names: {de: Foto, en: Photo}}
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "concerns.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_packaged_catalogue_has_every_concern_with_both_languages() -> None:
    catalogue = load_catalogue(DEFAULT_CATALOGUE)
    assert set(catalogue.concerns) == EXPECTED
    for concern in catalogue.concerns.values():
        assert concern.names["de"]
        assert concern.names["en"]
        assert concern.target_days > 0
        assert all(d.names["de"] and d.names["en"] for d in concern.required_documents)


def test_small_catalogue_loads_with_version_as_text(tmp_path: Path) -> None:
    catalogue = load_catalogue(write(tmp_path, VALID))
    assert catalogue.version == "3"
    toleration = catalogue.concerns["toleration"]
    assert toleration.team == "humanitarian"
    assert [d.key for d in toleration.required_documents] == ["passport", "biometric_photo"]


def test_missing_documents_are_the_required_ones_not_submitted(tmp_path: Path) -> None:
    toleration = load_catalogue(write(tmp_path, VALID)).concerns["toleration"]
    assert toleration.missing_documents(["biometric_photo", "rental_contract"]) == ["passport"]
    assert toleration.missing_documents(["passport", "biometric_photo"]) == []


def test_missing_file_is_reported_with_its_path(tmp_path: Path) -> None:
    missing = tmp_path / "nope.yaml"
    with pytest.raises(CatalogueError, match=r"nope\.yaml: cannot read"):
        load_catalogue(missing)


def test_broken_yaml_is_reported_with_its_path(tmp_path: Path) -> None:
    with pytest.raises(CatalogueError, match=r"concerns\.yaml:\d+: not valid YAML"):
        load_catalogue(write(tmp_path, "version: [1\nconcerns: {"))


def test_missing_field_names_the_concern_and_field(tmp_path: Path) -> None:
    with pytest.raises(
        CatalogueError, match=r"concerns\.yaml:\d+: concerns\.toleration\.team: Field"
    ):
        load_catalogue(write(tmp_path, VALID.replace("    team: humanitarian\n", "")))


def test_bad_target_days_is_rejected(tmp_path: Path) -> None:
    with pytest.raises(CatalogueError, match=r"concerns\.toleration\.target_days"):
        load_catalogue(write(tmp_path, VALID.replace("target_days: 14", "target_days: 0")))


def test_concern_key_must_be_snake_case(tmp_path: Path) -> None:
    with pytest.raises(CatalogueError, match=r"concerns\.Toleration"):
        load_catalogue(write(tmp_path, VALID.replace("  toleration:", "  Toleration:")))


def test_same_document_with_differing_names_is_rejected(tmp_path: Path) -> None:
    text = (
        VALID
        + """  change_of_address:
    names: {de: Adressänderung, en: Change of address}
    legal_basis: null
    team: service_point
    target_days: 7
    in_person: false
    required_documents: [{key: passport, names: {de: Pass, en: Passport}}]
"""
    )
    with pytest.raises(CatalogueError, match="document 'passport' has differing names"):
        load_catalogue(write(tmp_path, text))


def test_packaged_catalogue_speaks_every_language_for_every_concern_and_document() -> None:
    from intake.catalogue import DEFAULT_CATALOGUE
    from intake.domain.catalogue import LANGUAGES

    catalogue = load_catalogue(DEFAULT_CATALOGUE)
    gaps = [
        f"{concern.key}: {lang}"
        for concern in catalogue.concerns.values()
        for lang in LANGUAGES
        if not concern.names.get(lang, "").strip()
    ]
    for concern in catalogue.concerns.values():
        for doc in concern.required_documents:
            for lang in LANGUAGES:
                if not doc.names.get(lang, "").strip():
                    gaps.append(f"{doc.key} name: {lang}")
                if not doc.descriptions.get(lang, "").strip():
                    gaps.append(f"{doc.key} description: {lang}")
    assert gaps == []
    assert all(c.retention_days_after_closing > 0 for c in catalogue.concerns.values())
