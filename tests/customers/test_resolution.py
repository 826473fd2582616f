"""Resolution over real databases: records of several sources become one customer view, and
the link and duplicate metrics are computed over it."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID, uuid4

import pytest

from cxsuite.connections.tables import Connection
from cxsuite.connectors.records import Customer, Feedback, Ticket
from cxsuite.connectors.upsert import RecordScope, upsert_records
from cxsuite.customers.service import ViewSummary, members_of, resolve_workspace, view_of
from cxsuite.db.sql import execute
from cxsuite.db.steps import recording
from tests.scoring_metrics.conftest import Workspace

pytestmark = pytest.mark.anyio
NOW = datetime(2025, 6, 1, tzinfo=UTC)


async def add_source(ws: Workspace, source: str) -> UUID:
    connection_id = uuid4()
    async with ws.db.transaction(ws.tenant_id):
        await Connection.insert(Connection(
            id=connection_id, tenant_id=ws.tenant_id, workspace_id=ws.workspace_id, connector=source,
            name=source, auth_kind="api_key", status="connected", created_at=NOW, updated_at=NOW)).run()
    return connection_id


async def write(ws: Workspace, connection_id: UUID, source: str, kind: str, records: list) -> None:
    async with ws.db.transaction(ws.tenant_id):
        await upsert_records(ws.db.engine, RecordScope(ws.tenant_id, ws.workspace_id, connection_id, source),
                             kind, records, NOW)


async def test_one_customer_view_across_a_crm_an_org_and_a_survey_export(ws):
    hubspot, salesforce, survey = [await add_source(ws, s) for s in ("hubspot", "salesforce", "survey")]
    await write(ws, hubspot, "hubspot", "customer", [
        # synced from Salesforce by HubSpot's integration: carries the 18-character contact id
        Customer(external_id="101", email="Ruta@Client.lt", raw={"properties": {
            "salesforcecontactid": "0035g00000AbCdEAAV"}}),
        Customer(external_id="102", email="jonas@client.lt"),
        Customer(external_id="103", email="JONAS@client.lt"),        # a duplicate inside HubSpot
        Customer(external_id="104", phone="8 612 34567"),             # national format: needs LT
    ])
    await write(ws, salesforce, "salesforce", "customer", [
        Customer(external_id="0035g00000AbCdE", email="ruta.b@other.lt"),  # 15-character id
        Customer(external_id="0035g00000XyZaB", phone="+370 612 34567"),
    ])
    await write(ws, survey, "survey", "feedback", [
        Feedback(external_id="r1", metric="csat", score=5, scale_min=1, scale_max=5,
                 customer_external_id="ruta@client.lt", submitted_at=NOW),
        Feedback(external_id="r2", metric="csat", score=2, scale_min=1, scale_max=5,
                 customer_external_id="stranger@else.lt", submitted_at=NOW)])

    async with ws.db.transaction(ws.tenant_id):
        view = await resolve_workspace(ws.db, ws.tenant_id, ws.workspace_id)
    summary = view.summary
    # 101~0035g..AbCdE by the Salesforce id; 102~103 by email; 104 cannot be read without a region
    assert (summary.records, summary.customers, summary.unreadable_phones) == (6, 4, 1)
    assert [(p.first, p.second, p.customers) for p in summary.source_pairs] == [("hubspot", "salesforce", 1)]
    assert summary.duplicates_within_source == 2 and summary.records_matched_by == {"crm_id": 2, "email": 2}

    async with ws.db.transaction(ws.tenant_id):
        view = await resolve_workspace(ws.db, ws.tenant_id, ws.workspace_id, "LT")
        stored = await view_of(ws.db.engine, ws.tenant_id, ws.workspace_id)
    assert stored == view and stored.phone_region == "LT"
    assert (view.summary.customers, view.summary.unreadable_phones) == (3, 0)
    assert [(p.first, p.second, p.customers) for p in view.summary.source_pairs] == [("hubspot", "salesforce", 2)]

    async with ws.db.transaction(ws.tenant_id, write=False):
        rows = await execute(ws.db.engine, "SELECT customer_id FROM customer_member WHERE "
                             "tenant_id = {} AND external_id = {}", ws.tenant_id, "104")
        members = await members_of(ws.db, ws.tenant_id, ws.workspace_id, rows[0]["customer_id"])
    assert {(m.source, m.external_id, tuple(m.matched_on)) for m in members} == {
        ("hubspot", "104", ("phone",)), ("salesforce", "0035g00000XyZaB", ("phone",))}


async def test_link_and_duplicate_rates_read_the_resolved_graph(ws):
    survey = await add_source(ws, "survey")
    await ws.write("customer", [Customer(external_id="c1", email="ann@x.com"),
                                Customer(external_id="c2", email="Ann@X.com"),
                                Customer(external_id="c3", email="bo@x.com")])
    await ws.write("ticket", [Ticket(external_id="t1", created_at=NOW, customer_external_id="c3")])
    await write(ws, survey, "survey", "feedback", [
        Feedback(external_id="r1", metric="csat", score=4, scale_min=1, scale_max=5,
                 customer_external_id=" ANN@x.com", submitted_at=NOW),   # linked through the address
        Feedback(external_id="r2", metric="csat", score=4, scale_min=1, scale_max=5,
                 customer_external_id="nobody@x.com", submitted_at=NOW)])
    link = await ws.metric("customer_link_rate")
    assert (link.value, link.n) == (pytest.approx(200 / 3), 3)
    duplicates = await ws.metric("duplicate_customer_rate")
    assert (duplicates.value, duplicates.n) == (pytest.approx(200 / 3), 3)


async def test_resolving_again_changes_only_what_changed_and_drops_what_is_gone(ws):
    await ws.write("customer", [Customer(external_id="c1", email="ann@x.com"),
                                Customer(external_id="c2", email="Ann@X.com"),
                                Customer(external_id="c3", email="bo@x.com")])

    async def graph() -> tuple[set, set]:
        async with ws.db.transaction(ws.tenant_id):
            await resolve_workspace(ws.db, ws.tenant_id, ws.workspace_id)
            members = await execute(ws.db.engine, "SELECT external_id, customer_id, matched_on FROM "
                                    "customer_member WHERE tenant_id = {}", ws.tenant_id)
            keys = await execute(ws.db.engine, "SELECT value, customer_id FROM customer_key WHERE "
                                 "tenant_id = {}", ws.tenant_id)
        return ({(m["external_id"], str(m["customer_id"]), str(m["matched_on"]).replace(" ", ""))
                 for m in members}, {(k["value"], str(k["customer_id"])) for k in keys})

    first = await graph()
    assert await graph() == first  # nothing changed, nothing differs
    members, keys = first
    assert len(members) == 3 and {v for v, _ in keys} == {"ann@x.com", "bo@x.com"}
    async with ws.db.transaction(ws.tenant_id):
        await execute(ws.db.engine, "UPDATE record_customer SET archived = {} WHERE tenant_id = {} AND "
                      "external_id IN ('c1', 'c3')", True, ws.tenant_id)
    members, keys = await graph()
    assert [(ext, matched) for ext, _, matched in members] == [("c2", "[]")]
    assert {v for v, _ in keys} == {"ann@x.com"} and {c for _, c in keys} == {c for _, c, _ in members}


async def test_a_resolution_over_unchanged_keys_groups_nothing_and_a_change_groups_again(ws):
    await ws.write("customer", [Customer(external_id="c1", email="ann@x.com"),
                                Customer(external_id="c2", email="ANN@x.com")])

    async def resolve() -> tuple[ViewSummary, list[str]]:
        with recording() as log:
            async with ws.db.transaction(ws.tenant_id):
                view = await resolve_workspace(ws.db, ws.tenant_id, ws.workspace_id)
        return view.summary, [s.name for s in log.steps]

    first, steps = await resolve()
    assert "resolution: group" in steps and (first.records, first.customers) == (2, 1)
    again, steps = await resolve()
    assert "resolution: group" not in steps and again == first
    await ws.write("customer", [Customer(external_id="c3", email="bo@x.com")])
    third, steps = await resolve()
    assert "resolution: group" in steps and (third.records, third.customers) == (3, 2)
