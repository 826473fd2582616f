"""Customer-data metrics (D1, D2): linking, completeness, duplicates, lifecycle coverage,
segments, sync freshness.

Snapshot metrics read the customers that existed at the end of the period (not archived,
created before its end or with no creation date). The owner is the canonical ``owner_id``
(m0012); rows synced before it existed still carry the vendor's owner field in the raw payload
(HubSpot ``properties.hubspot_owner_id``, Salesforce ``OwnerId``, Zoho ``Owner.id``), which is
read as a fallback. A field that no customer of the workspace carries is not recorded by any
source: the figures built on it are insufficient evidence, not 0 %.
"""

from __future__ import annotations

from cxsuite.scoring.inputs import MetricValue
from cxsuite.scoring.metrics.scope import (
    MetricScope,
    as_datetime,
    coverage_days,
    evidence,
    in_period,
    insufficient,
    json_list_filled,
    raw_text,
    recorded,
    scoped,
    share,
    value_of,
)

SNAPSHOT = ("FROM record_customer c WHERE " + scoped("c")
            + " AND (c.created_at IS NULL OR c.created_at < @end)")
OWNER_PATHS = (("properties", "hubspot_owner_id"), ("OwnerId",), ("Owner", "id"))
# Records that reference a customer (and, for deals, a company), with their time column.
LINKED_KINDS = (("ticket", "created_at"), ("deal", "created_at"), ("feedback", "submitted_at"),
                ("interaction", "occurred_at"))


def _filled(expression: str) -> str:
    """Non-null and not blank."""
    return f"COALESCE(trim({expression}), '') <> ''"


async def compute(scope: MetricScope) -> list[MetricValue]:
    """Every customer-data metric of the model."""
    return [await _link_rate(scope), *await _snapshot(scope), await _duplicates(scope),
            await _freshness(scope)]


def _referencing_select(kind: str, column: str) -> str:
    """One record kind's references: its connection, its customer reference and, for deals,
    whether the company reference names a company record of the same connection."""
    company = "0"
    joins = ""
    if kind == "deal":
        joins = ("LEFT JOIN record_company co ON co.tenant_id = r.tenant_id AND co.workspace_id = "
                 "r.workspace_id AND co.connection_id = r.connection_id AND co.external_id = "
                 "r.company_external_id AND NOT co.archived")
        company = "CASE WHEN co.external_id IS NULL THEN 0 ELSE 1 END"
    return (f"SELECT '{kind}' AS kind, r.{column} AS ts, r.tenant_id, r.workspace_id, r.connection_id, "
            f"r.customer_external_id AS ref, {company} AS company FROM record_{kind} r {joins} "
            f"WHERE {scoped('r')} AND {in_period('r.' + column)}")


def _linked_query() -> str:
    """Records per kind and how many of them resolve to a known customer (or company).

    A reference resolves when it names a customer record of the same connection, or when it is
    an email address of a customer in the workspace's resolved graph (survey exports and
    file imports refer to customers by address); see :mod:`cxsuite.customers`. The four kinds
    are pooled first and joined once to each graph table, on unique keys (a member per record,
    a key per address), so no row repeats and PostgreSQL hashes each table once; a correlated
    EXISTS per record probed two indexes for each of them (20 M probes at 10 M interactions)."""
    union = " UNION ALL ".join(_referencing_select(kind, column) for kind, column in LINKED_KINDS)
    return (
        "SELECT u.kind, COUNT(*) AS n, SUM(CASE WHEN m.external_id IS NOT NULL OR k.value IS NOT NULL "
        "OR u.company = 1 THEN 1 ELSE 0 END) AS hits, MIN(u.ts) AS first_at, MAX(u.ts) AS last_at "
        f"FROM ({union}) u LEFT JOIN customer_member m ON m.tenant_id = u.tenant_id AND m.workspace_id = "
        "u.workspace_id AND m.connection_id = u.connection_id AND m.external_id = u.ref "
        "LEFT JOIN customer_key k ON k.tenant_id = u.tenant_id AND k.workspace_id = u.workspace_id "
        "AND k.kind = 'email' AND k.value = lower(trim(u.ref)) GROUP BY u.kind")


async def _link_rate(scope: MetricScope) -> MetricValue:
    """Share of tickets, deals, feedback and interactions (pooled) linked to a known customer."""
    rows = await scope.query(_linked_query())
    rows.sort(key=lambda row: row["kind"])
    n, hits = sum(int(r["n"]) for r in rows), sum(int(r["hits"] or 0) for r in rows)
    first = min((str(r["first_at"]) for r in rows), default=None)
    last = max((str(r["last_at"]) for r in rows), default=None)
    refs = tuple(evidence(f"record_{r['kind']}", int(r["n"]), "records in", scope,
                          f"{int(r['hits'] or 0):,} linked") for r in rows)
    value = value_of("customer_link_rate", "percent", share(hits, n), n,
                     coverage_days=coverage_days(first, last), evidence=refs)
    if n and not (await recorded(scope, "record_customer", "1 = 1")
                  or await recorded(scope, "record_company", "1 = 1")):
        return insufficient(value, "no customer or company records to link to")
    return value


def _owner(pg: bool, alias: str) -> str:
    """The customer's owner: the canonical column, else the vendor field in the (only) raw payload."""
    return "COALESCE(" + ", ".join([f"{alias}.owner_id", *(raw_text(pg, *p) for p in OWNER_PATHS)]) + ")"


def _segment_values(pg: bool) -> str:
    """Every (customer, segment) pair: the primary ``segment`` and each entry of ``segments``."""
    elements = ("SELECT c.external_id AS who, e.value AS seg " + SNAPSHOT.replace(
        "FROM record_customer c", "FROM record_customer c CROSS JOIN "
        + ("jsonb_array_elements_text(CASE WHEN jsonb_typeof(c.segments) = 'array' THEN c.segments "
           "ELSE '[]'::jsonb END) AS e(value)" if pg else "json_each(c.segments) e"), 1))
    return f"SELECT c.external_id AS who, c.segment AS seg {SNAPSHOT} UNION ALL {elements}"


async def _snapshot(scope: MetricScope) -> list[MetricValue]:
    """Key-field completeness, lifecycle/segment coverage and segments in use."""
    pg = scope.postgres
    owner = _owner(pg, "c")
    has_segments = json_list_filled(pg, "c.segments")
    rows = await scope.query(
        f"SELECT COUNT(*) AS n, SUM(CASE WHEN {_filled('c.email')} AND {_filled('c.lifecycle_stage')} "
        f"AND {_filled(owner)} THEN 1 ELSE 0 END) AS complete, SUM(CASE WHEN "
        f"{_filled('c.lifecycle_stage')} OR {_filled('c.segment')} OR {has_segments} THEN 1 ELSE 0 "
        f"END) AS staged {SNAPSHOT}")
    segments = await scope.query(
        f"SELECT COUNT(DISTINCT lower(trim(seg))) AS segments FROM ({_segment_values(pg)}) s "
        f"WHERE {_filled('seg')}")
    row = rows[0]
    n = int(row["n"] or 0)
    ref = evidence("record_customer", n, "customers at the end of", scope)
    completeness = value_of("key_field_completeness_rate", "percent", share(row["complete"], n), n,
                            evidence=(f"{ref}, email + lifecycle stage + owner",))
    missing = [name for name, condition in (
        ("email", _filled("r.email")), ("lifecycle stage", _filled("r.lifecycle_stage")),
        ("owner", _filled(_owner(pg, "r")))) if not await recorded(scope, "record_customer", condition)]
    if n and missing:
        completeness = insufficient(completeness, f"no source records the customer {', '.join(missing)}")
    staged = value_of("lifecycle_stage_coverage_rate", "percent", share(row["staged"], n), n,
                      evidence=(f"{ref}, lifecycle stage or segment set",))
    in_use = value_of("segments_in_use_count", "count", float(segments[0]["segments"] or 0), n,
                      evidence=(f"{ref}, distinct segments assigned to customers",))
    if n and not await recorded(scope, "record_customer", f"{_filled('r.lifecycle_stage')} OR "
                                f"{_filled('r.segment')} OR {json_list_filled(pg, 'r.segments')}"):
        staged = insufficient(staged, "no source records lifecycle stages or segments")
    if n and not await recorded(scope, "record_customer",
                                f"{_filled('r.segment')} OR {json_list_filled(pg, 'r.segments')}"):
        in_use = insufficient(in_use, "no source records customer segments or lists")
    return [completeness, staged, in_use]


async def _duplicates(scope: MetricScope) -> MetricValue:
    """Share of customers that another record of the same source is also the resolved customer of.

    Over the resolved graph (:mod:`cxsuite.customers`): two CRM contacts with one email, or one
    phone in E.164, are duplicates; the same person in the CRM and in a survey export is not
    (that is fragmentation across systems, which the report shows on its own)."""
    rows = await scope.query(
        "SELECT COUNT(*) AS n, SUM(CASE WHEN copies > 1 THEN 1 ELSE 0 END) AS hits FROM ("
        "SELECT CASE WHEN m.customer_id IS NULL THEN 1 ELSE COUNT(*) OVER "
        "(PARTITION BY m.customer_id, c.source) END AS copies FROM record_customer c "
        "LEFT JOIN customer_member m ON m.tenant_id = c.tenant_id AND m.workspace_id = c.workspace_id "
        "AND m.connection_id = c.connection_id AND m.external_id = c.external_id WHERE "
        + scoped("c") + " AND (c.created_at IS NULL OR c.created_at < @end)) x")
    row = rows[0]
    n = int(row["n"] or 0)
    return value_of("duplicate_customer_rate", "percent", share(row["hits"], n), n,
                    evidence=(evidence("record_customer", n, "customers at the end of", scope,
                                       f"{int(row['hits'] or 0):,} share a resolved customer with "
                                       "another record of the same source"),))


async def _freshness(scope: MetricScope) -> MetricValue:
    """Hours since the stalest connected connection last synced, at the run's reference time."""
    rows = await scope.query(
        "SELECT COUNT(*) AS n, COUNT(last_sync_at) AS synced, MIN(last_sync_at) AS oldest FROM "
        "connection WHERE tenant_id = @tenant AND workspace_id = @ws AND status = 'connected'")
    row = rows[0]
    n, oldest = int(row["n"] or 0), as_datetime(row["oldest"])
    hours = None if oldest is None or row["synced"] < n else (scope.as_of - oldest).total_seconds() / 3600
    return value_of("sync_freshness_hours", "hours", hours, n if hours is not None else 0,
                    evidence=(f"connection: {n} connected, {int(row['synced'] or 0)} synced, "
                              f"as of {scope.as_of.isoformat()}",))
