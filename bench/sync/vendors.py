"""How the benchmark connects each vendor's connector to the sandbox: through the real OAuth
authorization-code flow (the sandbox approves consent by itself), like a client admin would."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from urllib.parse import parse_qsl, urlsplit
from uuid import UUID, uuid4

import httpx

from cxsuite.access.principal import Principal, Role
from cxsuite.connections import oauth
from cxsuite.connections.tables import Connection
from cxsuite.db.session import Database
from cxsuite.plugin_manager import build_plugins
from cxsuite.sandbox import CLIENTS
from cxsuite.sandbox.connections import SANDBOX_CONFIG, sandbox_config
from cxsuite.settings import Settings
from cxsuite.tenancy.tables import Tenant, TenantDirectory
from cxsuite.workspaces.tables import Workspace

VENDORS = tuple(SANDBOX_CONFIG)


def clients_json() -> str:
    """``CXSUITE_OAUTH_CLIENTS`` for the sandbox's apps."""
    return json.dumps({k: {"client_id": c.client_id, "client_secret": c.client_secret} for k, c in CLIENTS.items()})


async def connect(db: Database, settings: Settings, vendor: str, sandbox) -> tuple[UUID, UUID]:
    """A tenant, a workspace and an authorised connection to the sandbox's ``vendor``."""
    tenant_id, workspace_id, connection_id, now = uuid4(), uuid4(), uuid4(), datetime.now(UTC)
    connector = build_plugins().connectors()[vendor]
    async with db.transaction(tenant_id):
        await Tenant.insert(Tenant(id=tenant_id, name="Bench", created_at=now)).run()
        await TenantDirectory.insert(TenantDirectory(id=tenant_id, created_at=now)).run()
        await Workspace.insert(Workspace(id=workspace_id, tenant_id=tenant_id, name="Client", created_at=now,
                                         updated_at=now)).run()
        await Connection.insert(Connection(
            id=connection_id, tenant_id=tenant_id, workspace_id=workspace_id, connector=vendor, name=vendor,
            auth_kind=connector.auth_kind, config=json.dumps(sandbox_config(vendor, sandbox.base_url)),
            created_at=now, updated_at=now)).run()
    principal = Principal(uuid4(), tenant_id, uuid4(), "bench@example.test", Role.OWNER)
    url = await oauth.start(db, settings, principal, connector, connection_id)
    async with httpx.AsyncClient() as browser:
        location = (await browser.get(url)).headers["location"]
    outcome = await oauth.complete(db, settings, {vendor: connector}, dict(parse_qsl(urlsplit(location).query)),
                                   "bench")
    assert outcome.ok, outcome.message
    return tenant_id, connection_id
