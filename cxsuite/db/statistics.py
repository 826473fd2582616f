"""Planner statistics after bulk writes (PostgreSQL).

After a first import the record tables hold thousands of rows that the planner has never
seen, and until autovacuum gets round to them (a minute or more later) it plans the first
scoring run as if they were empty: 160 s instead of 1.6 s once it knows. So a sync that wrote
many records refreshes the statistics of the tables it wrote, before it reports success.

Tables a job rewrites in bulk inside a larger transaction (the stored customer keys, the
customer graph) are analyzed by :func:`analyze_if_blind` when the rows it changed are a tenth
of what the planner believes the table holds, or the planner has never seen the table.

ANALYZE needs the table's owner, and the app role owns nothing (that is what makes row-level
security bind), so it goes through ``cxsuite_analyze_records``, a SECURITY DEFINER function
created by migration m0009 that analyzes only record tables (and, since m0022, the customer
key and graph tables). Inside a transaction ANALYZE sees that transaction's own new rows.
SQLite plans these queries well without statistics, so there it does nothing.
"""

from __future__ import annotations

from collections.abc import Iterable

from cxsuite.db.session import Database
from cxsuite.db.sql import execute

# Fewer written rows than this are left to autovacuum: not worth a sample of the whole table.
ANALYZE_MIN_ROWS = 100
# Changed rows times this below the planner's estimate: its statistics are still good enough.
STALE_SHARE = 10


async def refresh_record_statistics(db: Database, written: Iterable[tuple[str, int]]) -> int:
    """ANALYZE the record tables of the kinds in ``written`` (kind, rows written; a kind may
    come several times) that changed enough; returns how many tables were analyzed."""
    per_kind: dict[str, int] = {}
    for kind, rows in written:
        per_kind[kind] = per_kind.get(kind, 0) + rows
    return await _analyze(db, sorted(f"record_{kind}" for kind, rows in per_kind.items()
                                     if rows >= ANALYZE_MIN_ROWS))


async def analyze_if_blind(db: Database, table: str, changed: int) -> bool:
    """ANALYZE ``table`` when ``changed`` rows are a tenth of the planner's row estimate or
    more (at least :data:`ANALYZE_MIN_ROWS`), or it has no estimate; whether it did."""
    if changed < ANALYZE_MIN_ROWS or not db.is_postgres:
        return False
    rows = await execute(db.engine, "SELECT reltuples FROM pg_class WHERE oid = {}::text::regclass",
                         f"public.{table}")
    if rows and changed * STALE_SHARE < float(rows[0]["reltuples"]):
        return False
    return await _analyze(db, [table]) > 0


async def _analyze(db: Database, tables: list[str]) -> int:
    if not tables or not db.is_postgres:
        return 0
    rows = await execute(db.engine, "SELECT cxsuite_analyze_records({}::text[]) AS analyzed", tables)
    return int(rows[0]["analyzed"])
