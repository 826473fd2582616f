"""HubSpot syncs against the sandbox over real HTTP, on this run's database: incremental syncs
with more changed objects than a batch read takes, a spent daily limit, and a vendor that is
down."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from cxsuite.connectors.engine import SyncCancelled
from cxsuite.errors import ConnectorRateLimited, ConnectorTransientError, FailureClass
from cxsuite.failures import classify
from cxsuite.sandbox import Limits, RunningSandbox, running
from cxsuite.sandbox.ids import hubspot_id
from tests.connectors.hubspot.harness import HubSpotHarness
from tests.support.server import free_port

pytestmark = pytest.mark.anyio
STREAM = "feedback_submissions"


class DownHubSpot(HubSpotHarness):
    """HubSpot whose API does not answer (connection refused) once the account is connected."""

    def __init__(self, running_sandbox: RunningSandbox) -> None:
        super().__init__(running_sandbox)
        self.down_port = free_port()
        self.allowed_hosts = (*self.allowed_hosts, f"127.0.0.1:{self.down_port}")
        self.down = False

    def config(self) -> dict[str, object]:
        if self.down:
            return {"base_url": f"http://127.0.0.1:{self.down_port}/hubspot"}
        return super().config()


@pytest.fixture
def sandbox() -> RunningSandbox:
    with running(seed=29, size="small", auto_approve=True) as handle:
        yield handle


def _changed(sandbox: RunningSandbox, count: int) -> dict[str, datetime]:
    """Add ``count`` feedback submissions now; their ids and modified times."""
    sandbox.sandbox.advance(60)
    added = sandbox.sandbox.add("feedback", count)
    return {hubspot_id(STREAM, r.seq): r.updated_at for r in added}


async def test_an_incremental_sync_of_1000_changes_reads_them_in_batches_of_at_most_100(sandbox, open_env):
    """Search pages hold 200 objects; their associations are read back 100 ids at a time (the
    sandbox refuses more, with HubSpot's VALIDATION_ERROR, as HubSpot does)."""
    harness = HubSpotHarness(sandbox)
    async with open_env(harness) as env:
        await env.sync([STREAM])
        added = _changed(sandbox, 1000)
        sandbox.sandbox.clear_requests()
        result = await env.sync([STREAM])
        stored = await env.stored(STREAM)
    assert set(added) <= set(stored)
    assert set(stored) == harness.expected_ids(STREAM)
    assert result.per_stream[STREAM].failed == 0
    batches = [r for r in sandbox.sandbox.requests("hubspot") if r.path.endswith("/batch/read")]
    assert len(batches) >= 2 * 1000 // 100  # the objects' and each association's reads, chunked


async def test_an_interrupted_incremental_sync_of_1000_changes_resumes_without_losing_any(sandbox, open_env):
    harness = HubSpotHarness(sandbox)
    async with open_env(harness) as env:
        await env.sync([STREAM])
        added = _changed(sandbox, 1000)
        with pytest.raises(SyncCancelled):
            await env.sync([STREAM], commit_rows=1, cancel_after_batches=2)
        kept = set(await env.stored(STREAM)) & set(added)
        assert 0 < len(kept) < 1000
        await env.sync([STREAM])
        stored = await env.stored(STREAM)
    assert set(added) <= set(stored)


async def test_a_spent_daily_limit_pauses_the_sync_until_midnight_and_it_then_finishes(sandbox, open_env):
    harness = HubSpotHarness(sandbox)
    async with open_env(harness) as env:
        sandbox.sandbox.inject("hubspot", "daily_limit", 1)
        with pytest.raises(ConnectorRateLimited) as caught:
            await env.sync(["contacts"])
        failure = classify(caught.value)
        assert failure.failure_class is FailureClass.RATE_LIMITED
        assert failure.message == "HubSpot daily API limit reached; resumes at 00:00 UTC"
        assert failure.resume_at is not None and failure.resume_at.time().isoformat() == "00:00:00"
        assert timedelta(0) < failure.resume_at - datetime.now(UTC) <= timedelta(hours=24)
        logged = [r for r in sandbox.sandbox.requests("hubspot") if "/crm/" in r.path]
        assert len(logged) == 1  # the spent limit was not hammered
        await env.sync(["contacts"])  # the limit is back: the same sync finishes
        assert set(await env.stored("contacts")) == harness.expected_ids("contacts")


async def test_a_vendor_outage_fails_the_sync_as_transient_not_unexpected(sandbox, open_env):
    """Connection refused on every attempt: the sync ends with a retryable, named failure (it was
    an AttributeError on an empty response, reported as "unexpected error")."""
    harness = DownHubSpot(sandbox)
    async with open_env(harness) as env:
        harness.down = True
        await _reconfigure(env, harness)
        with pytest.raises(ConnectorTransientError) as caught:
            await env.sync(["contacts"])
    failure = classify(caught.value)
    assert failure.failure_class is FailureClass.TRANSIENT and failure.retryable
    assert "HubSpot could not be reached (ConnectError)" in failure.message


async def _reconfigure(env, harness) -> None:
    import json

    from cxsuite.connections.tables import Connection

    async with env.db.transaction(env.principal.tenant_id):
        await Connection.update({Connection.config: json.dumps(harness.config())}).where(
            (Connection.tenant_id == env.principal.tenant_id) & (Connection.id == env.connection_id)).run()


def test_the_sandbox_limits_default_to_hubspot_published_ones():
    limits = Limits()
    assert (limits.hubspot_per_10s, limits.hubspot_window_s, limits.hubspot_daily) == (110, 10.0, 250_000)
