"""``GET /dashboard``: the head of office's morning page, in German or English."""

from __future__ import annotations

from datetime import timedelta
from html import escape
from typing import Literal

from fastapi import APIRouter, Header
from fastapi.responses import HTMLResponse

from metrics.adapters import svg
from metrics.bootstrap import Container
from metrics.service_layer.alerting import teams
from metrics.service_layer.forecasting import team_forecast
from metrics.service_layer.kpis import kpi_report
from metrics.service_layer.queries import Filters, Period
from metrics.service_layer.series import series
from metrics.service_layer.targets import TargetGap

TEXT = {
    "de": {
        "title": "Lagebild Ausländerbehörde",
        "backlog": "Offene Fälle und Prognose (8 Wochen)",
        "targets": "Soll/Ist je Team",
        "alerts": "Aktive Warnungen",
        "none": "Keine",
        "channels": "Eingangskanäle (30 Tage)",
        "languages": "Sprachen (30 Tage)",
        "team": "Team",
        "figure": "Kennzahl",
        "target": "Soll",
        "actual": "Ist",
        "gap": "Abweichung",
        "team_forecast": "Prognose offene Fälle je Team (8 Wochen)",
    },
    "en": {
        "title": "Office overview",
        "backlog": "Open cases and forecast (8 weeks)",
        "targets": "Target vs actual per team",
        "alerts": "Active alerts",
        "none": "None",
        "channels": "Channels (30 days)",
        "languages": "Languages (30 days)",
        "team": "Team",
        "figure": "Figure",
        "target": "Target",
        "actual": "Actual",
        "gap": "Gap",
        "team_forecast": "Open-case forecast per team (8 weeks)",
    },
}


def pick_language(lang: str | None, accept: str | None) -> Literal["de", "en"]:
    wanted = (lang or accept or "de").lower()
    return "en" if wanted.startswith("en") else "de"


def router(container: Container) -> APIRouter:
    api = APIRouter(tags=["dashboard"])

    @api.get("/dashboard", response_class=HTMLResponse)
    async def get_dashboard(
        lang: str | None = None, accept_language: str | None = Header(default=None)
    ) -> HTMLResponse:
        """Backlog and forecast, target vs actual per team, alerts, channel and language mix."""
        t = TEXT[pick_language(lang, accept_language)]
        return HTMLResponse(await render(container, t, pick_language(lang, accept_language)))

    return api


async def render(container: Container, t: dict[str, str], lang: str) -> str:
    today = container.today().date()
    month = Period(start=today - timedelta(days=29), end=today)
    history = Period(start=today - timedelta(weeks=12) + timedelta(days=1), end=today)
    async with container.uow() as uow:
        s = uow.session
        past = await series(s, period=history, filters=Filters(), grain="week")
        fc = await team_forecast(s, team=None, as_of=today, weeks=8, expiry_share=1.0)
        office = await kpi_report(s, period=month, filters=Filters(), targets=container.targets)
        names = await teams(s)
        reports = [
            (
                team,
                await kpi_report(
                    s, period=month, filters=Filters(team=team), targets=container.targets
                ),
            )
            for team in names
        ]
        charts = []
        for team in names:
            tf = await team_forecast(s, team=team, as_of=today, weeks=8, expiry_share=1.0)
            bands = [(w.backlog.point, w.backlog.lower, w.backlog.upper) for w in tf.weeks]
            charts.append(svg.line_with_band(team, [], *map(list, zip(*bands, strict=True))))
        team_charts = "".join(charts)
        alerts = [
            (a.severity, (a.summary_de if lang == "de" else None) or a.summary)
            for a in await uow.alerts.listing()
            if a.active
        ]
    chart = svg.line_with_band(
        t["backlog"],
        [p.backlog_end for p in past],
        [w.backlog.point for w in fc.weeks],
        [w.backlog.lower for w in fc.weeks],
        [w.backlog.upper for w in fc.weeks],
    )
    rows = "".join(_row(team, g) for team, r in reports for g in r.targets if g.actual is not None)
    items = "".join(f"<li>{escape(sev)}: {escape(text)}</li>" for sev, text in alerts)
    return f"""<!doctype html><html lang="{lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>{t["title"]}</title>
<style>body{{font-family:sans-serif;margin:1.5rem;color:#111}}table{{border-collapse:collapse}}
td,th{{border:1px solid #999;padding:.2rem .5rem}}.miss{{color:#a50f15;font-weight:bold}}
.ok{{color:#006d2c}}</style></head><body><main>
<h1>{t["title"]} &ndash; {today.isoformat()}</h1>
<section aria-labelledby="b"><h2 id="b">{t["backlog"]}</h2>{chart}</section>
<section aria-labelledby="f"><h2 id="f">{t["team_forecast"]}</h2>{team_charts or t["none"]}</section>
<section aria-labelledby="a"><h2 id="a">{t["alerts"]}</h2><ul>{items or f"<li>{t['none']}</li>"}</ul></section>
<section aria-labelledby="t"><h2 id="t">{t["targets"]}</h2><table><thead><tr>
<th scope="col">{t["team"]}</th><th scope="col">{t["figure"]}</th><th scope="col">{t["target"]}</th>
<th scope="col">{t["actual"]}</th><th scope="col">{t["gap"]}</th></tr></thead><tbody>{rows}</tbody></table></section>
<section aria-labelledby="c"><h2 id="c">{t["channels"]}</h2>{svg.bars(t["channels"], list(office.by_channel.items()))}</section>
<section aria-labelledby="l"><h2 id="l">{t["languages"]}</h2>{svg.bars(t["languages"], list(office.by_language.items()))}</section>
</main></body></html>"""  # noqa: E501


def _row(team: str, g: TargetGap) -> str:
    css = "ok" if g.met else "miss"
    return (
        f"<tr><td>{escape(team)}</td><td>{escape(g.figure)}</td><td>{g.target:g}</td>"
        f'<td>{g.actual or 0:g}</td><td class="{css}">{g.gap or 0:+g}</td></tr>'
    )
