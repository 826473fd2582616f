"""Tenant-scoped transactions: the scope is set in the same round trip as ``BEGIN``, lives
exactly as long as the transaction (never leaks to the next user of a pooled connection), and
nothing but a UUID can reach the SQL text it is written into."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import uuid4

import asyncpg
import pytest
from piccolo.querystring import QueryString

from cxsuite.db.session import POOL_MAX_SIZE, scope_sql
from cxsuite.db.sql import execute
from cxsuite.tenancy.tables import Tenant
from cxsuite.workspaces.tables import Workspace

pytestmark = pytest.mark.anyio

SETTINGS = ("SELECT coalesce(current_setting('app.tenant_id', true), '') AS tenant, "
            "coalesce(current_setting('app.user_id', true), '') AS user_id")


def test_only_uuids_reach_the_scope_sql():
    tenant = uuid4()
    assert f"'{tenant}'" in scope_sql(tenant, None)
    for forged in ("x', true); DROP TABLE workspace; --", f"{tenant}'; RESET ALL; --"):
        with pytest.raises(ValueError, match="badly formed"):
            scope_sql(forged, None)  # type: ignore[arg-type]


@pytest.mark.postgres_only
async def test_scope_is_set_inside_and_gone_after_on_every_pooled_connection(db):
    tenants = [uuid4() for _ in range(2 * POOL_MAX_SIZE)]
    for tenant in tenants:  # sequential: each pooled connection serves at least two of these
        user = uuid4()
        async with db.transaction(tenant, user):
            assert (await execute(db.engine, SETTINGS))[0] == {"tenant": str(tenant), "user_id": str(user)}
    for _ in tenants:
        async with db.transaction(None):
            assert (await execute(db.engine, SETTINGS))[0] == {"tenant": "", "user_id": ""}


@pytest.mark.postgres_only
async def test_a_transaction_that_need_not_be_durable_commits_without_waiting_for_the_disk_alone(db):
    """``durable=False`` turns ``synchronous_commit`` off for that transaction only: every
    pooled connection is back to the server's setting for the next one."""
    show = "SELECT current_setting('synchronous_commit') AS mode"
    for _ in range(2 * POOL_MAX_SIZE):
        async with db.transaction(uuid4(), durable=False):
            assert (await execute(db.engine, show))[0]["mode"] == "off"
    for _ in range(2 * POOL_MAX_SIZE):
        async with db.transaction(uuid4()):
            assert (await execute(db.engine, show))[0]["mode"] == "on"


async def test_an_error_rolls_the_transaction_back(db):
    tenant, now = uuid4(), datetime.now(UTC)

    async def doomed() -> None:
        async with db.transaction(tenant):
            await Tenant.insert(Tenant(id=tenant, name="gone", created_at=now)).run()
            await Workspace.insert(Workspace(id=uuid4(), tenant_id=tenant, name="gone",
                                             created_at=now, updated_at=now)).run()
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        await doomed()
    async with db.transaction(tenant, write=False):
        assert await Workspace.count().where(Workspace.tenant_id == tenant).run() == 0
        assert await Tenant.count().where(Tenant.id == tenant).run() == 0


async def _two_tenants_workspaces(db) -> tuple:
    """Two tenants with two workspaces each, written as each tenant (RLS checks the writes)."""
    now, made = datetime.now(UTC), []
    for _ in range(2):
        tenant = uuid4()
        async with db.transaction(tenant):
            await Tenant.insert(Tenant(id=tenant, name="t", created_at=now)).run()
            await Workspace.insert(*[Workspace(id=uuid4(), tenant_id=tenant, name=f"w{n}", created_at=now,
                                               updated_at=now) for n in range(2)]).run()
        made.append(tenant)
    return tuple(made)


@pytest.mark.postgres_only
async def test_a_scoped_read_sees_its_tenant_only_and_leaves_no_scope_on_any_pooled_connection(db):
    alice, bob = await _two_tenants_workspaces(db)
    everything = QueryString("SELECT tenant_id, current_setting('app.tenant_id', true) AS tenant, "
                             "current_setting('app.user_id', true) AS user_id FROM workspace")
    for _ in range(2 * POOL_MAX_SIZE):  # sequential: every pooled connection serves several reads
        for tenant in (alice, bob):
            user = uuid4()
            rows = await db.read(tenant, everything, 3, user_id=user)
            assert [(r["tenant_id"], r["tenant"], r["user_id"]) for r in rows] == [
                (tenant, str(tenant), str(user))] * 2
    for _ in range(2 * POOL_MAX_SIZE):
        assert (await execute(db.engine, SETTINGS))[0] == {"tenant": "", "user_id": ""}
        assert await execute(db.engine, "SELECT count(*) AS n FROM workspace") == [{"n": 0}]
    assert await db.read(None, everything, 3) == []


async def test_a_scoped_read_joins_the_open_transaction_of_its_tenant(db):
    alice, _ = await _two_tenants_workspaces(db)
    mine = QueryString("SELECT name FROM workspace WHERE tenant_id = {} ORDER BY name", alice)
    async with db.transaction(alice):
        await Workspace.insert(Workspace(id=uuid4(), tenant_id=alice, name="w9", created_at=datetime.now(UTC),
                                         updated_at=datetime.now(UTC))).run()
        assert [r["name"] for r in await db.read(alice, mine, 1)] == ["w0", "w1", "w9"]
        with pytest.raises(RuntimeError, match="cannot switch tenants"):
            await db.read(uuid4(), mine, 1)
    assert [r["name"] for r in await db.read(alice, mine, 1)] == ["w0", "w1", "w9"]


@pytest.mark.postgres_only
async def test_a_failing_scoped_read_rolls_back_and_leaves_no_scope(db):
    alice, _ = await _two_tenants_workspaces(db)
    with pytest.raises(asyncpg.DataError):
        await db.read(alice, QueryString("SELECT 1 / (length(name) - 2) AS n FROM workspace"), 1)
    for _ in range(2 * POOL_MAX_SIZE):
        assert (await execute(db.engine, SETTINGS))[0] == {"tenant": "", "user_id": ""}
