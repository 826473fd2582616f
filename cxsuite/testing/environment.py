"""A throw-away cxsuite for one conformance test: embedded database, settings that allow the
stand-in, a tenant with a workspace and one connection authorised through the real flow."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit
from uuid import UUID, uuid4

import httpx

from cxsuite.access.principal import Principal, Role
from cxsuite.connections import oauth, service_account
from cxsuite.connections.credentials import open_credentials, store_credentials
from cxsuite.connections.runtime import open_connection
from cxsuite.connections.tables import Connection
from cxsuite.connections.uploads import save_upload
from cxsuite.connectors.engine import SyncEngine, SyncResult
from cxsuite.connectors.records import table_for
from cxsuite.db.migrate import run_migrations
from cxsuite.db.session import Database
from cxsuite.db.sql import execute
from cxsuite.settings import Settings, load_settings
from cxsuite.tenancy.tables import Tenant, TenantDirectory
from cxsuite.testing.harness import VendorHarness
from cxsuite.testing.network import FailingTransport
from cxsuite.workspaces.tables import Workspace

TEST_KEY = "kWZ7pC5QmGd0oU3bq7Qf0hC6m0TJHc0Oe2kqjvVY3yA="


@dataclass
class Environment:
    """One tenant, one workspace, one connection; helpers to sync and look at the result."""

    settings: Settings
    db: Database
    harness: VendorHarness
    principal: Principal
    connection_id: UUID

    @property
    def connectors(self) -> dict[str, Any]:
        """Only the connector under test (as if it were the one installed plugin)."""
        return {self.harness.connector.key: self.harness.connector}

    async def sync(self, streams: Sequence[str] | None = None, *, cancel_after_batches: int | None = None,
                   commit_rows: int | None = None, between_commits: Callable[[], None] | None = None,
                   network_failures: int = 0) -> SyncResult:
        """One sync through the real runtime and engine, of ``streams`` (default: the harness's).

        ``commit_rows=1`` commits every page on its own, so ``cancel_after_batches`` stops
        between two pages of one query and ``between_commits`` runs while the connector waits
        to fetch the next page (to change the vendor's data mid-sync; the engine then reads
        no page ahead of its commits, so that page is fetched after the change). A file-upload harness's
        file is stored again first: the file is the vendor's data, so a fault injected after
        setup reaches it."""
        if self.harness.connector.auth_kind == "file_upload":
            await _authorise(self)
        commits = 0

        async def cancelled() -> bool:
            nonlocal commits
            commits += 1
            if between_commits is not None:
                between_commits()
            return cancel_after_batches is not None and commits >= cancel_after_batches

        def failing(inner: httpx.AsyncBaseTransport) -> httpx.AsyncBaseTransport:
            return FailingTransport(inner, network_failures)

        async with open_connection(self.db, self.settings, self.connectors, self.principal.tenant_id,
                                   self.connection_id, wrap_transport=failing) as opened:
            engine = SyncEngine(self.db, opened.scope, opened.connector, cancelled=cancelled,
                                read_ahead=0 if between_commits else SyncEngine.read_ahead)
            if commit_rows is not None:
                engine.commit_rows = commit_rows
            return await engine.run(list(streams) if streams else self.harness.streams())

    async def stored(self, stream: str) -> dict[str, dict[str, Any]]:
        """Every column of the connection's rows of ``stream``'s kind, by external id."""
        rows = await self._select(f"SELECT * FROM {table_for(self._kind(stream))} "
                                  "WHERE tenant_id = {} AND connection_id = {}")
        return {r["external_id"]: r for r in rows}

    async def checkpoint(self, stream: str) -> dict[str, Any]:
        """The stream's stored checkpoint (empty before its first commit)."""
        async with open_connection(self.db, self.settings, self.connectors, self.principal.tenant_id,
                                   self.connection_id) as opened:
            return await SyncEngine(self.db, opened.scope, opened.connector).load_checkpoint(stream) or {}

    def _kind(self, stream: str) -> str:
        return next(s.kind for s in self.harness.connector.streams if s.name == stream)

    async def _select(self, sql: str) -> list[dict[str, Any]]:
        async with self.db.transaction(self.principal.tenant_id, write=False):
            return await execute(self.db.engine, sql, self.principal.tenant_id, self.connection_id)

    async def stored_ids(self, stream: str) -> set[str]:
        """External ids stored by ``stream``. Streams sharing a kind (calls and emails are both
        interactions) share a table: there the stream's own ids count, plus any id that none of
        the sibling streams expects, so an unexpected record still fails the comparison."""
        rows = await self._select(f"SELECT external_id FROM {table_for(self._kind(stream))} "
                                  "WHERE tenant_id = {} AND connection_id = {}")
        ids = {r["external_id"] for r in rows}
        siblings = [s for s in self.harness.streams() if self._kind(s) == self._kind(stream)]
        expected_by_siblings = set().union(*[self.harness.expected_ids(s) for s in siblings])
        return (ids & self.harness.expected_ids(stream)) | (ids - expected_by_siblings)

    async def row_count(self, stream: str) -> int:
        """Rows of the stream's kind for this connection."""
        rows = await self._select(f"SELECT count(*) AS n FROM {table_for(self._kind(stream))} "
                                  "WHERE tenant_id = {} AND connection_id = {}")
        return int(rows[0]["n"])

    async def issues(self) -> list[dict[str, Any]]:
        """Records the syncs reported as malformed."""
        return await self._select("SELECT external_id, reason FROM sync_issue "
                                  "WHERE tenant_id = {} AND connection_id = {}")

    async def credentials(self) -> dict[str, Any]:
        """The connection's decrypted credentials, to see a refresh happen."""
        rows = await self._select("SELECT credentials FROM connection WHERE tenant_id = {} AND id = {}")
        return open_credentials(self.settings, self.principal.tenant_id, self.connection_id,
                                rows[0]["credentials"])


def kit_settings(harness: VendorHarness, data_dir: Path, database: tuple[str, str] | None = None) -> Settings:
    """Settings that let the connector reach (only) the stand-in; embedded SQLite unless
    ``database`` gives the app's and the owner's URLs."""
    env = {"CXSUITE_DATA_DIR": str(data_dir), "CXSUITE_SECRET_KEY": "conformance-" + "k" * 40,
           "CXSUITE_ENCRYPTION_KEYS": TEST_KEY,
           "CXSUITE_CONNECTOR_ALLOWED_HOSTS": ",".join(harness.allowed_hosts)}
    if database:
        env["CXSUITE_DATABASE_URL"], env["CXSUITE_DATABASE_OWNER_URL"] = database
    if harness.connector.auth_kind == "oauth2":
        env["CXSUITE_OAUTH_CLIENTS"] = json.dumps({harness.connector.key: harness.oauth_client()})
    return load_settings(env)


@asynccontextmanager
async def open_environment(harness: VendorHarness, data_dir: Path, database: tuple[str, str] | None = None,
                           *, authorise: bool = True) -> AsyncIterator[Environment]:
    """Migrate, create the tenant and the connection, authorise it (unless ``authorise`` is
    false: to drive the OAuth flow yourself, e.g. with a tampered callback), and clean up after.

    Each test gets its own tenant, so a shared database needs no cleaning between tests."""
    settings = kit_settings(harness, data_dir, database)
    await run_migrations(settings)
    db = Database.from_url(settings.database_url)
    await db.start()
    try:
        principal = await _tenant_with_workspace(db)
        connection_id = await _connection(db, settings, harness, principal)
        env = Environment(settings, db, harness, principal, connection_id)
        if authorise:
            await _authorise(env)
        yield env
    finally:
        await db.close()


async def _tenant_with_workspace(db: Database) -> Principal:
    tenant_id, workspace_id, now = uuid4(), uuid4(), datetime.now(UTC)
    async with db.transaction(tenant_id):
        await Tenant.insert(Tenant(id=tenant_id, name="Conformance", created_at=now)).run()
        await TenantDirectory.insert(TenantDirectory(id=tenant_id, created_at=now)).run()
        await Workspace.insert(Workspace(id=workspace_id, tenant_id=tenant_id, name="Client",
                                         created_at=now, updated_at=now)).run()
    return Principal(uuid4(), tenant_id, uuid4(), "kit@example.test", Role.OWNER,
                     {workspace_id: Role.CLIENT_ADMIN})


async def _connection(db: Database, settings: Settings, harness: VendorHarness,
                      principal: Principal) -> UUID:
    connection_id, now = uuid4(), datetime.now(UTC)
    workspace_id = next(iter(principal.workspace_roles))
    async with db.transaction(principal.tenant_id):
        await Connection.insert(Connection(
            id=connection_id, tenant_id=principal.tenant_id, workspace_id=workspace_id,
            connector=harness.connector.key, name=harness.connector.display_name,
            auth_kind=harness.connector.auth_kind, config=json.dumps(harness.config()),
            created_at=now, updated_at=now)).run()
    return connection_id


async def _authorise(env: Environment) -> None:
    """The real authorization-code flow against the stand-in (consent approves itself); the
    key, the service-account key file or the upload for the other kinds."""
    connector = env.harness.connector
    if connector.auth_kind == "api_key":
        async with env.db.transaction(env.principal.tenant_id):
            await store_credentials(env.settings, env.principal.tenant_id, env.connection_id,
                                    {"api_key": env.harness.api_key()}, status="connected")
        return
    if connector.auth_kind == "service_account":
        key = service_account.parse_key(env.harness.service_account_key())
        async with env.db.transaction(env.principal.tenant_id):
            await store_credentials(env.settings, env.principal.tenant_id, env.connection_id,
                                    service_account.stored(key), status="connected")
        return
    if connector.auth_kind == "file_upload":
        name, content = env.harness.upload()
        async with env.db.transaction(env.principal.tenant_id):
            await save_upload(env.settings, env.principal.tenant_id, env.connection_id, name, content)
        return
    if connector.auth_kind != "oauth2":
        return
    url = await oauth.start(env.db, env.settings, env.principal, connector, env.connection_id)
    async with httpx.AsyncClient(timeout=30) as http:
        response = await http.get(url)
    location = response.headers.get("location", "")
    params = dict(parse_qsl(urlsplit(location).query))
    outcome = await oauth.complete(env.db, env.settings, env.connectors, params, "conformance")
    assert outcome.ok, f"authorisation failed: {outcome.message} (consent answered {response.status_code})"
