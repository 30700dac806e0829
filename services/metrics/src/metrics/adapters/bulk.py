"""Executemany at driver speed: compile a statement once, bind rows as tuples.

SQLAlchemy builds a parameter dict and runs every type processor per row; for a replay
of a million events that costs more than the database does. Here the statement is
compiled once per dialect and column set, each column's own bind processor (SQLite's
date/time text format, ...) is applied only where the type has one, and the tuples go
to the driver's ``executemany`` (sqlite3 or asyncpg) in one call.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from operator import itemgetter
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncConnection


@dataclass(frozen=True)
class Compiled:
    """A statement's SQL text, its parameters in order, and their bind processors."""

    sql: str
    row: Callable[[dict[str, Any]], tuple[Any, ...]]
    processors: tuple[tuple[int, Callable[[Any], Any]], ...]

    def bind(self, values: dict[str, Any]) -> tuple[Any, ...]:
        params = self.row(values)
        if not self.processors:
            return params
        bound = list(params)
        for index, process in self.processors:
            bound[index] = process(bound[index])
        return tuple(bound)


@lru_cache(maxsize=1024)
def compiled(
    dialect: Dialect, stmt: sa.Insert, columns: tuple[str, ...], bound: frozenset[str]
) -> Compiled:
    """``stmt`` compiled for rows giving ``columns`` (sqlite3 and asyncpg take positions)."""
    done = stmt.compile(dialect=dialect, column_keys=list(columns))
    names = done.positiontup
    if not names:
        msg = f"bulk writes need a positional paramstyle, not {dialect.paramstyle!r}"
        raise ValueError(msg)
    table = stmt.table
    processors = []
    for index, name in enumerate(names):
        process = table.c[name].type.bind_processor(dialect)  # type: ignore[union-attr]
        if process is not None and name not in bound:
            processors.append((index, process))
    getter = itemgetter(*names)
    row = getter if len(names) > 1 else (lambda values: (getter(values),))
    return Compiled(str(done), row, tuple(processors))


def bind(conn: AsyncConnection, column: sa.Column[Any], value: Any) -> Any:
    """``value`` as the driver takes it for ``column`` (for a value that every row repeats)."""
    process = column.type.bind_processor(conn.dialect)
    return value if process is None else process(value)


async def execute_many(
    conn: AsyncConnection,
    stmt: sa.Insert,
    rows: Sequence[dict[str, Any]],
    bound: frozenset[str] = frozenset(),
) -> None:
    """Run ``stmt`` once per row; every row gives the same columns, ``bound`` ones via ``bind``."""
    if not rows:
        return
    plan = compiled(conn.dialect, stmt, tuple(rows[0]), bound)
    await conn.exec_driver_sql(plan.sql, [plan.bind(values) for values in rows])
