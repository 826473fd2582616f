"""Deterministic identity resolution in SQL: connected components over match keys, with the
reason for each merge.

Records are nodes; two nodes join when they share an email, a phone or a web user id, or when
one carries the other system's id. Ids need care: a record's *own* id only links records of
other systems that refer to it. Two records that merely have the same own id (two HubSpot
portals both numbering contacts from 1) are not the same person, and an id owned by more
than one record is ambiguous, so it links nothing and is counted instead.

Each record's keys are normalised once per record version and stored
(:mod:`cxsuite.customers.keystore`); :func:`stage` copies them into temporary tables with one
INSERT … SELECT each, numbering the records in key order; :func:`resolve` then finds the
groups where the rows are: every record sharing a key is joined to the first record (in key
order) with that key, and the components of those edges are found by min-label propagation
with pointer jumping, repeated until no label changes. A group's root is its earliest
record, as union-find keeping the smaller root gave before; no record passes through
Python. Only records with an edge take part in the propagation: a record sharing nothing is
its own customer without any work.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from uuid import UUID

from piccolo.engine.base import Engine

from cxsuite.customers.keys import CRM_ID
from cxsuite.db.sql import execute
from cxsuite.db.stream import changed

NAMESPACE = uuid.UUID("6f1d3a52-51a4-4c55-9d3b-0d7c1f6a3e21")
# Every temporary table of one resolution (the service builds the last two from the others).
TABLES = ("resolve_record", "resolve_key", "resolve_edge", "resolve_node", "resolve_member", "resolve_email")
# The root of a record: its component's label, or itself when it shares no key.
ROOT = "COALESCE(n.label, r.idx)"
IN_GROUP = "resolve_record r LEFT JOIN resolve_node n ON n.idx = r.idx"


@dataclass(frozen=True, slots=True)
class KeyedRecord:
    """One customer record and its match keys (``own_id`` is its own ``crm_id`` key), with the
    version they were read from and whether a phone was given that cannot be read."""

    connection_id: str
    external_id: str
    source: str
    keys: tuple[tuple[str, str], ...]
    own_id: str | None = None
    content_hash: str = ""
    phone_unreadable: bool = False


def customer_id_of(workspace_id: UUID, record: KeyedRecord) -> UUID:
    """A resolved customer's id: stable while its earliest record (in key order) stays."""
    return uuid.uuid5(NAMESPACE, f"{workspace_id}|{record.connection_id}|{record.external_id}")


def temp(engine: Engine) -> str:
    """The schema of temporary tables, named where a statement could otherwise reach a
    permanent table (a drop); elsewhere a temporary table shadows any permanent namesake."""
    return "pg_temp." if engine.engine_type == "postgres" else "temp."


async def open_staging(engine: Engine) -> None:
    """Empty temporary tables for one resolution (inside the caller's transaction)."""
    # UUID on SQLite too: the permanent tables declare it (NUMERIC affinity there), and a TEXT
    # column compared with them cannot use their indexes (a repeat run's anti-joins went
    # quadratic on SQLite with TEXT here).
    uid = "UUID"
    await drop_staging(engine)
    for ddl in (
            f"CREATE TEMP TABLE resolve_record (idx INTEGER PRIMARY KEY, connection_id {uid} NOT NULL, "
            f"external_id TEXT NOT NULL, source TEXT NOT NULL, own_id TEXT, customer_id {uid} NOT NULL)",
            "CREATE TEMP TABLE resolve_key (idx INTEGER NOT NULL, kind TEXT NOT NULL, value TEXT NOT NULL)",
            "CREATE TEMP TABLE resolve_edge (a INTEGER NOT NULL, b INTEGER NOT NULL, kind TEXT NOT NULL)",
            "CREATE TEMP TABLE resolve_node (idx INTEGER PRIMARY KEY, label INTEGER NOT NULL)"):
        await execute(engine, ddl)


async def drop_staging(engine: Engine) -> None:
    """Drop the temporary tables (SQLite keeps them for the connection's life)."""
    for table in TABLES:
        await execute(engine, f"DROP TABLE IF EXISTS {temp(engine)}{table}")


async def stage(engine: Engine, tenant_id: UUID, workspace_id: UUID) -> None:
    """Number the workspace's keyed records in key order and stage them with their keys, from
    the key store (:mod:`cxsuite.customers.keystore`), in SQL: no record passes through Python."""
    pg = engine.engine_type == "postgres"
    index = "" if pg else "temp."
    await execute(engine, (
        "INSERT INTO resolve_record (idx, connection_id, external_id, source, own_id, customer_id) "
        "SELECT ROW_NUMBER() OVER (ORDER BY source, connection_id, external_id) - 1, connection_id, "
        "external_id, source, own_id, customer_id FROM customer_keyed "
        "WHERE tenant_id = {} AND workspace_id = {}"), tenant_id, workspace_id)
    await execute(engine, f"CREATE INDEX {index}resolve_record_id ON resolve_record "
                          "(connection_id, external_id)")
    if pg:  # a hash join for the keys, where a blind planner probed the index once per key
        await execute(engine, "ANALYZE pg_temp.resolve_record")
    await execute(engine, (
        "INSERT INTO resolve_key (idx, kind, value) SELECT r.idx, k.kind, k.value FROM customer_match_key k "
        "JOIN resolve_record r ON r.connection_id = k.connection_id AND r.external_id = k.external_id "
        "WHERE k.tenant_id = {} AND k.workspace_id = {}"), tenant_id, workspace_id)


async def resolve(engine: Engine) -> int:
    """Group the staged records (root per record in ``resolve_node``, reasons in
    ``resolve_edge``); returns how many referenced ids are ambiguous."""
    pg = engine.engine_type == "postgres"
    index = "" if pg else "temp."
    await execute(engine, f"CREATE INDEX {index}resolve_key_value ON resolve_key (kind, value, idx)")
    await execute(engine, f"CREATE INDEX {index}resolve_record_own ON resolve_record (own_id)")
    if pg:
        await execute(engine, "ANALYZE pg_temp.resolve_key")
    # A shared email, phone or web user id: every holder joins the first holder.
    await execute(engine, (
        f"INSERT INTO resolve_edge (a, b, kind) SELECT f.first, k.idx, k.kind FROM resolve_key k "
        f"JOIN (SELECT kind, value, MIN(idx) AS first FROM resolve_key WHERE kind <> '{CRM_ID}' "
        "GROUP BY kind, value HAVING COUNT(*) > 1) f ON f.kind = k.kind AND f.value = k.value "
        "WHERE k.idx <> f.first"))
    owners = ("SELECT own_id, MIN(idx) AS owner, COUNT(*) AS owners FROM resolve_record "
              "WHERE own_id IS NOT NULL GROUP BY own_id")
    referenced = f"SELECT value, MIN(idx) AS first FROM resolve_key WHERE kind = '{CRM_ID}' GROUP BY value"
    # Another system's id: its referrers join its one owner (or the first referrer when no
    # record owns it); an id owned twice links nothing.
    await execute(engine, (
        f"INSERT INTO resolve_edge (a, b, kind) SELECT COALESCE(o.owner, f.first), k.idx, '{CRM_ID}' "
        f"FROM resolve_key k JOIN ({referenced}) f ON f.value = k.value "
        f"LEFT JOIN ({owners}) o ON o.own_id = k.value WHERE k.kind = '{CRM_ID}' "
        "AND COALESCE(o.owners, 0) <= 1 AND k.idx <> COALESCE(o.owner, f.first)"))
    ambiguous = await execute(engine, f"SELECT COUNT(*) AS n FROM ({referenced}) f JOIN ({owners}) o "
                                      "ON o.own_id = f.value WHERE o.owners > 1")
    await execute(engine, "INSERT INTO resolve_node (idx, label) SELECT a, a FROM resolve_edge "
                          "UNION SELECT b, b FROM resolve_edge")
    await execute(engine, f"CREATE INDEX {index}resolve_edge_a ON resolve_edge (a)")
    await execute(engine, f"CREATE INDEX {index}resolve_edge_b ON resolve_edge (b)")
    if pg:
        await execute(engine, "ANALYZE pg_temp.resolve_edge, pg_temp.resolve_node")
    await _components(engine)
    return int(ambiguous[0]["n"])


async def _components(engine: Engine) -> None:
    """Min-label propagation over the edges, each round followed by pointer jumping (a label
    takes its label's label), until a round changes nothing; every node then carries the
    smallest index of its component."""
    neighbours = ("SELECT idx, MIN(low) AS low FROM (SELECT e.b AS idx, n.label AS low FROM resolve_edge e "
                  "JOIN resolve_node n ON n.idx = e.a UNION ALL SELECT e.a, n.label FROM resolve_edge e "
                  "JOIN resolve_node n ON n.idx = e.b) x GROUP BY idx")
    while True:
        hooked = await changed(engine, f"UPDATE resolve_node SET label = m.low FROM ({neighbours}) m "
                                       "WHERE resolve_node.idx = m.idx AND m.low < resolve_node.label")
        jumped = await changed(engine, "UPDATE resolve_node SET label = p.label FROM resolve_node p "
                                       "WHERE p.idx = resolve_node.label AND p.label < resolve_node.label")
        if not hooked and not jumped:
            return
