"""Salesforce passes the connector test kit (the same suite third-party authors run)."""

from __future__ import annotations

import pytest

from cxsuite.testing import ConnectorConformance
from tests.connectors.salesforce.harness import SalesforceHarness


class TestSalesforceConformance(ConnectorConformance):
    @pytest.fixture
    def harness(self, cxsuite_fresh_sandbox):
        return SalesforceHarness(cxsuite_fresh_sandbox)
