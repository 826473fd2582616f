"""The cxsuite sandbox's GA4 stand-in as a conformance-suite harness, and the helpers the GA4
tests share: expected rows straight from the sandbox's world."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from typing import Any

from cxsuite_ga4.connector import GA4Connector
from cxsuite_ga4.service_account import GA4ServiceAccountConnector

from cxsuite.sandbox import RunningSandbox
from cxsuite.sandbox.web import WebMetricRow
from cxsuite.testing import Fault
from tests.connectors.sandbox_harness import SandboxHarness

STREAM = "web_metrics"
# Short synced windows keep the tests fast: ten days of the world's traffic, small pages.
DAYS = 10
PAGE = 100


def row_id(row: WebMetricRow) -> str:
    """The external id GA4's dimension tuple gives a row (written out here, not imported from
    the connector, so the test checks the connector's ids rather than repeating them)."""
    return f"{row.day:%Y%m%d}|{row.channel_group}|{row.device}|{row.landing_page}|{row.visitor}"


class GA4Harness(SandboxHarness):
    """GA4 served by the sandbox; ``overrides`` change the connection config (property,
    dates, page size), ``today`` pins the last day the connector reads."""

    connector = GA4Connector
    vendor = "ga4"

    def __init__(self, running: RunningSandbox, today: date | None = None, **overrides: Any) -> None:
        super().__init__(running, **overrides)
        self.today = today

    @property
    def world_end(self) -> date:
        """The last day the sandbox's world has traffic for."""
        return max(r.day for r in self.running.sandbox.world.web)

    def config(self) -> dict[str, Any]:
        start = self.world_end - timedelta(days=DAYS - 1)
        return {"base_url": self.running.base_url, "property_id": self.running.sandbox.ga4_property_id,
                "start_date": start.isoformat(), "page_size": PAGE, **self.overrides}

    def last_day(self) -> date:
        """The connector's "today": pinned, or the UTC date."""
        return self.today or datetime.now(UTC).date()

    def rows(self, first: date | None = None, last: date | None = None) -> list[WebMetricRow]:
        """The world's rows between two days (default: the synced window)."""
        first = first or date.fromisoformat(self.config()["start_date"])
        last = last or self.last_day()
        return [r for r in self.running.sandbox.world.web if first <= r.day <= last]

    def expected_ids(self, stream: str) -> set[str]:
        return ids_of(self.rows())

    def inject(self, fault: Fault, count: int = 1) -> None:
        # A throttle that says when to come back; a spent quota (no Retry-After) defers the
        # whole sync instead, which tests/connectors/ga4/test_sync.py checks on its own.
        retry_after = 1 if fault is Fault.RATE_LIMIT else None
        self.running.sandbox.inject("ga4", fault.value, count, retry_after=retry_after)


class GA4ServiceAccountHarness(GA4Harness):
    """The same stand-in, connected with the sandbox's service-account key file."""

    connector = GA4ServiceAccountConnector

    def service_account_key(self) -> dict[str, Any]:
        return self.running.service_account_key()


def ids_of(rows: Iterable[WebMetricRow]) -> set[str]:
    """External ids of world rows."""
    return {row_id(r) for r in rows}
