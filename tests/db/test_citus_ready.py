"""The schema can be distributed by tenant with Citus as it stands (docs/scaling.md).

Citus requires every primary key and unique constraint (and unique index) of a distributed
table to include its distribution column, and a foreign key between distributed tables to
pair the two distribution columns; a distributed table may reference a reference table, not
the other way round. Every table is therefore classified here: distributed by ``tenant_id``
(any table that has the column), distributed by its own ``id`` where that id IS the tenant id
(co-located with the rest), a reference table (global, small, replicated to every node), or
local to the coordinator. A table nobody classified fails the test, so a new global table is a
decision someone writes down here, not an accident found during the migration to Citus.

Citus is not packaged for Debian bookworm, so the rules are checked on the catalog of plain
PostgreSQL, which holds the same information Citus would refuse the DDL for.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from tests.support.db import owner_connection

pytestmark = [pytest.mark.anyio, pytest.mark.postgres_only]

# Distributed by a column other than tenant_id: the tenant's own rows, keyed by the tenant id.
DISTRIBUTED_BY_ID = {
    "tenant": "the consultancy itself; id is the tenant id",
    "tenant_directory": "tenant ids for maintenance sweeps; id is the tenant id",
}
# Replicated to every node (create_reference_table): global and small.
REFERENCE_TABLES = {
    "app_user": "people are global: one person may work with several tenants",
    "account_token": "mailed reset and verification secrets belong to a person, like app_user",
}
# Kept on the coordinator only (never joined with tenant data).
COORDINATOR_TABLES = {
    "migration": "Piccolo's record of applied migrations",
}

_TABLES = """
    SELECT c.relname AS name, array_agg(a.attname::text) AS columns
    FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
    WHERE c.relkind IN ('r', 'p') AND c.relnamespace = 'public'::regnamespace
    GROUP BY c.relname"""
_CONSTRAINTS = """
    SELECT con.conname AS name, cls.relname AS table_name, con.contype::text AS kind,
           ref.relname AS referenced,
           ARRAY(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY k(num, pos)
                 JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.num ORDER BY k.pos) AS columns,
           ARRAY(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY k(num, pos)
                 JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.num ORDER BY k.pos)
               AS referenced_columns
    FROM pg_constraint con JOIN pg_class cls ON cls.oid = con.conrelid
    LEFT JOIN pg_class ref ON ref.oid = con.confrelid
    WHERE con.contype IN ('p', 'u', 'f') AND cls.relnamespace = 'public'::regnamespace"""
_UNIQUE_INDEXES = """
    SELECT idx.relname AS name, cls.relname AS table_name,
           ARRAY(SELECT a.attname::text FROM unnest(i.indkey::int2[]) k(num)
                 JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.num) AS columns
    FROM pg_index i JOIN pg_class cls ON cls.oid = i.indrelid JOIN pg_class idx ON idx.oid = i.indexrelid
    WHERE i.indisunique AND cls.relnamespace = 'public'::regnamespace"""


@dataclass(frozen=True)
class Catalog:
    """What the rules need from pg_class, pg_constraint and pg_index."""

    tables: dict[str, set[str]]
    constraints: list[dict]
    unique_indexes: list[dict]


async def read_catalog(conn) -> Catalog:
    """The public schema as the connection sees it (inside its transaction, if any)."""
    return Catalog({r["name"]: set(r["columns"]) for r in await conn.fetch(_TABLES)},
                   [dict(r) for r in await conn.fetch(_CONSTRAINTS)],
                   [dict(r) for r in await conn.fetch(_UNIQUE_INDEXES)])


def distribution_column(table: str, columns: set[str]) -> str | None:
    """The column a table is distributed by, or ``None`` for reference and coordinator tables."""
    if table in DISTRIBUTED_BY_ID:
        return "id"
    return "tenant_id" if "tenant_id" in columns else None


def violations(catalog: Catalog) -> list[str]:
    """Every place the schema breaks a Citus rule, as ``table: what``."""
    found = []
    listed = REFERENCE_TABLES.keys() | COORDINATOR_TABLES.keys()
    dist = {t: distribution_column(t, c) for t, c in catalog.tables.items()}
    for table, column in dist.items():
        if column is None and table not in listed:
            found.append(f"{table}: no tenant_id and not listed as a reference or coordinator table")
        if column is not None and table in listed:
            found.append(f"{table}: listed as global but has tenant_id")
    for table in sorted(listed - catalog.tables.keys()):
        found.append(f"{table}: listed as global but does not exist")
    primary = {c["table_name"] for c in catalog.constraints if c["kind"] == "p"}
    for table, column in dist.items():
        if column is not None and table not in primary:
            found.append(f"{table}: distributed table without a primary key")
    for con in catalog.constraints + [{**i, "kind": "u"} for i in catalog.unique_indexes]:
        column = dist.get(con["table_name"])
        if column is not None and con["kind"] in ("p", "u") and column not in con["columns"]:
            found.append(f"{con['table_name']}: key {con['name']} lacks the distribution column {column}")
        if con["kind"] == "f":
            found += _foreign_key(con, column, dist)
    return sorted(set(found))


def _foreign_key(con: dict, column: str | None, dist: dict[str, str | None]) -> list[str]:
    table, target = con["table_name"], con["referenced"]
    target_column = dist.get(target)
    if target in COORDINATOR_TABLES:
        return [f"{table}: {con['name']} references coordinator-only {target}"]
    if column is None:
        return [] if target_column is None else [f"{table}: global table references distributed {target}"]
    if target_column is None:
        return []  # distributed → reference: allowed
    pairs = set(zip(con["columns"], con["referenced_columns"], strict=True))
    if (column, target_column) not in pairs:
        return [f"{table}: {con['name']} to {target} does not pair {column} with {target}.{target_column}"]
    return []


async def test_every_table_can_be_distributed_by_tenant_or_is_listed_as_global(settings):
    conn = await owner_connection(settings)
    try:
        catalog = await read_catalog(conn)
    finally:
        await conn.close()
    assert len(catalog.tables) > 20
    assert violations(catalog) == []


async def test_the_check_catches_each_kind_of_offence(settings):
    """Offending tables made and rolled back inside one transaction: the rules can fail."""
    conn = await owner_connection(settings)
    try:
        async with conn.transaction():
            await conn.execute("CREATE TABLE citus_global_by_accident (id UUID PRIMARY KEY)")
            await conn.execute(
                "CREATE TABLE citus_bad (tenant_id UUID NOT NULL, id UUID PRIMARY KEY, email TEXT UNIQUE, "
                "workspace_id UUID REFERENCES citus_global_by_accident (id), "
                "other UUID, FOREIGN KEY (tenant_id, other) REFERENCES workspace (tenant_id, id))")
            await conn.execute("CREATE UNIQUE INDEX citus_bad_email ON citus_bad (lower(email))")
            await conn.execute("CREATE TABLE citus_swapped (tenant_id UUID NOT NULL, ws UUID NOT NULL, "
                               "PRIMARY KEY (tenant_id, ws), FOREIGN KEY (ws, tenant_id) "
                               "REFERENCES workspace (tenant_id, id))")
            found = violations(await read_catalog(conn))
            raise _RollBack(found)
    except _RollBack as done:
        found = done.found
    finally:
        await conn.close()
    ours = [f for f in found if f.startswith("citus_")]
    assert any(f.startswith("citus_global_by_accident: no tenant_id") for f in ours)
    assert any(f.startswith("citus_bad: key citus_bad_pkey lacks") for f in ours)
    assert any(f.startswith("citus_bad: key citus_bad_email_key lacks") for f in ours)
    assert any(f.startswith("citus_bad: key citus_bad_email lacks") for f in ours)
    assert any(f.startswith("citus_swapped: citus_swapped_ws_tenant_id_fkey") for f in ours)
    assert not any("citus_bad_tenant_id_other_fkey" in f for f in ours)


class _RollBack(Exception):
    def __init__(self, found: list[str]) -> None:
        super().__init__("roll back")
        self.found = found
