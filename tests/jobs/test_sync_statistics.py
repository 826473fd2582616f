"""A sync that wrote many records refreshes the planner statistics of the tables it wrote
(PostgreSQL), so the first scoring run after an import plans with real row counts. The app
role owns no table and may not ANALYZE directly; the sync goes through the migration's
SECURITY DEFINER function."""

from __future__ import annotations

import asyncio

import pytest

from tests.jobs.test_sync_jobs_api import connected_hubspot
from tests.support.db import app_connection, owner_connection
from tests.support.jobs import finished_job

pytestmark = [pytest.mark.anyio, pytest.mark.postgres_only]


async def analyzed(settings, tenant_id: str = "") -> dict[str, tuple]:
    """Per record table: when it was last analyzed by hand, the row count the planner believes,
    and the rows it really holds."""
    conn = await owner_connection(settings)
    try:
        await conn.execute("SELECT set_config('app.tenant_id', $1, false)", tenant_id)  # RLS binds the owner too
        rows = await conn.fetch("SELECT s.relname, s.last_analyze, c.reltuples FROM pg_stat_user_tables s "
                                "JOIN pg_class c ON c.oid = s.relid WHERE s.relname LIKE 'record\\_%'")
        counts = {r["relname"]: await conn.fetchval(f"SELECT count(*) FROM {r['relname']}") for r in rows}
    finally:
        await conn.close()
    return {r["relname"]: (r["last_analyze"], r["reltuples"], counts[r["relname"]]) for r in rows}


async def test_a_bulk_sync_leaves_fresh_statistics_on_the_tables_it_wrote(client, parties, settings,
                                                                          cxsuite_sandbox):
    before = await analyzed(settings)
    owner, connection_id = await connected_hubspot(client, parties, settings, cxsuite_sandbox)
    job = (await client.post(f"/api/v1/connections/{connection_id}/sync", headers=owner.headers)).json()
    assert (await finished_job(client, owner.headers, job["id"]))["status"] == "succeeded"
    for _ in range(50):  # statistics reach pg_stat_user_tables within a second or so
        after = await analyzed(settings, owner.tenant_id)
        if after["record_customer"][0] != before["record_customer"][0]:
            break
        await asyncio.sleep(0.1)
    for table in ("record_customer", "record_deal", "record_ticket", "record_interaction", "record_feedback"):
        last_analyze, planner_rows, rows = after[table]
        assert last_analyze is not None and last_analyze != before[table][0], table
        assert planner_rows == rows > 0, table
    assert after["record_web_metric"][0] == before["record_web_metric"][0]  # HubSpot writes none
    assert after["record_company"][0] == before["record_company"][0]  # 50 companies: left to autovacuum


async def test_the_app_role_cannot_analyze_a_table_itself(settings):
    conn = await app_connection(settings)
    warnings = []
    conn.add_log_listener(lambda _, message: warnings.append(message.message))
    try:
        await conn.execute("ANALYZE record_customer")
        count = await conn.fetchval("SELECT cxsuite_analyze_records(ARRAY['record_customer', 'app_user'])")
    finally:
        await conn.close()
    assert count == 1  # record tables only, whatever the caller names
    assert any("only table or database owner can analyze it" in w for w in warnings), warnings
