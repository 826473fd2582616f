"""Idempotent upsert of canonical records, inside the caller's tenant-scoped transaction.

Rows are keyed by (tenant, workspace, connection, external id). A row is rewritten only when
its content changed and the incoming version is not older than the stored one, so re-reading
a page (after a crash, or an overlapping incremental window) writes nothing new.

PostgreSQL takes the batch by COPY into a temporary table and merges it with one
``INSERT … SELECT … ON CONFLICT``: the fastest path asyncpg offers and one statement per batch.
SQLite takes ``executemany`` of the same upsert.

On PostgreSQL, Piccolo's transaction hands us its asyncpg connection; the tenant setting made
by :meth:`~cxsuite.db.session.Database.transaction` therefore applies and row-level security
checks every merged row.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

import msgspec
from piccolo.engine.base import Engine

from cxsuite.connectors.records import RECORD_TYPES, Record, columns_of, table_for

KEY_COLUMNS = ("tenant_id", "workspace_id", "connection_id", "external_id")
# msgspec is several times faster than json for the raw payloads that make up most of a row.
_ENCODER = msgspec.json.Encoder(enc_hook=str)
BOOK_COLUMNS = ("source", "updated_at", "archived", "content_hash", "synced_at", "raw")
JSON_COLUMNS = frozenset({"raw", "stage_history", "segments", "quality_flags"})


@dataclass(frozen=True)
class RecordScope:
    """Where a connection's records belong."""

    tenant_id: UUID
    workspace_id: UUID
    connection_id: UUID
    source: str


@dataclass(frozen=True)
class UpsertCounts:
    """Rows inserted or changed, and rows that were already up to date."""

    written: int
    skipped: int


def content_hash(record: Record) -> str:
    """A digest of what the record says (not of its raw payload, whose key order may vary)."""
    body = msgspec.json.encode(msgspec.structs.replace(record, raw={}))
    return hashlib.blake2b(body, digest_size=16).hexdigest()


def latest_per_id(records: Sequence[Record]) -> list[Record]:
    """One record per external id: vendors repeat ids across overlapping pages."""
    by_id: dict[str, Record] = {}
    for record in records:
        by_id[record.external_id] = record
    return list(by_id.values())


def column_names(kind: str) -> list[str]:
    """Every column an upsert of ``kind`` writes, in order."""
    return [*KEY_COLUMNS, *BOOK_COLUMNS, *columns_of(RECORD_TYPES[kind])]


def _row(scope: RecordScope, record: Record, synced_at: datetime, typed: list[str],
         ) -> tuple[Any, ...]:
    def value(name: str) -> Any:
        v = getattr(record, name)
        return _ENCODER.encode(v).decode() if name in JSON_COLUMNS else v

    key = (scope.tenant_id, scope.workspace_id, scope.connection_id, record.external_id)
    book = (scope.source, record.updated_at, record.archived, content_hash(record), synced_at,
            value("raw"))
    return (*key, *book, *(value(name) for name in typed))


def _merge_sql(table: str, columns: list[str], source: str) -> str:
    updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in columns if c not in KEY_COLUMNS)
    return (
        f"INSERT INTO {table} ({', '.join(columns)}) {source} "
        f"ON CONFLICT ({', '.join(KEY_COLUMNS)}) DO UPDATE SET {updates} "
        f"WHERE {table}.content_hash IS DISTINCT FROM EXCLUDED.content_hash "
        f"AND (EXCLUDED.updated_at IS NULL OR {table}.updated_at IS NULL "
        f"OR EXCLUDED.updated_at >= {table}.updated_at)")


async def upsert_records(engine: Engine, scope: RecordScope, kind: str, records: Sequence[Record],
                         synced_at: datetime) -> UpsertCounts:
    """Upsert ``records`` of one kind; must run inside :meth:`Database.transaction`."""
    unique = latest_per_id(records)
    if not unique:
        return UpsertCounts(0, 0)
    transaction = engine.current_transaction.get()
    assert transaction is not None, "upserts run inside a tenant-scoped transaction"
    typed = columns_of(RECORD_TYPES[kind])
    columns = column_names(kind)
    rows = [_row(scope, r, synced_at, typed) for r in unique]
    merge = _copy_merge if engine.engine_type == "postgres" else _executemany_merge
    written = await merge(transaction.connection, table_for(kind), columns, rows)
    return UpsertCounts(written=written, skipped=len(records) - written)


async def _copy_merge(conn: Any, table: str, columns: list[str], rows: list[tuple[Any, ...]]) -> int:
    staging = f"staging_{table}"
    await conn.execute(f"CREATE TEMP TABLE IF NOT EXISTS {staging} "
                       f"(LIKE {table} INCLUDING DEFAULTS) ON COMMIT DELETE ROWS")
    await conn.copy_records_to_table(staging, records=rows, columns=columns)
    merged = await conn.fetch(
        _merge_sql(table, columns, f"SELECT {', '.join(columns)} FROM {staging}") + " RETURNING 1")
    await conn.execute(f"DELETE FROM {staging}")
    return len(merged)


async def _executemany_merge(conn: Any, table: str, columns: list[str],
                             rows: list[tuple[Any, ...]]) -> int:
    values = f"VALUES ({', '.join('?' for _ in columns)})"
    before = conn.total_changes
    # Piccolo's sqlite3 adapters store UUIDs, dates and times the way its queries read them.
    await conn.executemany(_merge_sql(table, columns, values), rows)
    return conn.total_changes - before
