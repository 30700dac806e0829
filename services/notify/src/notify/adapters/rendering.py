"""Jinja2 rendering of messages and the status page, one environment per language."""

from __future__ import annotations

from functools import cached_property

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from notify.adapters.catalogue import CATALOGUES, DictTranslations
from notify.domain.case import Case, TimelineEntry
from notify.domain.language import LanguageChoice, choose_language
from notify.domain.messages import Message
from notify.service_layer.views import StatusView

RTL = frozenset({"ar", "fa", "he", "ur", "ps", "ckb"})


class TemplateRenderer:
    """Renders German and its translations; asks for other languages fall back to German."""

    def __init__(self) -> None:
        self._envs = {lang: self._env(lang) for lang in CATALOGUES}

    @cached_property
    def supported(self) -> frozenset[str]:
        return frozenset(CATALOGUES)

    def choose(self, tag: str) -> LanguageChoice:
        return choose_language(tag, self.supported)

    def confirmation(self, case: Case, link: str) -> Message:
        """The confirmation of receipt: ticket, status link, what is still missing."""
        assert case.application is not None
        choice = self.choose(case.language)
        context = {
            "ticket": case.application.ticket,
            "missing": case.application.missing_documents,
            "link": link,
        }
        contact = case.contact
        return Message(
            case_id=case.case_id,
            kind="received",
            language=choice.language,
            subject=self._render("subject.txt.j2", choice),
            text=self._render("confirmation.txt.j2", choice, **context),
            notice=self._render("notice.txt.j2", choice, link=link),
            email=contact.email if contact else None,
            phone=contact.phone if contact else None,
        )

    def timeline_text(self, entry: TimelineEntry, choice: LanguageChoice) -> str:
        return self._render("timeline.txt.j2", choice, kind=entry.kind).strip()

    def status_page(self, view: StatusView) -> str:
        choice = LanguageChoice(view.language, view.fell_back)
        return self._render("status.html.j2", choice, view=view)

    def not_found_page(self, tag: str = "de") -> str:
        return self._render("not_found.html.j2", self.choose(tag))

    def _render(self, template: str, choice: LanguageChoice, **context: object) -> str:
        env = self._envs[choice.language]
        direction = "rtl" if choice.language in RTL else "ltr"
        return env.get_template(template).render(
            language=choice.language, fell_back=choice.fell_back, dir=direction, **context
        )

    @staticmethod
    def _env(language: str) -> Environment:
        env = Environment(
            loader=PackageLoader("notify.adapters", "templates"),
            autoescape=select_autoescape(enabled_extensions=("html", "html.j2")),
            undefined=StrictUndefined,
            extensions=["jinja2.ext.i18n"],
            trim_blocks=True,
            lstrip_blocks=True,
        )
        translations = DictTranslations(CATALOGUES[language])
        env.install_gettext_translations(translations, newstyle=True)  # type: ignore[attr-defined]
        return env
