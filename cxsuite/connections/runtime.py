"""From a stored connection to a ready connector: decrypted credentials, an authenticated
HTTP client that enforces the egress policy, and the connector instance.

OAuth access tokens are refreshed shortly before they expire and once on a 401, and the new
tokens are saved at once (encrypted): a vendor that rotates refresh tokens (Salesforce)
invalidates the old one, so losing the new one would disconnect the account. Refreshes of one
connection are serialised through its row, so two workers never spend one refresh token twice.
Service-account connections mint their tokens from the stored key instead (nothing to save).
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from uuid import UUID

import httpx
import msgspec

from cxsuite.connections.credentials import open_credentials, store_credentials
from cxsuite.connections.oauth import client_credentials
from cxsuite.connections.service import parse_config
from cxsuite.connections.service_account import ServiceAccountKey, from_stored, mint_token
from cxsuite.connections.tables import Connection
from cxsuite.connections.token_exchange import refresh_tokens
from cxsuite.connections.uploads import load_stream_uploads, load_upload
from cxsuite.connectors.contract import BaseConnector, ConnectorContext, TokenSet
from cxsuite.connectors.files import FileLimits
from cxsuite.connectors.http import TransportWrapper, vendor_client
from cxsuite.connectors.upsert import RecordScope
from cxsuite.db.session import Database
from cxsuite.errors import ConnectorAuthError, ConnectorConfigError, NotFound
from cxsuite.settings import Settings

REFRESH_MARGIN = timedelta(minutes=5)


@dataclass
class OpenConnection:
    """A connector ready to sync, and where its records go."""

    connector: BaseConnector
    scope: RecordScope


class OAuthAuthenticator:
    """Bearer (or vendor-scheme) header from the connection's tokens, refreshed as needed."""

    def __init__(self, db: Database, settings: Settings, connector: type[BaseConnector], config: Any,
                 scope: RecordScope, tokens: TokenSet) -> None:
        self.db, self.settings, self.connector, self.config = db, settings, connector, config
        self.scope, self.tokens = scope, tokens

    async def apply(self, request: httpx.Request) -> None:
        """Add the access token, refreshing first when it is about to expire."""
        if self.tokens.expires_within(REFRESH_MARGIN):
            await self.refresh()
        name, value = self.connector.auth_header(self.tokens.access_token)
        request.headers[name] = value

    async def refresh(self) -> None:
        """Refresh under the connection row's lock, unless another worker just did."""
        async with self.db.transaction(self.scope.tenant_id):
            stored = await _lock_credentials(self.db, self.scope)
            current = msgspec.convert(open_credentials(self.settings, self.scope.tenant_id,
                                                       self.scope.connection_id, stored), TokenSet)
            if current.access_token != self.tokens.access_token:
                self.tokens = current  # a concurrent refresh already happened
                return
            try:
                self.tokens = await refresh_tokens(self.settings, self.connector, self.config, current,
                                                   client_credentials(self.settings, self.connector))
            except (ConnectorAuthError, ConnectorConfigError) as exc:  # a person must act: say so
                await _mark_error(self.scope, exc.detail)
                raise
            await store_credentials(self.settings, self.scope.tenant_id, self.scope.connection_id,
                                    self.tokens, status="connected")


class ApiKeyAuthenticator:
    """A static key in the connector's header; a 401 means the key was revoked."""

    def __init__(self, connector: type[BaseConnector], api_key: str) -> None:
        self.connector, self.api_key = connector, api_key

    async def apply(self, request: httpx.Request) -> None:
        """Add the key."""
        name, value = self.connector.auth_header(self.api_key)
        request.headers[name] = value

    async def refresh(self) -> None:
        """Keys cannot be refreshed: the admin must enter a new one."""
        raise ConnectorAuthError(f"{self.connector.display_name} refused the API key; "
                                 "enter a valid key for this connection")


class ServiceAccountAuthenticator:
    """A token minted from the service account's key: on first use, shortly before it
    expires, and when the API refuses it. Tokens live for one sync only; there is nothing
    to rotate or save, the stored key is the credential."""

    def __init__(self, db: Database, settings: Settings, connector: type[BaseConnector], config: Any,
                 scope: RecordScope, key: ServiceAccountKey) -> None:
        self.db, self.settings, self.connector, self.config = db, settings, connector, config
        self.scope, self.key = scope, key
        self.tokens: TokenSet | None = None

    async def apply(self, request: httpx.Request) -> None:
        """Add the access token, minting one first when there is none or it is about to expire."""
        if self.tokens is None or self.tokens.expires_within(REFRESH_MARGIN):
            await self.refresh()
        assert self.tokens is not None
        name, value = self.connector.auth_header(self.tokens.access_token)
        request.headers[name] = value

    async def refresh(self) -> None:
        """Sign a new assertion and exchange it. A refusal marks the connection in error; a
        grant after such a refusal (the key was re-enabled) marks it connected again, so
        scheduled syncs resume without re-creating the connection."""
        try:
            self.tokens = await mint_token(self.settings, self.connector, self.config, self.key)
        except ConnectorAuthError as exc:
            async with self.db.transaction(self.scope.tenant_id):
                await _mark_error(self.scope, exc.detail)
            raise
        async with self.db.transaction(self.scope.tenant_id):
            await Connection.update({Connection.status: "connected", Connection.status_detail: ""}).where(
                (Connection.tenant_id == self.scope.tenant_id) & (Connection.id == self.scope.connection_id)
                & (Connection.status == "error")).run()


async def _lock_credentials(db: Database, scope: RecordScope) -> str:
    lock = " FOR UPDATE" if db.is_postgres else ""
    rows = await db.engine.run_querystring(_query(
        "SELECT credentials FROM connection WHERE tenant_id = {} AND id = {}" + lock,
        scope.tenant_id, scope.connection_id))
    if not rows:
        raise NotFound("connection not found")
    return rows[0]["credentials"]


def _query(sql: str, *args: Any) -> Any:
    from piccolo.querystring import QueryString

    return QueryString(sql, *args)


async def _mark_error(scope: RecordScope, detail: str) -> None:
    await Connection.update({Connection.status: "error", Connection.status_detail: detail}).where(
        (Connection.tenant_id == scope.tenant_id) & (Connection.id == scope.connection_id)).run()


@asynccontextmanager
async def open_connection(db: Database, settings: Settings,
                          connectors: dict[str, type[BaseConnector]], tenant_id: UUID,
                          connection_id: UUID, redis: Any = None,
                          wrap_transport: TransportWrapper | None = None) -> AsyncIterator[OpenConnection]:
    """The connection's connector with an authenticated client; the client closes on exit.
    ``wrap_transport`` reaches :func:`~cxsuite.connectors.http.vendor_client` (the test kit)."""
    async with db.transaction(tenant_id, write=False):
        row = await Connection.select().where(
            (Connection.tenant_id == tenant_id) & (Connection.id == connection_id)).first().run()
    if row is None:
        raise NotFound("connection not found")
    connector_cls = connectors.get(row["connector"])
    if connector_cls is None:
        raise ConnectorConfigError(f"the {row['connector']} connector is not installed")
    scope = RecordScope(tenant_id, row["workspace_id"], connection_id, connector_cls.key)
    config = parse_config(connector_cls, json.loads(row["config"]) if isinstance(row["config"], str)
                          else row["config"])
    secrets = open_credentials(settings, tenant_id, connection_id, row["credentials"])
    authenticator, extra = _authenticator(db, settings, connector_cls, config, scope, secrets)
    base_url = connector_cls.base_url(config, extra)
    upload, upload_name, uploads = None, "", {}
    if connector_cls.auth_kind == "file_upload" and "files" in secrets:  # one file per stream
        uploads = load_stream_uploads(settings, tenant_id, connection_id, secrets)
    elif connector_cls.auth_kind == "file_upload":
        upload, upload_name = load_upload(settings, tenant_id, connection_id), secrets.get("upload_name", "")
    async with vendor_client(settings, connector_cls, base_url, authenticator,
                             budget_key=str(connection_id), redis=redis, config=config,
                             wrap_transport=wrap_transport) as http:
        context = ConnectorContext(config=config, http=http, credentials_extra=extra, upload=upload,
                                   upload_name=upload_name, file_limits=FileLimits.from_settings(settings),
                                   uploads=uploads)
        yield OpenConnection(connector_cls(context), scope)


def _authenticator(db: Database, settings: Settings, connector: type[BaseConnector], config: Any,
                   scope: RecordScope, secrets: dict[str, Any]) -> tuple[Any, dict[str, str]]:
    if connector.auth_kind == "oauth2":
        if not secrets:
            raise ConnectorAuthError(f"{connector.display_name} is not authorised yet; finish "
                                     "connecting the account")
        tokens = msgspec.convert(secrets, TokenSet)
        return OAuthAuthenticator(db, settings, connector, config, scope, tokens), dict(tokens.extra)
    if connector.auth_kind == "api_key":
        return ApiKeyAuthenticator(connector, secrets.get("api_key", "")), {}
    if connector.auth_kind == "service_account":
        key = from_stored(secrets)
        if key is None:
            raise ConnectorAuthError(f"{connector.display_name} has no service-account key; upload "
                                     "the key file again")
        return (ServiceAccountAuthenticator(db, settings, connector, config, scope, key),
                {"client_email": key.client_email})
    return None, {}
