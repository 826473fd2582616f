"""A search of the workspace list (``q``) on PostgreSQL: one statement that reads the tenant's
workspaces once for the page and the count of matches together, testing the lower-cased
columns the database keeps (m0023) instead of lower-casing every row with ILIKE; and it still
finds exactly what the contains-text-ignoring-case rule says, renamed workspaces included.

No index serves the search: the app role reads under row-level security, and PostgreSQL uses
only LEAKPROOF operators as index conditions there (LIKE and ILIKE are not), so the test
pins the single cheap pass, not an index."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid4

import pytest
from piccolo.querystring import QueryString

from cxsuite.db.listing import Listing, page_listed
from cxsuite.db.sql import execute
from cxsuite.tenancy.tables import Tenant
from cxsuite.workspaces import service
from cxsuite.workspaces.tables import Workspace
from tests.support.db import owner_connection

pytestmark = [pytest.mark.anyio, pytest.mark.postgres_only]

WORKSPACES = 10_000


async def _seed(db, settings, count: int) -> UUID:
    """A tenant with ``Client 1`` … ``Client <count>`` (oldest first), statistics up to date."""
    tenant = uuid4()
    async with db.transaction(tenant):
        await Tenant.insert(Tenant(id=tenant, name="Search", created_at=datetime.now(UTC))).run()
        await execute(db.engine, "INSERT INTO workspace (tenant_id, id, name, description, created_at, "
                      "updated_at) SELECT {}, gen_random_uuid(), 'Client ' || g, 'Seeded', "
                      "now() - (20000 - g) * interval '1 minute', now() FROM generate_series(1, {}) g",
                      tenant, count)
    conn = await owner_connection(settings)
    try:
        await conn.execute("ANALYZE workspace")
    finally:
        await conn.close()
    return tenant


def _scans(plan: dict[str, Any]) -> list[dict[str, Any]]:
    """Every scan node of a JSON plan."""
    found = [plan] if "Scan" in plan["Node Type"] else []
    for child in plan.get("Plans", []):
        found += _scans(child)
    return found


async def _search(db, tenant: UUID, q: str, plans: list | None = None, **page: Any) -> tuple[list[str], int]:
    """Names on the page and the total, each statement's plan recorded in ``plans``."""

    async def read(query: QueryString, _width: int) -> list[dict[str, Any]]:
        async with db.transaction(tenant, write=False):
            if plans is not None:
                plan = await execute(db.engine, "EXPLAIN (FORMAT JSON) " + query.template, *query.args)
                plans.append(json.loads(plan[0]["QUERY PLAN"])[0]["Plan"])
            return await execute(db.engine, query.template, *query.args)

    rows, total = await page_listed(Workspace, Workspace.tenant_id == tenant, service.COLUMNS, service.LIST,
                                    Listing(q=q), read=read, **{"limit": 50, "offset": 0, **page})
    return [r["name"] for r in rows], total


async def test_a_search_of_ten_thousand_workspaces_is_one_pass_over_the_folded_columns(db, settings):
    tenant = await _seed(db, settings, WORKSPACES)
    plans: list[dict[str, Any]] = []
    names, total = await _search(db, tenant, "client 99", plans)
    expected = [f"Client {n}" for n in (99, *range(990, 1000), *range(9900, 10000))]
    assert (total, names) == (111, expected[:50])
    assert len(plans) == 1, "the page and its count are one statement"
    scans = [s for s in _scans(plans[0]) if s.get("Relation Name") == "workspace"]
    assert len(scans) == 1, [s["Node Type"] for s in scans]
    assert "name_folded ~~" in scans[0]["Filter"] and "~~*" not in scans[0]["Filter"], scans[0]["Filter"]


async def test_the_folded_search_ignores_case_beyond_ascii_and_follows_renames(db, settings):
    tenant = await _seed(db, settings, 3)
    now = datetime.now(UTC)
    async with db.transaction(tenant):
        await Workspace.insert(Workspace(id=uuid4(), tenant_id=tenant, name="Zahnärzte Müller",
                                         description="ÉCOLE Straße", created_at=now, updated_at=now)).run()
        await Workspace.update({Workspace.name: "Renamed ÖL"}).where(Workspace.name == "Client 2").run()
    assert await _search(db, tenant, "ZAHNÄRZTE") == (["Zahnärzte Müller"], 1)
    assert await _search(db, tenant, "école straße") == (["Zahnärzte Müller"], 1)
    assert await _search(db, tenant, "renamed öl") == (["Renamed ÖL"], 1)
    assert await _search(db, tenant, "Client 2") == ([], 0)
    assert await _search(db, tenant, "müllerécole") == ([], 0)  # never across name and description
    assert await _search(db, tenant, "client", limit=1) == (["Client 1"], 2)
    assert await _search(db, tenant, "client", limit=1, offset=5) == ([], 2)
    async with db.transaction(tenant, write=False):
        first = await Workspace.select(Workspace.id).where(Workspace.name == "Client 1").first().run()
    assert await _search(db, tenant, "CLIENT", limit=1, after=first["id"]) == (["Client 3"], 2)
