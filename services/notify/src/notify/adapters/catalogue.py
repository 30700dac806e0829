"""Babel catalogues (``locales/<lang>/LC_MESSAGES/messages.po``), compiled to ``.mo`` at start.

German is the source and the legally binding version; ``de-simple`` is plain German
(einfache Sprache). Display names of intake's catalogue keys live in ``labels.yaml``.
"""

from __future__ import annotations

import gettext
from functools import cache
from io import BytesIO
from pathlib import Path
from typing import Any

import yaml
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

HERE = Path(__file__).resolve().parent
LOCALES = HERE / "locales"
LANGUAGES: tuple[str, ...] = ("de", "de-simple", "en", "ar", "tr", "uk", "ru", "fa", "fr")
NATIVE_NAMES = {
    "de": "Deutsch",
    "de-simple": "Einfache Sprache",
    "en": "English",
    "ar": "العربية",
    "tr": "Türkçe",
    "uk": "Українська",
    "ru": "Русский",
    "fa": "فارسی",
    "fr": "Français",
}


def babel_locale(language: str) -> str:
    """The CLDR locale for dates and plurals (plain German is German)."""
    return "de" if language == "de-simple" else language


@cache
def translations(language: str) -> gettext.GNUTranslations:
    """The compiled catalogue of one language."""
    with (LOCALES / language / "LC_MESSAGES" / "messages.po").open("rb") as po:
        catalog = read_po(po, locale=babel_locale(language))
    buffer = BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


@cache
def _yaml(name: str) -> dict[str, Any]:
    with (HERE / name).open(encoding="utf-8") as handle:
        loaded: dict[str, Any] = yaml.safe_load(handle)
    return loaded


class Labels:
    """Concern and document names per language; unknown keys show as they are."""

    def concern(self, key: str, language: str) -> str:
        return self._name("concerns", key, language)

    def document(self, key: str, language: str) -> str:
        return self._name("documents", key, language)

    def referral(self, key: str, language: str) -> dict[str, str] | None:
        """An agency from ``referrals.yaml``: name, description, contact (None if unknown)."""
        entry = _yaml("referrals.yaml")["agencies"].get(key)
        if entry is None:
            return None
        return {
            "name": _pick(entry["name"], language),
            "description": _pick(entry["description"], language),
            "contact": str(entry["contact"]),
        }

    def referral_key(self, given: object, concern: str, outcome: object) -> str | None:
        """Routing's referral, else the one configured for this concern and outcome."""
        if given:
            return str(given)
        configured = _yaml("referrals.yaml").get("concern_outcomes", {}).get(concern, {})
        found = configured.get(str(outcome))
        return str(found) if found else None

    def _name(self, section: str, key: str, language: str) -> str:
        names = _yaml("labels.yaml")[section].get(key)
        return _pick(names, language) if names else key.replace("_", " ")


def _pick(names: dict[str, str], language: str) -> str:
    return str(names.get(language) or names.get("de") or next(iter(names.values())))
