"""Resolve a workspace's customer records into one customer view, and read the result.

Resolution is a whole-graph rebuild from the canonical customer records: the rows are read
once in key order, grouped in memory by :mod:`cxsuite.customers.graph`, and the old graph is
replaced in the same transaction, so readers see either the previous graph or the new one.
It runs before every score run (the metrics read it) and on demand from the API.
"""

from __future__ import annotations

import uuid
from collections import Counter
from datetime import UTC, datetime
from itertools import combinations
from typing import Any
from uuid import UUID

import msgspec
import phonenumbers
from piccolo.engine.base import Engine

from cxsuite.access.permissions import Action
from cxsuite.access.principal import Principal
from cxsuite.audit.service import Actor
from cxsuite.audit.service import record as audit
from cxsuite.customers.graph import KeyedRecord, Resolution, resolve
from cxsuite.customers.keys import EMAIL, crm_id_key, keys_of, phone_unreadable
from cxsuite.db.session import Database
from cxsuite.db.sql import execute
from cxsuite.errors import FieldProblem, NotFound, ValidationFailed
from cxsuite.workspaces.service import load as load_workspace

# Another system's id a vendor payload carries, by the system it points to. HubSpot's
# Salesforce integration writes these properties on the contacts it syncs.
CRM_REFERENCES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("salesforce", ("properties", "salesforcecontactid")),
    ("salesforce", ("properties", "salesforceleadid")),
)
NAMESPACE = uuid.UUID("6f1d3a52-51a4-4c55-9d3b-0d7c1f6a3e21")
INSERT_CHUNK = 5_000


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


def _json_path(pg: bool, path: tuple[str, ...]) -> str:
    if pg:
        return "(raw" + "".join(f" -> '{k}'" for k in path[:-1]) + f" ->> '{path[-1]}')"
    return f"json_extract(raw, '$.{'.'.join(path)}')"


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
    without ``+`` are read in it."""
    current = await view_of(db.engine, tenant_id, workspace_id)
    region = (phone_region if phone_region is not None else current.phone_region).upper()
    records, unreadable = await _keyed_records(db, tenant_id, workspace_id, region)
    resolution = resolve(records)
    summary = _summary(resolution, unreadable)
    now = datetime.now(UTC)
    await _save_view(db, tenant_id, workspace_id, region, now, summary)
    await _replace_graph(db, tenant_id, workspace_id, resolution)
    return CustomerView(workspace_id=workspace_id, phone_region=region, resolved_at=now,
                        summary=summary)


async def _keyed_records(db: Database, tenant_id: UUID, workspace_id: UUID,
                         region: str) -> tuple[list[KeyedRecord], int]:
    pg = db.is_postgres
    refs = ", ".join(f"{_json_path(pg, path)} AS ref_{i}" for i, (_, path) in enumerate(CRM_REFERENCES))
    rows = await execute(
        db.engine,
        f"SELECT connection_id, external_id, source, email, phone, web_user_id, {refs} "
        "FROM record_customer WHERE tenant_id = {} AND workspace_id = {} AND NOT archived "
        "ORDER BY source, connection_id, external_id", tenant_id, workspace_id)
    records: list[KeyedRecord] = []
    unreadable = 0
    for row in rows:
        crm_refs = {target: row[f"ref_{i}"] for i, (target, _) in enumerate(CRM_REFERENCES)
                    if row[f"ref_{i}"] and target != row["source"]}
        keys = tuple(dict.fromkeys(keys_of(
            source=row["source"], external_id=row["external_id"], email=row["email"],
            phone=row["phone"], region=region or None, crm_refs=crm_refs,
            web_user_id=row["web_user_id"])))
        unreadable += phone_unreadable(row["phone"], region or None)
        records.append(KeyedRecord(str(row["connection_id"]), row["external_id"], row["source"], keys,
                                   crm_id_key(row["source"], row["external_id"])))
    return records, unreadable


def _summary(resolution: Resolution, unreadable: int) -> ViewSummary:
    records = resolution.records
    sizes: Counter[str] = Counter()
    pairs: Counter[tuple[str, str]] = Counter()
    several = duplicates = 0
    for _, members in resolution.members():
        sizes["3+" if len(members) >= 3 else str(len(members))] += 1
        if len(members) > 1:
            several += 1
        per_source = Counter(records[i].source for i in members)
        duplicates += sum(count for count in per_source.values() if count > 1)
        for first, second in combinations(sorted(per_source), 2):
            pairs[(first, second)] += 1
    matched = Counter(kind for kinds in resolution.matched_on for kind in kinds)
    return ViewSummary(
        records=len(records), customers=len(resolution.groups), customers_in_several_records=several,
        records_by_source=dict(sorted(Counter(r.source for r in records).items())),
        customers_by_record_count=dict(sorted(sizes.items())),
        source_pairs=[SourcePair(a, b, n)
                      for (a, b), n in sorted(pairs.items(), key=lambda p: (-p[1], p[0]))],
        records_matched_by=dict(sorted(matched.items())), duplicates_within_source=duplicates,
        unreadable_phones=unreadable, ambiguous_ids=resolution.ambiguous_ids)


def customer_id_of(workspace_id: UUID, record: KeyedRecord) -> UUID:
    """A resolved customer's id: stable while its earliest record (in key order) stays."""
    return uuid.uuid5(NAMESPACE, f"{workspace_id}|{record.connection_id}|{record.external_id}")


async def _save_view(db: Database, tenant_id: UUID, workspace_id: UUID, region: str,
                     now: datetime, summary: ViewSummary) -> None:
    body = msgspec.json.encode(summary).decode()
    await execute(db.engine, "DELETE FROM customer_view WHERE tenant_id = {} AND workspace_id = {}",
                  tenant_id, workspace_id)  # cascades to the old members and keys
    await execute(db.engine, "INSERT INTO customer_view (tenant_id, workspace_id, phone_region, "
                  "resolved_at, summary) VALUES ({}, {}, {}, {}, {})",
                  tenant_id, workspace_id, region, now, body)


async def _replace_graph(db: Database, tenant_id: UUID, workspace_id: UUID,
                         resolution: Resolution) -> None:
    records = resolution.records
    ids = {root: customer_id_of(workspace_id, records[root]) for root in resolution.groups}
    members: list[tuple[Any, ...]] = []
    keys: dict[str, UUID] = {}
    for index, record in enumerate(records):
        customer = ids[resolution.group_of[index]]
        matched_on = msgspec.json.encode(sorted(resolution.matched_on[index])).decode()
        members.append((tenant_id, workspace_id, UUID(record.connection_id), record.external_id,
                        customer, record.source, matched_on))
        for kind, value in record.keys:
            if kind == EMAIL:
                keys.setdefault(value, customer)
    await _insert(db, "customer_member", ("tenant_id", "workspace_id", "connection_id", "external_id",
                                          "customer_id", "source", "matched_on"), members)
    await _insert(db, "customer_key", ("tenant_id", "workspace_id", "kind", "value", "customer_id"),
                  [(tenant_id, workspace_id, EMAIL, value, customer) for value, customer in keys.items()])


async def _insert(db: Database, table: str, columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
    """Bulk insert inside the current transaction.

    PostgreSQL refuses COPY into a table with row-level security, so the rows are copied into a
    temporary staging table and inserted from there (RLS checks each row on the way in);
    SQLite takes them through ``executemany``."""
    if not rows:
        return
    transaction = db.engine.current_transaction.get()
    assert transaction is not None, "the graph is written inside a tenant transaction"
    conn = transaction.connection
    if db.is_postgres:
        staging = f"staging_{table}"
        names = ", ".join(columns)
        await conn.execute(f"CREATE TEMP TABLE IF NOT EXISTS {staging} (LIKE {table} INCLUDING DEFAULTS) "
                           "ON COMMIT DELETE ROWS")
        await conn.copy_records_to_table(staging, records=rows, columns=list(columns))
        await conn.execute(f"INSERT INTO {table} ({names}) SELECT {names} FROM {staging}")
        await conn.execute(f"DELETE FROM {staging}")
        return
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})"
    for start in range(0, len(rows), INSERT_CHUNK):
        await conn.executemany(sql, rows[start:start + INSERT_CHUNK])


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
