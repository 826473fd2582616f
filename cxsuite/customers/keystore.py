"""The stored match keys of a workspace's customer records, normalised once per record version.

Normalising a record's keys costs Python 25–40 µs (``phonenumbers`` mostly): half a minute at
a million customers, which every score run used to pay. The keys are stored instead
(``customer_keyed``, ``customer_match_key``, migration m0022), each record's row tagged with
the record's ``content_hash`` and the phone region its keys were read in. :func:`refresh_keys`
brings the store up to date: set-based anti-joins find what is stale or missing, and only those
records pass through Python. An import calls it once its customer records are committed, and
every resolution calls it first, so a score run only catches up.

``content_hash`` covers everything a key is made of: the upsert rewrites a row (its ``raw``
payload, where the other system's ids are read, included) only when the hash changes. A
record without a phone keeps its keys when the region changes: only phone keys depend on it.
"""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from piccolo.engine.base import Engine

from cxsuite.customers.graph import KeyedRecord, customer_id_of
from cxsuite.customers.keys import CRM_ID, PHONE, crm_id_key, keys_of
from cxsuite.db.session import Database
from cxsuite.db.sql import execute
from cxsuite.db.statistics import analyze_if_blind
from cxsuite.db.stream import changed, chunks, write_rows

# Another system's id a vendor payload carries, by the system it points to. HubSpot's
# Salesforce integration writes these properties on the contacts it syncs.
CRM_REFERENCES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("salesforce", ("properties", "salesforcecontactid")),
    ("salesforce", ("properties", "salesforceleadid")),
)
RECORD_COLUMNS = ("connection_id", "external_id", "source", "content_hash", "phone_region", "own_id",
                  "phone_unreadable", "customer_id")
KEY_COLUMNS = ("connection_id", "external_id", "kind", "value")
# The same record in the tables aliased ``x`` and ``y``.
SAME_RECORD = ("{x}.tenant_id = {y}.tenant_id AND {x}.workspace_id = {y}.workspace_id "
               "AND {x}.connection_id = {y}.connection_id AND {x}.external_id = {y}.external_id")


def _json_path(pg: bool, path: tuple[str, ...]) -> str:
    if pg:
        return "(r.raw" + "".join(f" -> '{k}'" for k in path[:-1]) + f" ->> '{path[-1]}')"
    return f"json_extract(r.raw, '$.{'.'.join(path)}')"


async def refresh_keys(db: Database, tenant_id: UUID, workspace_id: UUID, region: str) -> int:
    """Make the stored keys those of the workspace's live customer records with phones read in
    ``region`` (inside the caller's write transaction), and count a change in the workspace's
    ``customer_view.keys_version``; returns how many records were keyed."""
    engine, scope = db.engine, (tenant_id, workspace_id)
    if db.is_postgres:  # an import and a score run keying the same new records would collide
        await execute(engine, "SELECT pg_advisory_xact_lock(hashtextextended({}, 0))",
                      f"customer_keys:{workspace_id}")
    fresh = (f"SELECT 1 FROM record_customer r WHERE {SAME_RECORD.format(x='k', y='r')} AND NOT r.archived "
             "AND r.content_hash = k.content_hash "
             "AND (k.phone_region = {} OR COALESCE(TRIM(r.phone), '') = '')")
    mine = "{x}.tenant_id = {{}} AND {x}.workspace_id = {{}}"
    dropped = await changed(engine, f"DELETE FROM customer_keyed AS k WHERE {mine.format(x='k')} "
                                    f"AND NOT EXISTS ({fresh})", *scope, region)
    if dropped:
        kept = SAME_RECORD.format(x="k", y="m")
        await execute(engine, f"DELETE FROM customer_match_key AS m WHERE {mine.format(x='m')} "
                              f"AND NOT EXISTS (SELECT 1 FROM customer_keyed k WHERE {kept})", *scope)
    pg = db.is_postgres
    refs = ", ".join(f"{_json_path(pg, path)} AS ref_{i}" for i, (_, path) in enumerate(CRM_REFERENCES))
    keyed = 0
    await _open(engine)
    try:
        async for rows in chunks(
                engine,
                "SELECT r.connection_id, r.external_id, r.source, r.content_hash, r.email, r.phone, "
                f"r.web_user_id, {refs} FROM record_customer r WHERE {mine.format(x='r')} AND NOT r.archived "
                f"AND NOT EXISTS (SELECT 1 FROM customer_keyed k WHERE {SAME_RECORD.format(x='k', y='r')})",
                *scope):
            records = [_keyed(row, region) for row in rows]
            await _stage(engine, workspace_id, region, records)
            keyed += len(records)
        await _flush(engine, tenant_id, workspace_id)
    finally:
        await _drop(engine)
    if keyed or dropped:  # the stored graph no longer follows from the keys
        await execute(engine, "UPDATE customer_view SET keys_version = keys_version + 1 "
                              "WHERE tenant_id = {} AND workspace_id = {}", *scope)
    for table in ("customer_keyed", "customer_match_key"):  # the resolution reads them next
        await analyze_if_blind(db, table, keyed + dropped)
    return keyed


def _keyed(row: dict, region: str) -> KeyedRecord:
    """One record row's keys, normalised (:func:`cxsuite.customers.keys.keys_of`)."""
    crm_refs = {target: row[f"ref_{i}"] for i, (target, _) in enumerate(CRM_REFERENCES)
                if row[f"ref_{i}"] and target != row["source"]}
    keys = tuple(dict.fromkeys(keys_of(
        source=row["source"], external_id=row["external_id"], email=row["email"], phone=row["phone"],
        region=region or None, crm_refs=crm_refs, web_user_id=row["web_user_id"])))
    # the phone is parsed once, by keys_of: a given phone without a key is unreadable
    given = bool(row["phone"] and row["phone"].strip())
    return KeyedRecord(str(row["connection_id"]), row["external_id"], row["source"], keys,
                       crm_id_key(row["source"], row["external_id"]), content_hash=row["content_hash"],
                       phone_unreadable=given and all(kind != PHONE for kind, _ in keys))


async def store_keys(engine: Engine, tenant_id: UUID, workspace_id: UUID, region: str,
                     records: Sequence[KeyedRecord]) -> None:
    """Store keys already normalised, for records that have none stored (inside a transaction)."""
    await _open(engine)
    try:
        await _stage(engine, workspace_id, region, records)
        await _flush(engine, tenant_id, workspace_id)
    finally:
        await _drop(engine)


async def _open(engine: Engine) -> None:
    # UUID on SQLite too, as the permanent tables declare it (see graph.open_staging)
    await _drop(engine)
    record = "connection_id UUID NOT NULL, external_id TEXT NOT NULL"
    await execute(engine, f"CREATE TEMP TABLE keyed_record ({record}, source TEXT NOT NULL, "
                          "content_hash TEXT NOT NULL, phone_region TEXT NOT NULL, own_id TEXT, "
                          "phone_unreadable BOOLEAN NOT NULL, customer_id UUID NOT NULL)")
    await execute(engine, f"CREATE TEMP TABLE keyed_key ({record}, kind TEXT NOT NULL, value TEXT NOT NULL)")


async def _drop(engine: Engine) -> None:
    schema = "pg_temp." if engine.engine_type == "postgres" else "temp."
    for table in ("keyed_record", "keyed_key"):
        await execute(engine, f"DROP TABLE IF EXISTS {schema}{table}")


async def _stage(engine: Engine, workspace_id: UUID, region: str, records: Sequence[KeyedRecord]) -> None:
    """One chunk into the temporary tables (COPY cannot write through row-level security);
    a record's own id is kept apart from its keys: it is what others refer to, not a reference."""
    pg = engine.engine_type == "postgres"
    rows, keys = [], []
    for record in records:
        connection = UUID(record.connection_id) if pg else record.connection_id
        customer = customer_id_of(workspace_id, record)
        rows.append((connection, record.external_id, record.source, record.content_hash, region,
                     record.own_id, record.phone_unreadable, customer if pg else str(customer)))
        keys += [(connection, record.external_id, kind, value) for kind, value in dict.fromkeys(record.keys)
                 if not (kind == CRM_ID and value == record.own_id)]
    await write_rows(engine, "keyed_record", RECORD_COLUMNS, rows)
    await write_rows(engine, "keyed_key", KEY_COLUMNS, keys)


async def _flush(engine: Engine, tenant_id: UUID, workspace_id: UUID) -> None:
    """The staged rows into the store, row-level security checking each on the way in."""
    scope = "{}::uuid, {}::uuid" if engine.engine_type == "postgres" else "{}, {}"  # a bare parameter is text
    for table, staged, columns in (("customer_keyed", "keyed_record", RECORD_COLUMNS),
                                   ("customer_match_key", "keyed_key", KEY_COLUMNS)):
        names = ", ".join(columns)
        await execute(engine, f"INSERT INTO {table} (tenant_id, workspace_id, {names}) "
                              f"SELECT {scope}, {names} FROM {staged}", tenant_id, workspace_id)

