"""Alerts in the store: one row per alert id, its latest raise and clear."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from metrics.adapters.tables import Alert
from metrics.service_layer.alerts import Condition


class SqlAlerts:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def active_ids(self) -> list[str]:
        query = select(Alert.alert_id).where(col(Alert.active).is_(True))
        return list((await self.session.exec(query)).all())

    async def raise_(self, c: Condition, now: datetime) -> Alert:
        alert = await self.session.get(Alert, c.alert_id) or Alert(
            alert_id=c.alert_id,
            rule=c.rule,
            severity=c.severity,
            summary="",
            active=True,
            raised_at=now,
        )
        alert.team, alert.severity, alert.summary = c.team, c.severity, c.summary
        alert.summary_de = c.summary_de or None
        alert.value, alert.threshold = c.value, c.threshold
        alert.active, alert.raised_at, alert.cleared_at = True, now, None
        self.session.add(alert)
        return alert

    async def clear(self, alert_id: str, now: datetime) -> Alert | None:
        alert = await self.session.get(Alert, alert_id)
        if alert is not None:
            alert.active, alert.cleared_at = False, now
            self.session.add(alert)
        return alert

    async def listing(self, *, limit: int = 100) -> list[Alert]:
        """Active first, then the most recently raised."""
        query = select(Alert).order_by(col(Alert.active).desc(), col(Alert.raised_at).desc())
        return list((await self.session.exec(query.limit(limit))).all())
