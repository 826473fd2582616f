"""Zoho CRM passes the connector test kit (the same suite third-party authors run)."""

from __future__ import annotations

import pytest

from cxsuite.testing import ConnectorConformance
from tests.connectors.zoho.harness import ZohoHarness


class TestZohoConformance(ConnectorConformance):
    @pytest.fixture
    def harness(self, cxsuite_fresh_sandbox):
        return ZohoHarness(cxsuite_fresh_sandbox)
