"""Row-level security as the second wall: the app's own database role, querying without the
tenant setting, sees no tenant rows at all; with tenant A's setting, only A's."""

from __future__ import annotations

import pytest

from tests.support.db import app_connection

pytestmark = [pytest.mark.anyio, pytest.mark.postgres_only]


async def tenant_tables(conn) -> list[str]:
    rows = await conn.fetch("SELECT table_name FROM information_schema.columns WHERE column_name = 'tenant_id' "
                            "AND table_schema = 'public'")
    return sorted({r["table_name"] for r in rows} | {"tenant"})


async def test_raw_queries_without_the_tenant_setting_see_nothing(client, parties, settings):
    alice, bob = await parties.owner(), await parties.owner()
    for owner in (alice, bob):
        workspace = await parties.workspace(owner)
        await parties.project(owner, workspace)
        await parties.client_user(owner, workspace, "client_viewer")
    conn = await app_connection(settings)
    try:
        tables = await tenant_tables(conn)
        assert {"workspace", "project", "api_token", "audit_event"} <= set(tables)
        for table in tables:
            assert await conn.fetchval(f"SELECT count(*) FROM {table}") == 0, table
        async with conn.transaction():
            await conn.execute("SELECT set_config('app.tenant_id', $1, true)", alice.tenant_id)
            seen = {r["tenant_id"] for r in await conn.fetch("SELECT DISTINCT tenant_id FROM workspace")}
            assert {str(t) for t in seen} == {alice.tenant_id}
            assert await conn.fetchval("SELECT count(*) FROM audit_event") > 0
            assert await conn.fetchval(
                "SELECT count(*) FROM audit_event WHERE tenant_id::text = $1", bob.tenant_id) == 0
    finally:
        await conn.close()


async def test_a_forged_tenant_id_cannot_be_written_under_another_tenants_setting(client, parties, settings):
    import asyncpg

    alice, bob = await parties.owner(), await parties.owner()
    conn = await app_connection(settings)
    try:
        async with conn.transaction():
            await conn.execute("SELECT set_config('app.tenant_id', $1, true)", alice.tenant_id)
            with pytest.raises(asyncpg.InsufficientPrivilegeError):
                await conn.execute(
                    "INSERT INTO workspace (tenant_id, id, name, created_at, updated_at) "
                    "VALUES ($1::uuid, gen_random_uuid(), 'planted', now(), now())", bob.tenant_id)
    finally:
        await conn.close()
