"""The cxsuite sandbox's Salesforce stand-in as a conformance-suite harness, and helpers the
Salesforce tests share: expected ids straight from the sandbox's world, stored rows and the
stored checkpoint of a stream."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from cxsuite_salesforce.connector import SalesforceConnector

from cxsuite.connections.runtime import open_connection
from cxsuite.connectors.engine import SyncEngine, SyncResult
from cxsuite.connectors.records import table_for
from cxsuite.db.sql import execute
from cxsuite.sandbox import CLIENTS, RunningSandbox
from cxsuite.sandbox import salesforce_objects as sobjects
from cxsuite.testing import Fault, VendorHarness
from cxsuite.testing.environment import Environment

# Stream → sObject, written out here rather than imported from the connector, so the tests
# check the connector's streams instead of repeating them.
SOBJECTS = {"contacts": "Contact", "accounts": "Account", "opportunities": "Opportunity",
            "cases": "Case", "tasks": "Task", "events": "Event",
            "survey_responses": "SurveyQuestionResponse"}
KINDS = {"contacts": "customer", "accounts": "company", "opportunities": "deal", "cases": "ticket",
         "tasks": "interaction", "events": "interaction", "survey_responses": "feedback"}


class SalesforceHarness(VendorHarness):
    """Salesforce served by the sandbox; ``overrides`` change the connection config."""

    connector = SalesforceConnector

    def __init__(self, running: RunningSandbox, **overrides: Any) -> None:
        self.running = running
        self.allowed_hosts = (urlsplit(running.base_url).netloc,)
        self.overrides = overrides

    def config(self) -> dict[str, Any]:
        return {"base_url": f"{self.running.base_url}/salesforce", **self.overrides}

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


async def stored(env: Environment, stream: str) -> dict[str, dict[str, Any]]:
    """The connection's rows of ``stream``'s kind by external id."""
    async with env.db.transaction(env.principal.tenant_id, write=False):
        rows = await execute(env.db.engine, f"SELECT * FROM {table_for(KINDS[stream])} "
                             "WHERE tenant_id = {} AND connection_id = {}",
                             env.principal.tenant_id, env.connection_id)
    return {r["external_id"]: r for r in rows}


async def checkpoint(env: Environment, stream: str) -> dict[str, Any]:
    """The stream's stored checkpoint."""
    async with open_connection(env.db, env.settings, env.connectors, env.principal.tenant_id,
                               env.connection_id) as opened:
        return await SyncEngine(env.db, opened.scope, opened.connector).load_checkpoint(stream) or {}


async def sync(env: Environment, streams: list[str] | None = None, *,
               cancel_after: int | None = None, between_pages: Callable[[], None] | None = None,
               ) -> SyncResult:
    """One sync through the real runtime and engine, committing every page on its own (so a
    cancellation after ``cancel_after`` commits stops between two pages of one query, and
    ``between_pages`` runs while the connector waits to fetch the next page)."""
    commits = 0

    async def cancelled() -> bool:
        nonlocal commits
        commits += 1
        if between_pages is not None:
            between_pages()
        return cancel_after is not None and commits >= cancel_after

    async with open_connection(env.db, env.settings, env.connectors, env.principal.tenant_id,
                               env.connection_id) as opened:
        engine = SyncEngine(env.db, opened.scope, opened.connector, cancelled=cancelled, commit_rows=1)
        return await engine.run(streams or list(SOBJECTS))
