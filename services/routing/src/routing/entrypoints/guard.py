"""Staff changes and reads of cases: authorised, audited, retried when a writer raced us."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable, Iterable
from typing import TypeVar

from fastapi import HTTPException
from fastapi.responses import Response
from shared.auth import Role, Staff, require
from shared.http import problem
from shared.store import is_transient
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError

from routing.bootstrap import Container
from routing.domain.case import Case
from routing.domain.lifecycle import CaseConflictError
from routing.entrypoints.identity import ACTING, check_act
from routing.service_layer.assignment import assign_waiting
from routing.service_layer.unit_of_work import RoutingUnitOfWork
from shared import audit

T = TypeVar("T")
ATTEMPTS = 6
Use = Callable[[RoutingUnitOfWork, Case], Awaitable[T]]


async def change(
    container: Container,
    staff: Staff,
    ticket: str,
    action: str,
    use: Use[T],
    roles: tuple[Role, ...] = (),
) -> T | Response:
    """Run ``use`` on the case as ``staff`` in one transaction with its audit entry.

    The team's lock is taken before anything is read that the change depends on. A lost
    race for the audit chain head or a seat (unique constraint), a busy SQLite file or a
    PostgreSQL deadlock (two forwards in opposite directions) runs it again on fresh state;
    a lost race for the case itself is a 409.
    """
    require(staff, *(roles or ACTING))
    for attempt in range(ATTEMPTS):
        try:
            return await _once(container, staff, ticket, action, use, roles)
        except CaseConflictError as exc:
            return problem(409, str(exc), errors=[{"field": "status", "reason": str(exc)}])
        except DBAPIError as exc:
            if attempt == ATTEMPTS - 1 or not _retryable(exc):
                raise
            await asyncio.sleep(random.uniform(0.005, 0.05) * (attempt + 1))
    raise AssertionError("unreachable")


def _retryable(error: DBAPIError) -> bool:
    """A lost unique race, or what the store calls transient (busy, deadlock, serialization)."""
    return isinstance(error, IntegrityError) or is_transient(error)


async def _once(
    container: Container,
    staff: Staff,
    ticket: str,
    action: str,
    use: Use[T],
    roles: tuple[Role, ...],
) -> T | Response:
    async with container.uow() as uow:
        case = await uow.cases.by_ticket(ticket)
        if case is None:
            return not_found(ticket)
        check_act(staff, case.team, *roles)
        await uow.lock_team(case.team)
        result = await use(uow, case)
        teams = {case.team, result.team} if isinstance(result, Case) else {case.team}
        for team in sorted(teams):
            await assign_waiting(team, uow, container.office_setup, container.clock)
        await audit.append(uow.session, actor=staff.id, action=action, case_ref=ticket)
        await uow.commit()
    return result


async def audit_reads(container: Container, staff: Staff, action: str, refs: Iterable[str]) -> None:
    """One audit entry per case read, in one transaction (retried when another writer won)."""
    refs = list(refs)
    for attempt in range(ATTEMPTS):
        async with container.runtime.sessions() as session:
            for ref in refs:
                await audit.append(session, actor=staff.id, action=action, case_ref=ref)
            try:
                await session.commit()
                return
            except (IntegrityError, OperationalError):
                await session.rollback()
                if attempt == ATTEMPTS - 1:
                    raise
        await asyncio.sleep(random.uniform(0.005, 0.05) * (attempt + 1))


def not_found(ticket: str) -> Response:
    return problem(
        404, f"no case with ticket {ticket}", errors=[{"field": "ticket", "reason": "unknown"}]
    )


__all__ = ["HTTPException", "audit_reads", "change", "not_found"]
