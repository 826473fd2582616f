"""GA4 passes the connector test kit (the same suite third-party authors run)."""

from __future__ import annotations

import pytest

from cxsuite.testing import ConnectorConformance
from tests.connectors.ga4.harness import GA4Harness


class TestGA4Conformance(ConnectorConformance):
    @pytest.fixture
    def harness(self, cxsuite_fresh_sandbox):
        return GA4Harness(cxsuite_fresh_sandbox)
