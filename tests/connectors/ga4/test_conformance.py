"""GA4 passes the connector test kit (the same suite third-party authors run), with OAuth and
with a service account."""

from __future__ import annotations

import pytest

from cxsuite.testing import ConnectorConformance
from tests.connectors.ga4.harness import GA4Harness, GA4ServiceAccountHarness


class TestGA4Conformance(ConnectorConformance):
    @pytest.fixture
    def harness(self, cxsuite_fresh_sandbox):
        return GA4Harness(cxsuite_fresh_sandbox)


class TestGA4ServiceAccountConformance(ConnectorConformance):
    @pytest.fixture
    def harness(self, cxsuite_fresh_sandbox):
        return GA4ServiceAccountHarness(cxsuite_fresh_sandbox)
