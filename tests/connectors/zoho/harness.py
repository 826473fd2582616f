"""The cxsuite sandbox's Zoho CRM stand-in as a conformance-suite harness, and helpers the Zoho
tests share: expected ids straight from the sandbox's world."""

from __future__ import annotations

from typing import Any

from cxsuite_zoho.connector import ZohoConnector

from cxsuite.sandbox import zoho_objects as modules
from cxsuite.sandbox.ids import zoho_id
from cxsuite.testing.environment import Environment
from tests.connectors.sandbox_harness import SandboxHarness

# Stream → module and kind, written out here rather than imported from the connector, so the
# tests check the connector's streams instead of repeating them.
MODULES = {"contacts": "Contacts", "leads": "Leads", "accounts": "Accounts", "deals": "Deals", "cases": "Cases",
           "tasks": "Tasks", "events": "Events", "calls": "Calls"}
KINDS = {"contacts": "customer", "leads": "customer", "accounts": "company", "deals": "deal", "cases": "ticket",
         "tasks": "interaction", "events": "interaction", "calls": "interaction"}


class ZohoHarness(SandboxHarness):
    """Zoho CRM served by the sandbox (configured as the demo configures it); ``overrides``
    change the connection config."""

    connector = ZohoConnector
    vendor = "zoho"

    def world_records(self, stream: str) -> list[Any]:
        """The sandbox's records of the stream's module, deleted ones included."""
        return modules.records(self.running.sandbox.world, MODULES[stream])

    def expected_ids(self, stream: str) -> set[str]:
        return {zoho_id(MODULES[stream], r.seq) for r in self.world_records(stream)}

    def deleted_ids(self, stream: str) -> set[str]:
        """Ids of the module's deleted records."""
        return {zoho_id(MODULES[stream], r.seq) for r in self.world_records(stream) if r.deleted_at}



def in_module(record_id: str, module: str) -> bool:
    """Whether a sandbox Zoho id is one of ``module``'s (ids of a module share a block)."""
    return (int(record_id) - int(zoho_id(module, 0))) // 10_000_000 == 0


async def stored_contacts(env: Environment) -> dict[str, dict[str, Any]]:
    """The stored Contacts (leads are customers too, and share the kind's table)."""
    return {i: r for i, r in (await env.stored("contacts")).items() if in_module(i, "Contacts")}
