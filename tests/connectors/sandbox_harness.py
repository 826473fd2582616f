"""What the tests of cxsuite's own vendor connectors share: a harness for the sandbox's
stand-in of the vendor (configured as the demo configures it, with its OAuth client, faults and
token expiry); the sync they run, which commits every page on its own (so a test can stop or
break a sync between pages and see exactly what was kept); and the world's changes an
incremental sync is checked against."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar
from urllib.parse import urlsplit

from cxsuite.connectors.engine import SyncResult
from cxsuite.sandbox import CLIENTS, RunningSandbox
from cxsuite.sandbox.connections import sandbox_config
from cxsuite.sandbox.state import Sandbox
from cxsuite.sandbox.world import Record
from cxsuite.testing import Fault, VendorHarness
from cxsuite.testing.environment import Environment


class SandboxHarness(VendorHarness):
    """A vendor served by the sandbox; ``overrides`` change the connection config."""

    vendor: ClassVar[str]  # the sandbox's name of the vendor: its OAuth client, faults and config

    def __init__(self, running: RunningSandbox, **overrides: Any) -> None:
        self.running = running
        self.allowed_hosts = (urlsplit(running.base_url).netloc,)
        self.overrides = overrides

    def config(self) -> dict[str, Any]:
        return {**sandbox_config(self.vendor, self.running.base_url), **self.overrides}

    def oauth_client(self) -> dict[str, str]:
        client = CLIENTS[self.vendor]
        return {"client_id": client.client_id, "client_secret": client.client_secret}

    def inject(self, fault: Fault, count: int = 1) -> None:
        self.running.sandbox.inject(self.vendor, fault.value, count)

    def expire_tokens(self) -> None:
        self.running.sandbox.expire_tokens()


async def sync(env: Environment, streams: list[str] | None = None, **options: Any) -> SyncResult:
    """:meth:`Environment.sync` committing every page on its own."""
    return await env.sync(streams, commit_rows=1, **options)


@dataclass(frozen=True)
class WorldChanges:
    """The records :func:`an_hour_of_changes` changed."""

    modified: list[Record]  # contacts
    deleted: list[Record]  # contacts
    added: list[Record]  # contacts
    deals: list[Record]  # deals moved on a stage


def an_hour_of_changes(sandbox: Sandbox) -> WorldChanges:
    """An hour after a sync: 5 contacts changed, 2 deleted and 3 added, 4 deals moved on; the
    request log starts empty, so what the next sync asks for is the incremental sync alone."""
    sandbox.advance(3600)
    changes = WorldChanges(modified=sandbox.modify("contacts", 5), deleted=sandbox.archive("contacts", 2),
                           added=sandbox.add("contacts", 3), deals=sandbox.modify("deals", 4))
    sandbox.clear_requests()
    return changes
