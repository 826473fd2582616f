"""The cxsuite sandbox's Salesforce stand-in as a conformance-suite harness, and helpers the
Salesforce tests share: expected ids straight from the sandbox's world and a sync committing
every page on its own."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from cxsuite_salesforce.connector import SalesforceConnector

from cxsuite.connectors.engine import SyncResult
from cxsuite.sandbox import CLIENTS, RunningSandbox
from cxsuite.sandbox import salesforce_objects as sobjects
from cxsuite.sandbox.connections import sandbox_config
from cxsuite.testing import Fault, VendorHarness
from cxsuite.testing.environment import Environment

# Stream → sObject, written out here rather than imported from the connector, so the tests
# check the connector's streams instead of repeating them.
SOBJECTS = {"contacts": "Contact", "leads": "Lead", "accounts": "Account", "opportunities": "Opportunity",
            "cases": "Case", "tasks": "Task", "events": "Event",
            "survey_responses": "SurveyQuestionResponse"}
KINDS = {"contacts": "customer", "leads": "customer", "accounts": "company", "opportunities": "deal", "cases": "ticket",
         "tasks": "interaction", "events": "interaction", "survey_responses": "feedback"}


class SalesforceHarness(VendorHarness):
    """Salesforce served by the sandbox; ``overrides`` change the connection config."""

    connector = SalesforceConnector

    def __init__(self, running: RunningSandbox, **overrides: Any) -> None:
        self.running = running
        self.allowed_hosts = (urlsplit(running.base_url).netloc,)
        self.overrides = overrides

    def config(self) -> dict[str, Any]:
        return {**sandbox_config("salesforce", self.running.base_url), **self.overrides}

    def oauth_client(self) -> dict[str, str]:
        client = CLIENTS["salesforce"]
        return {"client_id": client.client_id, "client_secret": client.client_secret}

    def rows(self, stream: str) -> list[dict[str, Any]]:
        """The sObject rows the sandbox serves for ``stream`` (deleted ones included)."""
        return list(sobjects.rows(self.running.sandbox.world, SOBJECTS[stream]))

    def expected_ids(self, stream: str) -> set[str]:
        return {row["Id"] for row in self.rows(stream)}

    def inject(self, fault: Fault, count: int = 1) -> None:
        self.running.sandbox.inject("salesforce", fault.value, count)

    def expire_tokens(self) -> None:
        self.running.sandbox.expire_tokens()


async def sync(env: Environment, streams: list[str] | None = None, **options: Any) -> SyncResult:
    """:meth:`Environment.sync` committing every page on its own."""
    return await env.sync(streams, commit_rows=1, **options)
