"""Reading and writing many rows in bounded chunks, inside the current transaction.

:func:`cxsuite.db.sql.execute` hands back every row at once, which is right for aggregates and
wrong for a pass over a million records: the rows would all sit in Python together. These
helpers keep one chunk in memory at a time — a server-side cursor on PostgreSQL, ``fetchmany``
on SQLite — and write with COPY (PostgreSQL) or ``executemany`` (SQLite).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from typing import Any

from piccolo.engine.base import Engine

CHUNK = 5_000


def _connection(engine: Engine) -> Any:
    transaction = engine.current_transaction.get()
    if transaction is None:
        raise RuntimeError("rows are streamed inside a transaction (a cursor lives in one)")
    return transaction.connection


def _placeholders(engine: Engine, sql: str, count: int) -> str:
    """``{}`` placeholders as the driver writes them: ``$1`` (asyncpg) or ``?`` (sqlite3)."""
    if engine.engine_type == "postgres":
        return sql.format(*(f"${i}" for i in range(1, count + 1)))
    return sql.format(*("?" for _ in range(count)))


async def chunks(engine: Engine, sql: str, *args: Any,
                 size: int = CHUNK) -> AsyncIterator[list[dict[str, Any]]]:
    """The rows of ``sql`` (``{}`` placeholders), ``size`` at a time, as plain dicts."""
    conn = _connection(engine)
    text = _placeholders(engine, sql, len(args))
    if engine.engine_type == "postgres":
        cursor = await conn.cursor(text, *args)
        while rows := await cursor.fetch(size):
            yield [dict(row) for row in rows]
        return
    cursor = await conn.execute(text, args)
    try:
        while rows := await cursor.fetchmany(size):
            yield [dict(row) for row in rows]
    finally:
        await cursor.close()


async def write_rows(engine: Engine, table: str, columns: Sequence[str],
                     rows: Sequence[Sequence[Any]]) -> None:
    """Append ``rows`` to ``table``: COPY on PostgreSQL (a table without row-level security,
    such as a temporary one), ``executemany`` on SQLite."""
    if not rows:
        return
    conn = _connection(engine)
    if engine.engine_type == "postgres":
        await conn.copy_records_to_table(table, records=rows, columns=list(columns))
        return
    marks = ", ".join("?" for _ in columns)
    await conn.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)


async def changed(engine: Engine, sql: str, *args: Any) -> int:
    """Run one data-changing statement (``{}`` placeholders) and return how many rows it changed."""
    conn = _connection(engine)
    text = _placeholders(engine, sql, len(args))
    if engine.engine_type == "postgres":
        status = await conn.execute(text, *args)
        return int(status.rsplit(" ", 1)[-1])
    cursor = await conn.execute(text, args)
    try:
        return cursor.rowcount
    finally:
        await cursor.close()
