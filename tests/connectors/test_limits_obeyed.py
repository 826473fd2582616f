"""Syncs at full speed against stand-ins that enforce their vendor's published limits are never
refused: the request budget sends at most the limit in any window.

HubSpot's burst limit (110 requests per rolling 10 s for OAuth apps; the connector budgets 100)
is scaled to 6 per half second against a budget of 5 per half second, so a sync of the small
world crosses many windows in a few seconds. The same sync with no budget is refused, which shows the
stand-in really enforces the limit. Salesforce's daily API requests and Zoho's credits are
enforced at their published numbers."""

from __future__ import annotations

import pytest
from cxsuite_hubspot.connector import HubSpotConnector

from cxsuite.connectors import BaseConnector
from cxsuite.sandbox import Limits, RunningSandbox, running
from tests.connectors.hubspot.harness import HubSpotHarness
from tests.connectors.salesforce.harness import SalesforceHarness
from tests.connectors.zoho.harness import ZohoHarness

pytestmark = pytest.mark.anyio


class BudgetedHubSpot(HubSpotConnector):
    """HubSpot with its budget scaled like the stand-in's limit (5 of 6 per half second)."""

    rate_limit = (5, 0.5)


class UnbudgetedHubSpot(HubSpotConnector):
    """HubSpot with no request budget at all: the control."""

    rate_limit = None


def _harness(connector: type[BaseConnector]) -> type[HubSpotHarness]:
    class Harness(HubSpotHarness):
        pass

    Harness.connector = connector  # type: ignore[misc]
    return Harness


@pytest.fixture
def enforcing() -> RunningSandbox:
    limits = Limits(enforce_rate_limits=True, hubspot_per_10s=6, hubspot_window_s=0.5)
    with running(seed=31, size="small", auto_approve=True, limits=limits) as handle:
        yield handle


async def test_a_full_speed_hubspot_sync_is_never_refused(enforcing, open_env):
    harness = _harness(BudgetedHubSpot)(enforcing)
    async with open_env(harness) as env:
        served_before = enforcing.sandbox.usage.daily["hubspot"]
        await env.sync()
        for stream in harness.streams():
            assert await env.stored_ids(stream) == harness.expected_ids(stream), stream
    served = enforcing.sandbox.usage.daily["hubspot"] - served_before
    assert served >= 4 * 6  # the sync spanned many windows of the limit
    assert enforcing.sandbox.usage.refused["hubspot"] == 0


async def test_without_a_budget_the_same_sync_is_refused(enforcing, open_env):
    """The control: the stand-in refuses what HubSpot would (and the client rides it out)."""
    harness = _harness(UnbudgetedHubSpot)(enforcing)
    async with open_env(harness) as env:
        await env.sync()
        for stream in harness.streams():
            assert await env.stored_ids(stream) == harness.expected_ids(stream), stream
    assert enforcing.sandbox.usage.refused["hubspot"] > 0


@pytest.mark.parametrize(("vendor", "make"), [("salesforce", SalesforceHarness), ("zoho", ZohoHarness)])
async def test_published_daily_allowances_are_enforced_and_a_sync_stays_inside_them(vendor, make, open_env):
    with running(seed=37, size="small", auto_approve=True, limits=Limits(enforce_rate_limits=True)) as sb:
        harness = make(sb)
        async with open_env(harness) as env:
            await env.sync()
            for stream in harness.streams():
                assert await env.stored_ids(stream) == harness.expected_ids(stream), stream
        assert sb.sandbox.usage.daily[vendor] > 0
        assert sb.sandbox.usage.refused[vendor] == 0
