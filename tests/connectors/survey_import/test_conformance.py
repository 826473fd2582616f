"""The survey-import plugin passes the connector test kit, like any vendor connector."""

from __future__ import annotations

import pytest

from cxsuite.testing import ConnectorConformance
from tests.connectors.survey_import.harness import SurveyFileHarness


class TestSurveyImportConformance(ConnectorConformance):
    @pytest.fixture
    def harness(self) -> SurveyFileHarness:
        return SurveyFileHarness()
