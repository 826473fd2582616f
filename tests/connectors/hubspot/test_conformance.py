"""HubSpot passes the connector test kit (the same suite third-party authors run)."""

from __future__ import annotations

import pytest

from cxsuite.testing import ConnectorConformance
from tests.connectors.hubspot.harness import HubSpotHarness


class TestHubSpotConformance(ConnectorConformance):
    @pytest.fixture
    def harness(self, cxsuite_fresh_sandbox):
        return HubSpotHarness(cxsuite_fresh_sandbox)
