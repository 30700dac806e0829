"""Survey comments in SQL: free text the applicant wrote, so deleted on erasure and retention."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from notify.adapters.tables import SurveyComment


def _count(result: Any) -> int:
    return int(getattr(result, "rowcount", 0) or 0)


class SqlCommentRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def keep(self, case_id: str, survey_id: str, text: str, at: datetime) -> None:
        """Store a survey comment here only (never in an event or a log)."""
        self.session.add(
            SurveyComment(survey_id=survey_id, case_id=case_id, comment=text, created_at=at)
        )
        await self.session.flush()

    async def erase(self, case_id: str) -> int:
        """Delete the case's survey comments; returns how many."""
        query = sa.delete(SurveyComment).where(col(SurveyComment.case_id) == case_id)
        return _count(await self.session.exec(query))  # type: ignore[call-overload]

    async def purge(self, before: datetime) -> int:
        """Delete survey comments written before ``before`` (retention); returns how many."""
        query = sa.delete(SurveyComment).where(col(SurveyComment.created_at) < before)
        return _count(await self.session.exec(query))  # type: ignore[call-overload]

    async def count_for(self, case_id: str) -> int:
        query = select(func.count()).where(col(SurveyComment.case_id) == case_id)
        return int((await self.session.exec(query)).one())
