"""Early-warning alerts from metrics go to the team lead by e-mail (addresses from settings)."""

from __future__ import annotations

import logging

from notify.service_layer.commands import MailAlert
from notify.service_layer.handlers import DeliveryDeferred
from notify.service_layer.ports import Outbound

log = logging.getLogger(__name__)


def lead_for(team: str | None, leads: dict[str, str]) -> str | None:
    """The team's lead, else the catch-all ``*`` address, else nobody."""
    return leads.get(team or "") or leads.get("*")


async def mail_alert(cmd: MailAlert, out: Outbound) -> None:
    """Send the alert once; a transient failure is retried, a permanent one is logged."""
    to = lead_for(cmd.team, dict(out.team_leads))
    if out.mailer is None or to is None:
        log.warning("alert not mailed: no team lead address", extra={"alert_id": cmd.alert_id})
        return
    subject = f"[Lotse {cmd.severity}] {cmd.summary[:120]}"
    text = f"{cmd.summary}\n\nAlert: {cmd.alert_id}\nTeam: {cmd.team or '-'}\n"
    result = await out.mailer.mail(to, subject, text)
    if not (result.ok or result.permanent):
        raise DeliveryDeferred(f"alert mail: {result.reason}")
    if not result.ok:
        log.warning("alert mail refused", extra={"alert_id": cmd.alert_id})
