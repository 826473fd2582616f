"""Resolve a workspace's customer records into one customer view, and read the result.

Resolution is a whole-graph rebuild from the records' stored match keys: the key store is
brought up to date first (:mod:`cxsuite.customers.keystore`: only records new or changed since
the last import pass through Python), the keys are staged in temporary tables by INSERT …
SELECT, grouped in SQL by :mod:`cxsuite.customers.graph`, and only the rows of the graph that
changed are written, in the same transaction, so readers see either the previous graph or the
new one. It runs before every score run (the metrics read it) and on demand from the API.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import msgspec
import phonenumbers
from piccolo.engine.base import Engine

from cxsuite.access.permissions import Action
from cxsuite.access.principal import Principal
from cxsuite.audit.service import Actor
from cxsuite.audit.service import record as audit
from cxsuite.customers import graph
from cxsuite.customers.keys import EMAIL
from cxsuite.customers.keystore import refresh_keys
from cxsuite.db.session import Database
from cxsuite.db.sql import execute
from cxsuite.db.statistics import analyze_if_blind
from cxsuite.db.steps import step
from cxsuite.db.stream import changed
from cxsuite.errors import FieldProblem, NotFound, ValidationFailed
from cxsuite.workspaces.service import load as load_workspace

WORK_MEM = "64MB"


class SourcePair(msgspec.Struct, frozen=True):
    """How many real customers appear in both sources."""

    first: str
    second: str
    customers: int


class ViewSummary(msgspec.Struct, frozen=True, kw_only=True):
    """How fragmented the workspace's customer data is, as of the last resolution."""

    records: int = 0
    customers: int = 0
    customers_in_several_records: int = 0
    records_by_source: dict[str, int] = msgspec.field(default_factory=dict)
    customers_by_record_count: dict[str, int] = msgspec.field(default_factory=dict)
    source_pairs: list[SourcePair] = msgspec.field(default_factory=list)
    records_matched_by: dict[str, int] = msgspec.field(default_factory=dict)
    duplicates_within_source: int = 0
    unreadable_phones: int = 0
    ambiguous_ids: int = 0

    @property
    def records_per_customer(self) -> float | None:
        """Average records per real customer; ``None`` without records."""
        return self.records / self.customers if self.customers else None


class CustomerView(msgspec.Struct, frozen=True, kw_only=True):
    """A workspace's resolution settings and its last result."""

    workspace_id: UUID
    phone_region: str
    resolved_at: datetime | None
    summary: ViewSummary


class Member(msgspec.Struct, frozen=True):
    """One record of a resolved customer and the kinds of key that joined it."""

    source: str
    connection_id: UUID
    external_id: str
    matched_on: list[str]


async def view_of(engine: Engine, tenant_id: UUID, workspace_id: UUID) -> CustomerView:
    """The stored view (an empty summary before the first resolution); inside a transaction."""
    rows = await execute(engine, "SELECT phone_region, resolved_at, summary FROM customer_view "
                         "WHERE tenant_id = {} AND workspace_id = {}", tenant_id, workspace_id)
    if not rows:
        return CustomerView(workspace_id=workspace_id, phone_region="", resolved_at=None,
                            summary=ViewSummary())
    row = rows[0]
    summary = row["summary"]
    summary = msgspec.json.decode(summary) if isinstance(summary, str | bytes) else summary
    resolved = row["resolved_at"]
    if isinstance(resolved, str):
        resolved = datetime.fromisoformat(resolved)
    return CustomerView(workspace_id=workspace_id, phone_region=row["phone_region"],
                        resolved_at=resolved, summary=msgspec.convert(summary or {}, ViewSummary))


async def resolve_workspace(db: Database, tenant_id: UUID, workspace_id: UUID,
                            phone_region: str | None = None) -> CustomerView:
    """Rebuild the workspace's identity graph (inside the caller's write transaction).

    ``phone_region`` (ISO 3166 alpha-2) replaces the stored region when given; numbers
    without ``+`` are read in it. The graph follows from the stored keys alone: when they have
    not changed since it was resolved (``keys_version``, m0022), only ``resolved_at`` moves."""
    engine = db.engine
    if db.is_postgres:  # sorts and hashes of a million keys stay in memory (the default is 4 MB)
        await execute(engine, f"SET LOCAL work_mem = '{WORK_MEM}'")
    current = await view_of(engine, tenant_id, workspace_id)
    region = (phone_region if phone_region is not None else current.phone_region).upper()
    async with step(engine, "resolution: refresh keys"):
        await refresh_keys(db, tenant_id, workspace_id, region)
    if region == current.phone_region.upper() and await _graph_current(engine, tenant_id, workspace_id):
        now = datetime.now(UTC)
        await execute(engine, "UPDATE customer_view SET resolved_at = {} WHERE tenant_id = {} "
                              "AND workspace_id = {}", now, tenant_id, workspace_id)
        return msgspec.structs.replace(current, resolved_at=now)
    await graph.open_staging(engine)
    try:
        async with step(engine, "resolution: stage keys"):
            await graph.stage(engine, tenant_id, workspace_id)
            unreadable = await _unreadable(engine, tenant_id, workspace_id)
        async with step(engine, "resolution: group"):
            ambiguous = await graph.resolve(engine)
        async with step(engine, "resolution: summary"):
            summary = await _summary(engine, unreadable, ambiguous)
        now = datetime.now(UTC)
        async with step(engine, "resolution: write graph"):
            await _save_view(db, tenant_id, workspace_id, region, now, summary)
            await _write_graph(db, tenant_id, workspace_id)
    finally:
        await graph.drop_staging(engine)
    return CustomerView(workspace_id=workspace_id, phone_region=region, resolved_at=now,
                        summary=summary)


async def _graph_current(engine: Engine, tenant_id: UUID, workspace_id: UUID) -> bool:
    """Whether the stored graph was resolved from the keys as they are stored now."""
    rows = await execute(engine, "SELECT keys_version, resolved_version FROM customer_view "
                         "WHERE tenant_id = {} AND workspace_id = {}", tenant_id, workspace_id)
    return bool(rows) and rows[0]["keys_version"] == rows[0]["resolved_version"]


async def _unreadable(engine: Engine, tenant_id: UUID, workspace_id: UUID) -> int:
    """The records whose given phone cannot be read in the region their keys were read in."""
    rows = await execute(engine, "SELECT COUNT(*) AS n FROM customer_keyed WHERE tenant_id = {} AND "
                         "workspace_id = {} AND phone_unreadable", tenant_id, workspace_id)
    return int(rows[0]["n"])


async def resolve_after_import(db: Database, tenant_id: UUID, workspace_id: UUID) -> CustomerView:
    """What an import runs once its customer records are committed, in its own transaction: the
    keys of the new or changed records stored and the customer view resolved from them. A score
    run over the imported data then finds both current and only checks that nothing changed
    since (two anti-joins), where keying and grouping a million customers took most of it."""
    async with db.transaction(tenant_id):
        return await resolve_workspace(db, tenant_id, workspace_id)


async def _summary(engine: Engine, unreadable: int, ambiguous: int) -> ViewSummary:
    """The fragmentation figures, counted in SQL over the staged groups. Records that share no
    key are customers alone; only grouped records (``resolve_node``) need grouping."""
    collate = ' COLLATE "C"' if engine.engine_type == "postgres" else ""  # as Python compares text
    grouped = "SELECT n.label AS root, r.source FROM resolve_node n JOIN resolve_record r ON r.idx = n.idx"

    async def rows(sql: str) -> list[dict[str, Any]]:
        return await execute(engine, sql)

    by_source = await rows("SELECT source, COUNT(*) AS n FROM resolve_record GROUP BY source")
    nodes = await rows("SELECT COUNT(*) AS n FROM resolve_node")
    sizes = await rows(
        "SELECT CASE WHEN size >= 3 THEN '3+' ELSE CAST(size AS TEXT) END AS bucket, COUNT(*) AS n "
        f"FROM (SELECT root, COUNT(*) AS size FROM ({grouped}) g GROUP BY root) s GROUP BY 1")
    duplicates = await rows(
        "SELECT COALESCE(SUM(copies), 0) AS n FROM (SELECT COUNT(*) AS copies "
        f"FROM ({grouped}) g GROUP BY root, source HAVING COUNT(*) > 1) d")
    pairs = await rows(
        f"WITH s AS (SELECT DISTINCT root, source FROM ({grouped}) g) SELECT a.source AS first, "
        f"b.source AS second, COUNT(*) AS n FROM s a JOIN s b ON b.root = a.root "
        f"AND a.source{collate} < b.source{collate} GROUP BY 1, 2")
    matched = await rows("SELECT kind, COUNT(*) AS n FROM (SELECT a AS idx, kind FROM resolve_edge "
                         "UNION SELECT b, kind FROM resolve_edge) m GROUP BY kind")
    records = sum(int(row["n"]) for row in by_source)
    several = {str(row["bucket"]): int(row["n"]) for row in sizes}
    alone = records - int(nodes[0]["n"])
    return ViewSummary(
        records=records, customers=alone + sum(several.values()),
        customers_in_several_records=sum(several.values()),
        records_by_source=dict(sorted((str(r["source"]), int(r["n"])) for r in by_source)),
        customers_by_record_count=dict(sorted({**({"1": alone} if alone else {}), **several}.items())),
        source_pairs=[SourcePair(str(r["first"]), str(r["second"]), int(r["n"])) for r in sorted(
            pairs, key=lambda r: (-int(r["n"]), str(r["first"]), str(r["second"])))],
        records_matched_by=dict(sorted((str(r["kind"]), int(r["n"])) for r in matched)),
        duplicates_within_source=int(duplicates[0]["n"] or 0), unreadable_phones=unreadable,
        ambiguous_ids=ambiguous)


async def _save_view(db: Database, tenant_id: UUID, workspace_id: UUID, region: str,
                     now: datetime, summary: ViewSummary) -> None:
    """Store the view row: updated in place, so its members and keys (which cascade from it
    on delete) stay for :func:`_write_graph` to change only where the graph changed; it now
    follows from the keys as stored (``resolved_version``)."""
    body = msgspec.json.encode(summary).decode()
    scope = (tenant_id, workspace_id)
    updated = await execute(db.engine, "UPDATE customer_view SET phone_region = {}, resolved_at = {}, "
                            "summary = {}, resolved_version = keys_version WHERE tenant_id = {} "
                            "AND workspace_id = {} RETURNING tenant_id", region, now, body, *scope)
    if not updated:
        await execute(db.engine, "INSERT INTO customer_view (tenant_id, workspace_id, phone_region, "
                      "resolved_at, summary, keys_version, resolved_version) "
                      "VALUES ({}, {}, {}, {}, {}, 0, 0)",
                      *scope, region, now, body)


async def _write_graph(db: Database, tenant_id: UUID, workspace_id: UUID) -> None:
    """Members and email keys from the staged groups: a record's customer is its root record's
    id. The new rows are built in temporary tables, then only the rows that differ from the
    stored graph are deleted and inserted (row-level security checks each on the way in): a
    resolution of unchanged data writes nothing, where rewriting a million members took most
    of a score run."""
    pg, engine = db.is_postgres, db.engine
    kinds = ("jsonb_agg(kind ORDER BY kind)" if pg else "json_group_array(kind)")
    ordered = "SELECT a AS idx, kind FROM resolve_edge UNION SELECT b, kind FROM resolve_edge"
    if not pg:  # json_group_array keeps the order rows arrive in
        ordered = f"SELECT idx, kind FROM ({ordered}) u ORDER BY idx, kind"
    empty = "'[]'::jsonb" if pg else "'[]'"
    root = f"{graph.IN_GROUP} JOIN resolve_record g ON g.idx = {graph.ROOT}"
    await execute(engine, (
        "CREATE TEMP TABLE resolve_member AS SELECT r.connection_id, r.external_id, g.customer_id, r.source, "
        f"COALESCE(m.kinds, {empty}) AS matched_on FROM {root} LEFT JOIN (SELECT idx, {kinds} AS kinds "
        f"FROM ({ordered}) o GROUP BY idx) m ON m.idx = r.idx"))
    await execute(engine, (
        "CREATE TEMP TABLE resolve_email AS SELECT DISTINCT k.value, g.customer_id FROM resolve_key k "
        "LEFT JOIN resolve_node n ON n.idx = k.idx JOIN resolve_record g ON g.idx = COALESCE(n.label, k.idx) "
        f"WHERE k.kind = '{EMAIL}'"))
    index = "" if pg else "temp."
    await execute(engine, f"CREATE INDEX {index}resolve_member_key ON resolve_member "
                          "(connection_id, external_id)")
    await execute(engine, f"CREATE INDEX {index}resolve_email_value ON resolve_email (value)")
    if pg:
        await execute(engine, "ANALYZE pg_temp.resolve_member, pg_temp.resolve_email")
    members = await _apply(engine, tenant_id, workspace_id, "customer_member", "resolve_member",
                           key=("connection_id", "external_id"), rest=("customer_id", "source", "matched_on"))
    keys = await _apply(engine, tenant_id, workspace_id, "customer_key", "resolve_email",
                        key=("value",), rest=("customer_id",), fixed={"kind": f"'{EMAIL}'"})
    # the metrics join these next, and the next resolution compares with them
    await analyze_if_blind(db, "customer_member", members)
    await analyze_if_blind(db, "customer_key", keys)


async def _apply(engine: Engine, tenant_id: UUID, workspace_id: UUID, table: str, new: str,
                 key: tuple[str, ...], rest: tuple[str, ...], fixed: dict[str, str] | None = None) -> int:
    """Make the workspace's rows of ``table`` equal the rows of ``new``: delete the stored rows
    that ``new`` lacks (or holds with other values), insert the rows not stored; returns how
    many rows were deleted and inserted."""
    fixed = fixed or {}
    same_key = " AND ".join([f"n.{c} = s.{c}" for c in key] + [f"s.{c} = {v}" for c, v in fixed.items()])
    same = " AND ".join(f"n.{c} = s.{c}" for c in rest)
    mine = "s.tenant_id = {} AND s.workspace_id = {}"
    deleted = await changed(engine, f"DELETE FROM {table} AS s WHERE {mine} AND NOT EXISTS (SELECT 1 "
                                    f"FROM {new} n WHERE {same_key} AND {same})", tenant_id, workspace_id)
    scope = "{}::uuid, {}::uuid" if engine.engine_type == "postgres" else "{}, {}"  # a bare parameter is text
    columns = (*fixed, *key, *rest)
    values = ", ".join([*fixed.values(), *(f"n.{c}" for c in (*key, *rest))])
    return deleted + await changed(
        engine, f"INSERT INTO {table} (tenant_id, workspace_id, {', '.join(columns)}) "
                f"SELECT {scope}, {values} FROM {new} n "
                f"WHERE NOT EXISTS (SELECT 1 FROM {table} s WHERE {mine} AND {same_key})",
        tenant_id, workspace_id, tenant_id, workspace_id)


async def members_of(db: Database, tenant_id: UUID, workspace_id: UUID, customer_id: UUID) -> list[Member]:
    """The records of one resolved customer with the kinds of key that joined each."""
    rows = await execute(db.engine, "SELECT source, connection_id, external_id, matched_on FROM "
                         "customer_member WHERE tenant_id = {} AND workspace_id = {} AND customer_id = {} "
                         "ORDER BY source, external_id", tenant_id, workspace_id, customer_id)
    return [Member(r["source"], r["connection_id"] if isinstance(r["connection_id"], UUID)
                   else UUID(str(r["connection_id"])), r["external_id"],
                   msgspec.json.decode(r["matched_on"]) if isinstance(r["matched_on"], str | bytes)
                   else list(r["matched_on"])) for r in rows]


async def read_view(db: Database, principal: Principal, workspace_id: UUID) -> CustomerView:
    """The workspace's view for a caller who may read scores (404/403 as for the workspace)."""
    async with db.transaction(principal.tenant_id, write=False):
        await load_workspace(principal, workspace_id, Action.SCORE_READ)
        return await view_of(db.engine, principal.tenant_id, workspace_id)


async def refresh_view(db: Database, principal: Principal, actor: Actor, workspace_id: UUID,
                       phone_region: str | None = None) -> CustomerView:
    """Resolve again now (with a new phone region when given), audited."""
    if phone_region is not None:
        check_region(phone_region)
    async with db.transaction(principal.tenant_id, principal.user_id):
        await load_workspace(principal, workspace_id, Action.SCORE_RUN)
        view = await resolve_workspace(db, principal.tenant_id, workspace_id, phone_region)
        await audit(principal.tenant_id, actor, "customer_view.resolved", object_type="workspace",
                     object_id=workspace_id, details={"phone_region": view.phone_region,
                                                      "records": view.summary.records,
                                                      "customers": view.summary.customers})
    return view


async def read_customer(db: Database, principal: Principal, workspace_id: UUID,
                        customer_id: UUID) -> list[Member]:
    """One resolved customer's records and why they were joined; 404 when unknown."""
    async with db.transaction(principal.tenant_id, write=False):
        await load_workspace(principal, workspace_id, Action.SCORE_READ)
        members = await members_of(db, principal.tenant_id, workspace_id, customer_id)
    if not members:
        raise NotFound("customer not found")
    return members


def check_region(region: str) -> None:
    """An empty region, or one phonenumbers knows (ISO 3166-1 alpha-2)."""
    if region and region.upper() not in phonenumbers.SUPPORTED_REGIONS:
        raise ValidationFailed("unknown phone region", problems=[FieldProblem(
            "body.phone_region", "not an ISO 3166-1 alpha-2 country code with a telephone numbering "
            "plan (for example LT, GB or US), or empty for numbers written with +")])
