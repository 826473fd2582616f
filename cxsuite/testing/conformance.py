"""The conformance suite: subclass :class:`ConnectorConformance`, provide a ``harness``
fixture returning your :class:`~cxsuite.testing.harness.VendorHarness`, and pytest runs these
tests against your connector through cxsuite's real machinery.

Example::

    import pytest
    from cxsuite.testing import ConnectorConformance

    class TestAcmeConformance(ConnectorConformance):
        @pytest.fixture
        def harness(self, acme_stand_in):
            return AcmeHarness(acme_stand_in)
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import pytest

from cxsuite.connectors.engine import SyncCancelled
from cxsuite.errors import ConnectorRateLimited, FailureClass
from cxsuite.failures import classify
from cxsuite.testing.environment import Environment, open_environment
from cxsuite.testing.harness import Fault, VendorHarness


class ConnectorConformance:
    """Behaviour every connector must show; each test starts from an empty database."""

    @pytest.fixture
    def anyio_backend(self) -> str:
        """cxsuite is asyncio-only."""
        return "asyncio"

    @pytest.fixture
    async def environment(self, harness: VendorHarness, tmp_path: Any,
                          cxsuite_kit_database: tuple[str, str] | None) -> AsyncIterator[Environment]:
        """A migrated database with one authorised connection to the stand-in."""
        async with open_environment(harness, tmp_path, cxsuite_kit_database) as env:
            yield env

    @pytest.mark.anyio
    async def test_reads_every_page_of_every_stream(self, harness: VendorHarness, environment: Environment,
                                                    ) -> None:
        """A full sync imports exactly what the vendor holds, never stopping on a short page."""
        await environment.sync()
        for stream in harness.streams():
            assert await environment.stored_ids(stream) == harness.expected_ids(stream), stream

    @pytest.mark.anyio
    async def test_resumes_from_its_checkpoint(self, harness: VendorHarness, environment: Environment,
                                               ) -> None:
        """Interrupted after its first batch, a sync resumes there and ends with every record.

        The first batch is committed on its own (``commit_rows=1``) whatever the size of the
        data, so there is always a checkpoint to resume from; a connector that reads its stream
        again from the start fails here even when the whole stream fits in one page."""
        first = harness.streams()[0]
        total = len(harness.expected_ids(first))
        assert total, f"the harness must hold records in {first!r} for the resume check"
        with pytest.raises(SyncCancelled):
            await environment.sync(cancel_after_batches=1, commit_rows=1)
        checkpoint = await environment.checkpoint(first)
        assert await environment.stored_ids(first), f"the first batch of {first!r} was not committed"
        assert checkpoint, f"the first batch of {first!r} carried no checkpoint to resume from"
        resumed = await environment.sync()
        for stream in harness.streams():
            assert await environment.stored_ids(stream) == harness.expected_ids(stream), stream
        read = resumed.per_stream[first].read
        assert read < total, (f"the resumed sync read {read} of the {total} records of {first!r}: it "
                              f"started over instead of going on from its checkpoint {checkpoint}")

    @pytest.mark.anyio
    async def test_resync_writes_no_duplicates(self, harness: VendorHarness, environment: Environment,
                                               ) -> None:
        """A second sync with no vendor change writes nothing new."""
        await environment.sync()
        before = {s: await environment.row_count(s) for s in harness.streams()}
        again = await environment.sync()
        assert again.totals.written == 0
        assert {s: await environment.row_count(s) for s in harness.streams()} == before

    @pytest.mark.anyio
    async def test_survives_rate_limits_and_server_errors(self, harness: VendorHarness,
                                                          environment: Environment) -> None:
        """429s and 5xx are retried with backoff; the data is complete afterwards."""
        harness.inject(Fault.RATE_LIMIT, 2)
        harness.inject(Fault.SERVER_ERROR, 1)
        await environment.sync()
        for stream in harness.streams():
            assert await environment.stored_ids(stream) == harness.expected_ids(stream), stream

    @pytest.mark.anyio
    async def test_retries_a_burst_of_server_errors_and_network_failures(self, harness: VendorHarness,
                                                                         environment: Environment) -> None:
        """Three 5xx in a row and two refused connections are transient: retried with backoff
        inside the client, and the data is complete afterwards."""
        if harness.connector.auth_kind == "file_upload":
            pytest.skip("a file upload makes no requests")
        harness.inject(Fault.SERVER_ERROR, 3)
        await environment.sync(network_failures=2)
        for stream in harness.streams():
            assert await environment.stored_ids(stream) == harness.expected_ids(stream), stream

    @pytest.mark.anyio
    async def test_a_spent_daily_limit_pauses_the_sync_until_it_resets(self, harness: VendorHarness,
                                                                       environment: Environment) -> None:
        """The vendor's daily-limit answer ends the sync as rate-limited, with the moment it
        resets (no retrying against a spent day); once the limit is back the sync finishes."""
        if harness.connector.auth_kind == "file_upload":
            pytest.skip("a file upload makes no requests")
        harness.inject(Fault.DAILY_LIMIT, 1)
        with pytest.raises(ConnectorRateLimited) as caught:
            await environment.sync()
        failure = classify(caught.value)
        assert failure.failure_class is FailureClass.RATE_LIMITED
        assert failure.resume_at is not None
        assert failure.resume_at > datetime.now(UTC)
        await environment.sync()
        for stream in harness.streams():
            assert await environment.stored_ids(stream) == harness.expected_ids(stream), stream

    @pytest.mark.anyio
    async def test_refreshes_an_expired_token(self, harness: VendorHarness, environment: Environment,
                                              ) -> None:
        """An access token that expires before (or during) a sync is refreshed and saved."""
        if harness.connector.auth_kind != "oauth2":
            pytest.skip("not an OAuth connector")
        before = await environment.credentials()
        harness.expire_tokens()
        await environment.sync()
        after = await environment.credentials()
        assert after["access_token"] != before["access_token"]
        stream = harness.streams()[0]
        assert await environment.stored_ids(stream) == harness.expected_ids(stream)

    @pytest.mark.anyio
    async def test_reports_malformed_records_and_keeps_the_rest(self, harness: VendorHarness,
                                                                environment: Environment) -> None:
        """A record the connector cannot map is reported with its id and reason; the rest lands."""
        harness.inject(Fault.MALFORMED_RECORD, 1)
        result = await environment.sync()
        issues = await environment.issues()
        assert result.totals.failed == len(issues) == 1
        assert issues[0]["external_id"]
        assert issues[0]["reason"]
        stored = set().union(*[await environment.stored_ids(s) for s in harness.streams()])
        expected = set().union(*[harness.expected_ids(s) for s in harness.streams()])
        assert stored == expected - {issues[0]["external_id"]}

