"""The sync engine against the real database: batches, idempotent upserts, checkpoints,
resumption after a crash, reported bad records and cancellation."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from cxsuite.connectors import BaseConnector, Batch, ConnectorContext, RecordError, StreamSpec
from cxsuite.connectors.engine import SyncCancelled, SyncEngine
from cxsuite.connectors.records import Customer, Ticket
from cxsuite.connectors.upsert import RecordScope
from cxsuite.db.session import Database
from cxsuite.db.sql import execute
from tests.support.records import make_connection_owner

pytestmark = pytest.mark.anyio

T0 = datetime(2026, 1, 1, tzinfo=UTC)


class PagedConnector(BaseConnector):
    """A connector over an in-memory vendor: pages of ``page_size``, optional crash point."""

    key = "paged"
    display_name = "Paged"
    auth_kind = "api_key"
    streams = (StreamSpec("contacts", "customer"), StreamSpec("tickets", "ticket"))

    def __init__(self, context: ConnectorContext, vendor: dict[str, list[dict]], page_size: int = 3,
                 crash_after_pages: int | None = None) -> None:
        super().__init__(context)
        self.vendor, self.page_size, self.crash_after = vendor, page_size, crash_after_pages
        self.pages_served = 0
        self.events: list[str] = []  # "read N" as page N is fetched, "closed" when the read ends
        self.closed = False

    async def read(self, stream: str, checkpoint: dict[str, Any] | None) -> AsyncIterator[Batch]:
        rows = self.vendor[stream]
        start = checkpoint["offset"] if checkpoint else 0
        try:
            for offset in range(start, len(rows), self.page_size):
                if self.crash_after is not None and self.pages_served >= self.crash_after:
                    raise ConnectionResetError("vendor went away")
                self.pages_served += 1
                self.events.append(f"read {self.pages_served}")
                page = rows[offset:offset + self.page_size]
                yield Batch(self._map(stream, page), {"offset": offset + len(page)},
                            [RecordError(r["id"], "created date is not a date", str(r)) for r in page
                             if "bad" in r], total=len(rows))
        finally:
            self.closed = True

    @staticmethod
    def _map(stream: str, page: list[dict]) -> list[Any]:
        if stream == "contacts":
            return [Customer(external_id=r["id"], email=r["email"], updated_at=r["updated"],
                             archived=r.get("archived", False)) for r in page if "bad" not in r]
        return [Ticket(external_id=r["id"], channel="email", created_at=r["updated"],
                       updated_at=r["updated"]) for r in page if "bad" not in r]


def vendor_data(n_contacts: int = 10, n_tickets: int = 7) -> dict[str, list[dict]]:
    contacts = [{"id": str(i), "email": f"c{i}@example.test", "updated": T0 + timedelta(hours=i)}
                for i in range(n_contacts)]
    tickets = [{"id": f"t{i}", "updated": T0 + timedelta(minutes=i)} for i in range(n_tickets)]
    return {"contacts": contacts, "tickets": tickets}


@pytest.fixture
async def scope(db) -> RecordScope:
    tenant_id, workspace_id, connection_id = await make_connection_owner(db)
    return RecordScope(tenant_id, workspace_id, connection_id, "paged")


async def snapshot(db: Database, scope: RecordScope) -> dict[str, list[tuple]]:
    out = {}
    async with db.transaction(scope.tenant_id, write=False):
        for table, cols in (("record_customer", "external_id, email"),
                            ("record_ticket", "external_id, channel")):
            rows = await execute(db.engine, f"SELECT {cols} FROM {table} WHERE tenant_id = {{}} "
                                            "ORDER BY external_id", scope.tenant_id)
            out[table] = [tuple(r.values()) for r in rows]
    return out


def engine_for(db, scope, vendor, **kwargs) -> SyncEngine:
    """An engine committing every batch on its own, so tests can count committed pages."""
    connector = PagedConnector(ConnectorContext(config=None, http=None), vendor, **kwargs)
    return SyncEngine(db, scope, connector, commit_rows=1)


async def test_full_sync_then_unchanged_resync_writes_nothing(db, scope):
    vendor = vendor_data()
    first = await engine_for(db, scope, vendor).run()
    assert first.totals.as_dict() == {"read": 17, "written": 17, "skipped": 0, "failed": 0}
    # A new engine, as on the next scheduled run, starting again from scratch.
    await _forget_checkpoints(db, scope)
    second = await engine_for(db, scope, vendor).run()
    assert second.totals.written == 0
    assert second.totals.skipped == 17
    assert len((await snapshot(db, scope))["record_customer"]) == 10


async def test_crash_mid_sync_then_resume_equals_uninterrupted(db, scope, settings):
    vendor = vendor_data()
    with pytest.raises(ConnectionResetError):
        await engine_for(db, scope, vendor, crash_after_pages=2).run()
    partial = await snapshot(db, scope)
    assert len(partial["record_customer"]) == 6  # two committed pages of three
    resumed = engine_for(db, scope, vendor)
    await resumed.run()
    assert resumed.connector.pages_served == 2 + 3  # resumed at page 3 of contacts, no re-read

    other = await make_connection_owner(db)
    other_scope = RecordScope(*other, "paged")
    await engine_for(db, other_scope, vendor).run()
    expected = await snapshot(db, other_scope)
    assert await snapshot(db, scope) == expected


async def test_bad_records_are_reported_and_the_rest_of_the_batch_lands(db, scope):
    vendor = vendor_data(n_contacts=5)
    vendor["contacts"][1] = {"id": "1", "bad": True}
    result = await engine_for(db, scope, vendor).run(["contacts"])
    assert result.totals.failed == 1
    assert [r[0] for r in (await snapshot(db, scope))["record_customer"]] == ["0", "2", "3", "4"]
    async with db.transaction(scope.tenant_id, write=False):
        issues = await execute(db.engine, "SELECT external_id, reason FROM sync_issue WHERE tenant_id = {}",
                               scope.tenant_id)
    assert issues == [{"external_id": "1", "reason": "created date is not a date"}]


async def test_cancellation_stops_at_a_batch_boundary_and_keeps_committed_batches(db, scope):
    calls = 0

    async def cancel_after_second_batch() -> bool:
        nonlocal calls
        calls += 1
        return calls >= 2

    engine = engine_for(db, scope, vendor_data())
    engine.cancelled = cancel_after_second_batch
    with pytest.raises(SyncCancelled):
        await engine.run()
    assert len((await snapshot(db, scope))["record_customer"]) == 6


async def test_a_changed_vendor_record_is_rewritten(db, scope):
    vendor = vendor_data(n_contacts=3, n_tickets=0)
    await engine_for(db, scope, vendor).run(["contacts"])
    vendor["contacts"][2] = {**vendor["contacts"][2], "email": "new@example.test",
                             "updated": T0 + timedelta(days=9)}
    await _forget_checkpoints(db, scope)
    result = await engine_for(db, scope, vendor).run(["contacts"])
    assert (result.totals.written, result.totals.skipped) == (1, 2)
    assert ("2", "new@example.test") in (await snapshot(db, scope))["record_customer"]


async def _forget_checkpoints(db: Database, scope: RecordScope) -> None:
    async with db.transaction(scope.tenant_id):
        await execute(db.engine, "DELETE FROM sync_checkpoint WHERE tenant_id = {}", scope.tenant_id)


async def test_batches_are_grouped_into_commits_without_changing_the_result(db, scope):
    vendor = vendor_data(n_contacts=10, n_tickets=0)
    commits = 0

    async def count_commits() -> bool:
        nonlocal commits
        commits += 1
        return False

    connector = PagedConnector(ConnectorContext(config=None, http=None), vendor, page_size=2)
    engine = SyncEngine(db, scope, connector, cancelled=count_commits, commit_rows=4)
    result = await engine.run(["contacts"])
    assert result.totals.written == 10
    assert commits == 3  # pages of 2 grouped by 4 records: 4 + 4 + 2
    assert await engine.load_checkpoint("contacts") == {"offset": 10}


async def test_the_next_page_is_read_while_a_batch_is_written_and_never_more_than_one_ahead(db, scope):
    vendor = vendor_data(n_contacts=12, n_tickets=0)
    engine = engine_for(db, scope, vendor)
    events = engine.connector.events

    commits = 0

    async def committed() -> bool:
        nonlocal commits
        commits += 1
        events.append(f"committed {commits}")
        return False

    engine.cancelled = committed
    result = await engine.run(["contacts"])
    assert result.totals.written == 12
    # Page 2 is fetched before page 1's commit ends (read-ahead); page 3 only after it
    # (back-pressure: one group waits, one is written).
    assert events.index("read 2") < events.index("committed 1") < events.index("read 3")
    assert events.index("committed 2") < events.index("read 4")
    assert await engine.load_checkpoint("contacts") == {"offset": 12}


async def test_a_failed_write_stops_the_reading_and_keeps_the_committed_batches(db, scope):
    vendor = vendor_data(n_contacts=15, n_tickets=0)
    vendor["contacts"][7]["archived"] = None  # NOT NULL on both databases: page 3 cannot be written
    engine = engine_for(db, scope, vendor)
    with pytest.raises(Exception, match=r"(?i)null"):  # the driver's own error, as before
        await engine.run(["contacts"])
    assert [r[0] for r in (await snapshot(db, scope))["record_customer"]] == [str(i) for i in range(6)]
    assert await engine.load_checkpoint("contacts") == {"offset": 6}
    assert engine.connector.closed  # the read-ahead was stopped and the connector's read closed
    assert engine.connector.pages_served <= 4  # the failed page and at most one ahead of it
