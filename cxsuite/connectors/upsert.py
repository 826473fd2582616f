"""Idempotent upsert of canonical records, inside the caller's tenant-scoped transaction.

Rows are keyed by (tenant, workspace, connection, external id). A row is rewritten only when
its content changed and the incoming version is not older than the stored one, so re-reading
a page (after a crash, or an overlapping incremental window) writes nothing new.

An upsert has two steps, so the sync engine can do the first while the database does the
second for the previous batch (:mod:`~cxsuite.connectors.readahead`):

- :func:`prepare_records` (Python only): one record per external id, each turned into the
  values that differ from row to row (its content hash, its JSON columns encoded);
- :func:`write_prepared`: the rows into the table, with the values every row of a batch
  shares (tenant, workspace, connection, source, sync time) given once.

PostgreSQL refuses COPY into a table with row-level security, and COPY cannot merge, so the
batch is copied into a temporary table private to the session, emptied at every commit, then
merged with one ``INSERT … SELECT … ON CONFLICT DO UPDATE``: one statement per batch, and the
fastest way asyncpg offers to move rows. That INSERT runs in the caller's transaction, where
:meth:`~cxsuite.db.session.Database.transaction` set the tenant, so row-level security checks
every merged row (``WITH CHECK`` on the insert, ``USING`` on a conflicting row): the temporary
table holds nothing another session or tenant can see, and a row for another tenant is
refused. SQLite takes ``executemany`` of the same upsert.
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
SHARED_COLUMNS = {"tenant_id": "uuid", "workspace_id": "uuid", "connection_id": "uuid", "source": "text",
                  "synced_at": "timestamptz"}
"""Columns with one value for a whole batch, and their PostgreSQL types as parameters."""
RECORD_FIELDS = Record.__struct_fields__  # external_id, updated_at, archived, raw
RAW_AT = RECORD_FIELDS.index("raw")
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


def varying_columns(kind: str) -> list[str]:
    """The columns whose values come from each record, in the order of a prepared row."""
    return [*RECORD_FIELDS, "content_hash", *columns_of(RECORD_TYPES[kind])]


@dataclass(frozen=True)
class PreparedRows:
    """One kind's records, one per external id, as rows of :func:`varying_columns`."""

    kind: str
    rows: list[tuple[Any, ...]]
    received: int
    """Records before duplicates were dropped: the ones not written count as skipped."""


def prepare_records(kind: str, records: Sequence[Record]) -> PreparedRows:
    """Deduplicate and encode ``records`` of one kind; no database involved."""
    common = len(RECORD_FIELDS)
    json_at = [common + 1 + i for i, name in enumerate(columns_of(RECORD_TYPES[kind]))
               if name in JSON_COLUMNS]
    rows = []
    for record in latest_per_id(records):
        values = msgspec.structs.astuple(record)  # Record's fields first, then the kind's
        row = [*values[:common], content_hash(record), *values[common:]]
        row[RAW_AT] = _ENCODER.encode(row[RAW_AT]).decode()
        for at in json_at:
            row[at] = _ENCODER.encode(row[at]).decode()
        rows.append(tuple(row))
    return PreparedRows(kind, rows, len(records))


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
    return await write_prepared(engine, scope, prepare_records(kind, records), synced_at)


async def write_prepared(engine: Engine, scope: RecordScope, prepared: PreparedRows,
                         synced_at: datetime) -> UpsertCounts:
    """Write prepared rows; must run inside :meth:`Database.transaction`."""
    if not prepared.rows:
        return UpsertCounts(0, prepared.received)
    transaction = engine.current_transaction.get()
    assert transaction is not None, "upserts run inside a tenant-scoped transaction"
    shared = (scope.tenant_id, scope.workspace_id, scope.connection_id, scope.source, synced_at)
    merge = _copy_merge if engine.engine_type == "postgres" else _executemany_merge
    written = await merge(transaction.connection, table_for(prepared.kind),
                          varying_columns(prepared.kind), shared, prepared.rows)
    return UpsertCounts(written=written, skipped=prepared.received - written)


async def _copy_merge(conn: Any, table: str, varying: list[str], shared: tuple[Any, ...],
                      rows: list[tuple[Any, ...]]) -> int:
    staging = f"merge_{table}"
    names = ", ".join(varying)
    # Created once per session, with the varying columns only and no constraints: what every
    # row shares is a parameter of the merge, not copied once per row. Emptied at each commit
    # (and by a rollback); the DELETE covers a second upsert of the same kind in one transaction.
    await conn.execute(f"CREATE TEMP TABLE IF NOT EXISTS {staging} ON COMMIT DELETE ROWS AS "
                       f"SELECT {names} FROM {table} WITH NO DATA; DELETE FROM {staging}")
    await conn.copy_records_to_table(staging, records=rows, columns=varying)
    params = ", ".join(f"${i}::{cast}" for i, cast in enumerate(SHARED_COLUMNS.values(), start=1))
    status = await conn.execute(
        _merge_sql(table, [*SHARED_COLUMNS, *varying], f"SELECT {params}, {names} FROM {staging}"),
        *shared)
    return int(status.rsplit(" ", 1)[1])  # "INSERT 0 <rows inserted or changed>"


async def _executemany_merge(conn: Any, table: str, varying: list[str], shared: tuple[Any, ...],
                             rows: list[tuple[Any, ...]]) -> int:
    columns = [*SHARED_COLUMNS, *varying]
    values = f"VALUES ({', '.join('?' for _ in columns)})"
    before = conn.total_changes
    # Piccolo's sqlite3 adapters store UUIDs, dates and times the way its queries read them.
    await conn.executemany(_merge_sql(table, columns, values), [(*shared, *row) for row in rows])
    return conn.total_changes - before
