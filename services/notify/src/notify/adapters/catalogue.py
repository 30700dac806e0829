"""Translations of the German texts (German is the source and the legally binding version).

A dict per language for now; Babel ``.po``/``.mo`` catalogues replace it without touching
the templates (``DictTranslations`` has the ``gettext.NullTranslations`` interface).
"""

from __future__ import annotations

import gettext
from collections.abc import Mapping

EN: dict[str, str] = {
    "Neuigkeiten zu Ihrem Antrag": "News about your application",
    "Guten Tag,": "Hello,",
    "Ihr Antrag ist bei uns eingegangen. Ihre Vorgangsnummer lautet %(ticket)s.": (
        "We have received your application. Your ticket number is %(ticket)s."
    ),
    "Bitte reichen Sie noch diese Unterlagen nach:": "Please still send us these documents:",
    "Uns fehlen keine Unterlagen.": "No documents are missing.",
    "Den Stand Ihres Antrags sehen Sie jederzeit hier:": (
        "You can see the status of your application at any time here:"
    ),
    "Es gibt Neuigkeiten zu Ihrem Antrag. Sie finden sie hier:": (
        "There is news about your application. You can find it here:"
    ),
    "Rechtsverbindlich ist nur die deutsche Fassung.": (
        "Only the German version is legally binding."
    ),
    "Ihre Ausländerbehörde": "Your immigration office",
    "Ihr Antrag ist eingegangen.": "Your application has been received.",
    "Ihr Antrag wurde dem zuständigen Team zugewiesen.": (
        "Your application has been assigned to the responsible team."
    ),
    "Stand Ihres Antrags": "Status of your application",
    "Vorgangsnummer": "Ticket number",
    "Aktueller Schritt": "Current step",
    "Verlauf": "History",
    "Fehlende Unterlagen": "Missing documents",
    "Benachrichtigungen": "Notifications",
    "Eingegangen": "Received",
    "Zugewiesen": "Assigned",
    "Statusseite": "Status page",
    "E-Mail": "Email",
    "SMS": "Text message",
    "Antrag nicht gefunden": "Application not found",
    "Zu diesem Link gibt es keinen Antrag.": "There is no application for this link.",
}

CATALOGUES: Mapping[str, Mapping[str, str]] = {"de": {}, "en": EN}


class DictTranslations(gettext.NullTranslations):
    """gettext over a dict; an untranslated text stays German."""

    def __init__(self, messages: Mapping[str, str]) -> None:
        super().__init__()
        self._messages = messages

    def gettext(self, message: str) -> str:
        return self._messages.get(message, message)

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        return self.gettext(msgid1 if n == 1 else msgid2)
