"""The cxsuite sandbox's HubSpot stand-in as a conformance-suite harness."""

from __future__ import annotations

from cxsuite_hubspot.connector import HubSpotConnector

from cxsuite.sandbox import hubspot_objects as objects
from cxsuite.sandbox.ids import hubspot_id
from tests.connectors.sandbox_harness import SandboxHarness


class HubSpotHarness(SandboxHarness):
    """HubSpot served by the sandbox: expected ids come from the sandbox's world."""

    connector = HubSpotConnector
    vendor = "hubspot"

    def expected_ids(self, stream: str) -> set[str]:
        world = self.running.sandbox.world
        return {hubspot_id(stream, r.seq) for r in objects.records(world, stream)}
