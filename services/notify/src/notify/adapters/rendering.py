"""Jinja2 rendering of messages and pages, one environment per language (Babel catalogues)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from notify.adapters.catalogue import LANGUAGES, Labels, babel_locale, translations
from notify.adapters.ics import appointment_ics
from notify.domain.case import CHANGE_REFUSED, Case, Details, TimelineEntry
from notify.domain.language import LanguageChoice, choose_language
from notify.domain.messages import Attachment, Message

APPOINTMENTS = ("appointment_booked", "appointment_rebooked", "appointment_cancelled")


class TemplateRenderer:
    """Renders every supported language; other languages fall back to German with a note."""

    def __init__(self, zone: ZoneInfo | None = None, labels: Labels | None = None) -> None:
        self.zone = zone or ZoneInfo("Europe/Berlin")
        self.labels = labels or Labels()
        self.supported = frozenset(LANGUAGES)
        self._envs = {lang: self._env(lang) for lang in LANGUAGES}

    def choose(self, tag: str) -> LanguageChoice:
        return choose_language(tag, self.supported)

    def when(self, value: datetime | str, choice: LanguageChoice) -> str:
        """A date and time in the office's zone, written the way the locale writes it."""
        instant = datetime.fromisoformat(value) if isinstance(value, str) else value
        instant = instant if instant.tzinfo else instant.replace(tzinfo=UTC)
        locale = babel_locale(choice.language)
        return format_datetime(instant, "long", tzinfo=self.zone, locale=locale)

    def day(self, value: str, choice: LanguageChoice) -> str:
        return format_date(date.fromisoformat(value), "long", locale=babel_locale(choice.language))

    def message(self, case: Case, entry: TimelineEntry, link: str, **extra: str) -> Message:
        """The message about one step of the case, in the applicant's language."""
        choice = self.choose(case.language)
        context = self._context(case, entry, choice) | extra
        text = self.render("message.txt.j2", choice, kind=entry.kind, link=link, **context)
        notice = self.render("notice.txt.j2", choice, link=link)
        subject = self.render("subject.txt.j2", choice).strip()
        contact = case.contact
        return Message(
            case_id=case.case_id,
            kind=entry.kind,
            language=choice.language,
            subject=subject,
            text=text,
            notice=notice,
            email=contact.email if contact else None,
            phone=contact.phone if contact else None,
            html=self._html(text, subject, choice),
            notice_html=self._html(notice, subject, choice),
            attachments=self._attachments(case, entry, choice),
            event_id=entry.event_id,
        )

    def timeline_text(self, entry: TimelineEntry, choice: LanguageChoice) -> str:
        action = entry.details.get("action")
        return self.render("timeline.txt.j2", choice, kind=entry.kind, action=action).strip()

    def next_step(self, step: str, choice: LanguageChoice, **context: Any) -> str:
        context.setdefault("outcome", None)
        context.setdefault("referral", None)
        return " ".join(self.render("next_step.txt.j2", choice, step=step, **context).split())

    def page(self, template: str, choice: LanguageChoice, **context: Any) -> str:
        return self.render(template, choice, **context)

    def render(self, template: str, choice: LanguageChoice, **context: Any) -> str:
        env = self._envs[choice.language]
        return env.get_template(template).render(
            language=choice.language,
            html_lang=choice.html_lang,
            fell_back=choice.fell_back,
            dir=choice.direction,
            **context,
        )

    def _context(self, case: Case, entry: TimelineEntry, choice: LanguageChoice) -> dict[str, Any]:
        lang, d = choice.language, entry.details
        concern = case.application.concern if case.application else str(d.get("concern", ""))
        documents = d.get("documents") if entry.kind == "documents_requested" else None
        if entry.kind in ("received", "documents_added"):
            documents = d.get("missing_documents")
        context: dict[str, Any] = {
            "ticket": case.ticket or str(d.get("ticket", "")),
            "concern": self.labels.concern(concern, lang),
            "documents": [self.labels.document(k, lang) for k in (documents or [])],
            "reply_by": self.day(str(d["reply_by"]), choice) if d.get("reply_by") else "",
            "count": int(str(d.get("count") or 0)),
            "outcome": d.get("outcome"),
            "referral": self._referral(d, concern, lang),
            "survey_link": "",
        }
        if entry.kind in APPOINTMENTS:
            context["when"] = self.when(str(d["starts_at"]), choice)
            context["place"] = str(d["location"])
            context["by"] = d.get("by")
        if entry.kind == CHANGE_REFUSED:
            context["action"], context["reason"] = d.get("action"), d.get("reason")
        return context

    def _referral(self, d: Details, concern: str, lang: str) -> dict[str, str] | None:
        if "outcome" not in d:
            return None
        key = self.labels.referral_key(d.get("referral"), concern, d.get("outcome"))
        return self.labels.referral(key, lang) if key else None

    def _attachments(
        self, case: Case, entry: TimelineEntry, choice: LanguageChoice
    ) -> tuple[Attachment, ...]:
        if entry.kind not in APPOINTMENTS:
            return ()
        d = entry.details
        summary = self.render("subject.txt.j2", choice).strip() + f" {case.ticket or ''}"
        ics = appointment_ics(
            str(d.get("appointment_id") or entry.event_id),
            datetime.fromisoformat(str(d["starts_at"])),
            datetime.fromisoformat(str(d["ends_at"])),
            summary.strip(),
            str(d["location"]),
            cancelled=entry.kind == "appointment_cancelled",
            sequence=int(entry.at.timestamp()),
            now=entry.at,
        )
        return (ics,)

    def _html(self, text: str, subject: str, choice: LanguageChoice) -> str:
        blocks = [b.strip().splitlines() for b in text.split("\n\n") if b.strip()]
        return self.render("email.html.j2", choice, subject=subject, paragraphs=blocks)

    @staticmethod
    def _env(language: str) -> Environment:
        env = Environment(
            loader=PackageLoader("notify.adapters", "templates"),
            autoescape=select_autoescape(enabled_extensions=("html", "html.j2")),
            undefined=StrictUndefined,
            extensions=["jinja2.ext.i18n"],
            trim_blocks=True,
            lstrip_blocks=True,
            auto_reload=False,  # package data: no stat() of the template on every message
        )
        env.install_gettext_translations(translations(language), newstyle=True)  # type: ignore[attr-defined]
        return env
