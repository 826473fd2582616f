"""The cxsuite sandbox's HubSpot stand-in as a conformance-suite harness."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from cxsuite_hubspot.connector import HubSpotConnector

from cxsuite.sandbox import CLIENTS, RunningSandbox
from cxsuite.sandbox import hubspot_objects as objects
from cxsuite.sandbox.ids import hubspot_id
from cxsuite.testing import Fault, VendorHarness


class HubSpotHarness(VendorHarness):
    """HubSpot served by the sandbox: expected ids come from the sandbox's world."""

    connector = HubSpotConnector

    def __init__(self, running: RunningSandbox) -> None:
        self.running = running
        self.allowed_hosts = (urlsplit(running.base_url).netloc,)

    def config(self) -> dict[str, Any]:
        return {"base_url": f"{self.running.base_url}/hubspot"}

    def oauth_client(self) -> dict[str, str]:
        client = CLIENTS["hubspot"]
        return {"client_id": client.client_id, "client_secret": client.client_secret}

    def expected_ids(self, stream: str) -> set[str]:
        world = self.running.sandbox.world
        return {hubspot_id(stream, r.seq) for r in objects.records(world, stream)}

    def inject(self, fault: Fault, count: int = 1) -> None:
        self.running.sandbox.inject("hubspot", fault.value, count)

    def expire_tokens(self) -> None:
        self.running.sandbox.expire_tokens()
