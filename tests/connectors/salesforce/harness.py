"""The cxsuite sandbox's Salesforce stand-in as a conformance-suite harness, and helpers the
Salesforce tests share: expected ids straight from the sandbox's world."""

from __future__ import annotations

from typing import Any

from cxsuite_salesforce.connector import SalesforceConnector

from cxsuite.sandbox import salesforce_objects as sobjects
from tests.connectors.sandbox_harness import SandboxHarness

# Stream → sObject, written out here rather than imported from the connector, so the tests
# check the connector's streams instead of repeating them.
SOBJECTS = {"contacts": "Contact", "leads": "Lead", "accounts": "Account", "opportunities": "Opportunity",
            "cases": "Case", "tasks": "Task", "events": "Event",
            "survey_responses": "SurveyQuestionResponse"}
KINDS = {"contacts": "customer", "leads": "customer", "accounts": "company", "opportunities": "deal", "cases": "ticket",
         "tasks": "interaction", "events": "interaction", "survey_responses": "feedback"}


class SalesforceHarness(SandboxHarness):
    """Salesforce served by the sandbox; ``overrides`` change the connection config."""

    connector = SalesforceConnector
    vendor = "salesforce"

    def rows(self, stream: str) -> list[dict[str, Any]]:
        """The sObject rows the sandbox serves for ``stream`` (deleted ones included)."""
        return list(sobjects.rows(self.running.sandbox.world, SOBJECTS[stream]))

    def expected_ids(self, stream: str) -> set[str]:
        return {row["Id"] for row in self.rows(stream)}

