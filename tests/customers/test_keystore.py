"""The key store: a record's keys are normalised once per version (and region, when it has a
phone), so a resolution over unchanged records keys nothing and stale keys disappear."""

from __future__ import annotations

import pytest

from cxsuite.connectors.records import Customer
from cxsuite.customers.keystore import refresh_keys
from cxsuite.customers.service import resolve_workspace
from cxsuite.db.sql import execute

pytestmark = pytest.mark.anyio


async def refresh(ws, region: str = "") -> int:
    async with ws.db.transaction(ws.tenant_id):
        return await refresh_keys(ws.db, ws.tenant_id, ws.workspace_id, region)


async def stored(ws) -> set[tuple[str, str, str]]:
    async with ws.db.transaction(ws.tenant_id, write=False):
        rows = await execute(ws.db.engine, "SELECT external_id, kind, value FROM customer_match_key "
                             "WHERE tenant_id = {}", ws.tenant_id)
    return {(r["external_id"], r["kind"], r["value"]) for r in rows}


async def test_only_new_changed_or_region_dependent_records_are_keyed_again(ws):
    await ws.write("customer", [Customer(external_id="c1", email="Ann@X.com"),
                                Customer(external_id="c2", phone="8 612 34567"),
                                Customer(external_id="c3", email="bo@x.com")])
    assert await refresh(ws) == 3
    assert await refresh(ws) == 0  # nothing changed: nothing passes through Python
    assert await stored(ws) == {("c1", "email", "ann@x.com"), ("c3", "email", "bo@x.com")}

    await ws.write("customer", [Customer(external_id="c1", email="ann@y.com")])
    assert await refresh(ws) == 1
    assert ("c1", "email", "ann@x.com") not in await stored(ws)
    assert await refresh(ws, "LT") == 1  # only c2 has a phone: only its keys depend on the region
    assert ("c2", "phone", "+37061234567") in await stored(ws)

    async with ws.db.transaction(ws.tenant_id):
        await execute(ws.db.engine, "UPDATE record_customer SET archived = {} WHERE tenant_id = {} AND "
                      "external_id = 'c3'", True, ws.tenant_id)
    assert await refresh(ws, "LT") == 0
    assert {ext for ext, _, _ in await stored(ws)} == {"c1", "c2"}


async def test_a_resolution_catches_the_store_up_before_grouping(ws):
    await ws.write("customer", [Customer(external_id="c1", email="ann@x.com")])
    assert await refresh(ws) == 1
    await ws.write("customer", [Customer(external_id="c2", email="ANN@x.com")])  # not keyed yet
    async with ws.db.transaction(ws.tenant_id):
        view = await resolve_workspace(ws.db, ws.tenant_id, ws.workspace_id)
    assert (view.summary.records, view.summary.customers) == (2, 1)
    assert await refresh(ws) == 0
