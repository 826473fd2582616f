"""Upserts of canonical records against the real database: what counts as written, a second
batch of the same kind in one transaction, and row-level security on the merge (PostgreSQL
takes the rows through a temporary staging table, which has no policy of its own)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from cxsuite.connectors.records import Customer, Deal
from cxsuite.connectors.upsert import RecordScope, upsert_records
from cxsuite.db.session import Database
from cxsuite.db.sql import execute
from tests.support.records import make_connection_owner

pytestmark = pytest.mark.anyio

T0 = datetime(2026, 1, 1, tzinfo=UTC)


async def _scope(db: Database) -> RecordScope:
    return RecordScope(*await make_connection_owner(db), "paged")


async def _emails(db: Database, scope: RecordScope) -> dict[str, str]:
    async with db.transaction(scope.tenant_id, write=False):
        rows = await execute(db.engine, "SELECT external_id, email FROM record_customer WHERE tenant_id = {}",
                             scope.tenant_id)
    return {r["external_id"]: r["email"] for r in rows}


def _customer(external_id: str, email: str, hours: int = 0) -> Customer:
    return Customer(external_id=external_id, email=email, updated_at=T0 + timedelta(hours=hours),
                    raw={"id": external_id, "nested": {"b": 1, "a": [1, 2]}})


async def test_written_counts_new_and_changed_rows_only_and_older_versions_lose(db):
    scope = await _scope(db)
    async with db.transaction(scope.tenant_id):
        first = await upsert_records(db.engine, scope, "customer",
                                     [_customer("1", "a@x.test"), _customer("2", "b@x.test"),
                                      _customer("1", "a2@x.test", hours=1)], T0)
    assert (first.written, first.skipped) == (2, 1)  # "1" twice in one batch: the later one counts
    async with db.transaction(scope.tenant_id):
        again = await upsert_records(db.engine, scope, "customer",
                                     [_customer("1", "a2@x.test", hours=1),  # unchanged
                                      _customer("2", "old@x.test", hours=-5),  # older than stored
                                      _customer("3", "c@x.test")], T0)
    assert (again.written, again.skipped) == (1, 2)
    assert await _emails(db, scope) == {"1": "a2@x.test", "2": "b@x.test", "3": "c@x.test"}


async def test_two_batches_of_one_kind_in_one_transaction_do_not_see_each_other(db):
    scope = await _scope(db)
    async with db.transaction(scope.tenant_id):
        first = await upsert_records(db.engine, scope, "customer",
                                     [_customer("1", "a@x.test"), _customer("2", "b@x.test")], T0)
        second = await upsert_records(db.engine, scope, "customer",
                                      [_customer("2", "b2@x.test", hours=1), _customer("3", "c@x.test")], T0)
        deals = await upsert_records(db.engine, scope, "deal", [Deal(
            external_id="d", stage_history=[{"stage": "won", "at": "2026-01-02"}])], T0)
    assert (first.written, second.written, second.skipped, deals.written) == (2, 2, 0, 1)
    assert await _emails(db, scope) == {"1": "a@x.test", "2": "b2@x.test", "3": "c@x.test"}


@pytest.mark.postgres_only
async def test_row_level_security_refuses_a_batch_for_another_tenant(db):
    mine, theirs = await _scope(db), await _scope(db)
    async with db.transaction(theirs.tenant_id):
        await upsert_records(db.engine, theirs, "customer", [_customer("1", "theirs@x.test")], T0)
    for batch in ([_customer("1", "overwritten@x.test", hours=1)], [_customer("9", "planted@x.test")]):
        with pytest.raises(Exception, match="row-level security"):
            async with db.transaction(mine.tenant_id):  # tenant A's transaction, tenant B's rows
                await upsert_records(db.engine, theirs, "customer", batch, T0)
    assert await _emails(db, theirs) == {"1": "theirs@x.test"}
    assert await _emails(db, mine) == {}
