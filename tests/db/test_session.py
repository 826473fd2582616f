"""Tenant-scoped transactions: the scope is set in the same round trip as ``BEGIN``, lives
exactly as long as the transaction (never leaks to the next user of a pooled connection), and
nothing but a UUID can reach the SQL text it is written into."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import uuid4

import pytest

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
