"""Every text of every template, concern, document and referral exists in every language."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from notify.adapters.catalogue import LANGUAGES, babel_locale
from notify.domain.language import choose_language

ADAPTERS = Path(__file__).resolve().parents[2] / "src" / "notify" / "adapters"
OPTIONS = {"extensions": "jinja2.ext.i18n", "trim_blocks": "true", "lstrip_blocks": "true"}


def template_messages() -> set[str]:
    found = extract_from_dir(
        str(ADAPTERS / "templates"),
        method_map=[("**.j2", "jinja2.ext:babel_extract")],
        options_map={"**.j2": OPTIONS},
    )
    return {msg if isinstance(msg, str) else msg[0] for _f, _l, msg, _c, _x in found}


def test_templates_use_translated_texts() -> None:
    assert len(template_messages()) > 50


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_translates_every_template_text(language: str) -> None:
    path = ADAPTERS / "locales" / language / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=babel_locale(language))
    missing = []
    for msgid in sorted(template_messages()):
        entry = catalog.get(msgid)
        strings = (
            []
            if entry is None
            else (list(entry.string) if isinstance(entry.string, tuple) else [entry.string])
        )
        if not strings or not all(strings) or entry is None or entry.fuzzy:
            missing.append(msgid)
        elif isinstance(entry.string, tuple):
            assert len(entry.string) == catalog.num_plurals, msgid
    assert missing == []


@pytest.mark.parametrize("name", ["labels.yaml", "referrals.yaml"])
def test_every_label_and_referral_in_every_language(name: str) -> None:
    data = yaml.safe_load((ADAPTERS / name).read_text(encoding="utf-8"))
    sections = data["agencies"].values() if name == "referrals.yaml" else None
    names = (
        [a[f] for a in sections for f in ("name", "description")]
        if sections is not None
        else [n for section in data.values() for n in section.values()]
    )
    for per_language in names:
        assert sorted(per_language) == sorted(LANGUAGES)
        assert all(isinstance(v, str) and v.strip() for v in per_language.values())


@pytest.mark.parametrize(
    ("tag", "expected", "fell_back"),
    [
        ("de-x-simple", "de-simple", False),
        ("uk-UA", "uk", False),
        ("fa", "fa", False),
        ("sw", "de", True),
        ("", "de", True),
    ],
)
def test_language_choice(tag: str, expected: str, fell_back: bool) -> None:
    choice = choose_language(tag, LANGUAGES)
    assert (choice.language, choice.fell_back) == (expected, fell_back)
