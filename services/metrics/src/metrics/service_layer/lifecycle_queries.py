"""Queries behind the lifecycle figures: case rows, duplicates, surveys, appointment waits."""

from __future__ import annotations

from datetime import date, datetime

from shared.contracts.envelope import as_utc
from sqlalchemy import ColumnElement
from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from metrics.adapters.tables import AppointmentFact, CaseFact, DuplicateFact, SurveyFact
from metrics.service_layer.figures import CaseRow
from metrics.service_layer.queries import Filters, Period, case_filters


async def case_rows(session: AsyncSession, *, until: date, filters: Filters) -> list[CaseRow]:
    """Every case received by ``until`` (the backlog needs all history), narrowed by filters."""
    query = select(CaseFact).where(col(CaseFact.received_on) <= until, *case_filters(filters))
    return [_row(fact) for fact in (await session.exec(query)).all()]


def _utc(value: datetime | None) -> datetime | None:
    return as_utc(value) if value is not None else None


def _row(fact: CaseFact) -> CaseRow:
    return CaseRow(
        received_at=_utc(fact.received_at),
        received_on=fact.received_on,
        claimed_at=_utc(fact.claimed_at),
        decided_at=_utc(fact.decided_at),
        decided_on=fact.decided_on,
        closed_on=fact.closed_on,
        within_target=fact.within_target,
    )


async def count_duplicates(session: AsyncSession, *, period: Period, filters: Filters) -> int:
    """Submissions joined to an open case in the period (filtered through the case)."""
    where: list[ColumnElement[bool]] = [
        col(DuplicateFact.occurred_on).between(period.start, period.end)
    ]
    if filters.channel:
        where.append(col(DuplicateFact.channel) == filters.channel)
    if filters.language:
        where.append(col(DuplicateFact.language) == filters.language)
    narrowed = Filters(team=filters.team, concern=filters.concern)
    query = (
        select(func.count())
        .select_from(DuplicateFact)
        .outerjoin(CaseFact, col(CaseFact.case_id) == col(DuplicateFact.case_id))
        .where(*where, *case_filters(narrowed))
    )
    return int((await session.exec(query)).one())


async def count_documents_requested(
    session: AsyncSession, *, period: Period, filters: Filters
) -> int:
    """Cases received in the period for which documents were requested."""
    query = select(func.count()).where(
        col(CaseFact.received_on).between(period.start, period.end),
        col(CaseFact.documents_requested_at).is_not(None),
        *case_filters(filters),
    )
    return int((await session.exec(query)).one())


async def survey_scores(session: AsyncSession, *, period: Period, filters: Filters) -> list[int]:
    query = select(SurveyFact.score).where(
        col(SurveyFact.answered_on).between(period.start, period.end),
        *_own_filters(SurveyFact, filters, ("team", "concern", "channel", "language")),
    )
    return [int(s) for s in (await session.exec(query)).all()]


async def appointment_waits(
    session: AsyncSession, *, period: Period, filters: Filters
) -> list[float]:
    query = select(AppointmentFact.wait_days).where(
        col(AppointmentFact.booked_on).between(period.start, period.end),
        *_own_filters(AppointmentFact, filters, ("team", "concern", "language")),
    )
    return [float(w) for w in (await session.exec(query)).all()]


def _own_filters(
    model: type[SurveyFact] | type[AppointmentFact], filters: Filters, names: tuple[str, ...]
) -> list[ColumnElement[bool]]:
    return [
        col(getattr(model, name)) == getattr(filters, name)
        for name in names
        if getattr(filters, name) is not None
    ]
