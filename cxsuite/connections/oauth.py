"""The OAuth2 authorization-code flow for connections, the same for every connector.

1. :func:`start` records a single-use state (signed, bound to tenant, workspace, user,
   connection and expiry; PKCE verifier kept encrypted server-side) and builds the vendor's
   authorize URL.
2. The vendor redirects the browser to ``/api/v1/oauth/callback``; :func:`complete` verifies
   the signature and expiry, consumes the state atomically (a replay finds it used), exchanges
   the code at the token endpoint the *connector* chooses from fixed tables (never a host
   named by the callback's query string), validates vendor-provided hosts, and stores the
   tokens encrypted.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode
from uuid import UUID

from cxsuite.access.permissions import Action
from cxsuite.access.principal import Principal
from cxsuite.audit.service import Actor, record
from cxsuite.connections import oauth_state
from cxsuite.connections.credentials import decrypt_text, encrypt_text, store_credentials
from cxsuite.connections.service import load, parse_config
from cxsuite.connections.tables import Connection, OAuthState
from cxsuite.connections.token_exchange import exchange_code
from cxsuite.connectors.contract import BaseConnector
from cxsuite.db.session import Database
from cxsuite.errors import ConnectorAuthError, ConnectorConfigError, CxsuiteError
from cxsuite.settings import Settings

STATE_TTL = timedelta(minutes=10)
CALLBACK_PATH = "/api/v1/oauth/callback"


@dataclass(frozen=True)
class CallbackOutcome:
    """What the callback page tells the user."""

    ok: bool
    message: str
    connector: str = ""


def redirect_uri(settings: Settings) -> str:
    """The callback URL registered with every vendor app."""
    return settings.public_base_url + CALLBACK_PATH


def client_credentials(settings: Settings, connector: type[BaseConnector]) -> Mapping[str, str]:
    """cxsuite's OAuth app at this vendor; a clear configuration error when missing."""
    client = settings.oauth_clients.get(connector.key)
    if not client:
        raise ConnectorConfigError(
            f"no OAuth app is configured for {connector.display_name}; set it in "
            "CXSUITE_OAUTH_CLIENTS")
    return client


async def start(db: Database, settings: Settings, principal: Principal,
                connector: type[BaseConnector], connection_id: UUID) -> str:
    """Record a fresh state for the connection and return the vendor's authorize URL."""
    assert connector.oauth is not None
    client = client_credentials(settings, connector)
    async with db.transaction(principal.tenant_id, principal.user_id):
        row = await load(principal, connection_id, Action.CONNECTION_MANAGE)
        config = parse_config(connector, _json(row["config"]))
        verifier, challenge = oauth_state.pkce_pair() if connector.oauth.pkce else ("", "")
        state, nonce = oauth_state.issue(
            settings.secret_key, tenant_id=principal.tenant_id, workspace_id=row["workspace_id"],
            user_id=principal.user_id, connector=connector.key, connection_id=connection_id,
            ttl=STATE_TTL)
        await OAuthState.insert(OAuthState(
            nonce=nonce, tenant_id=principal.tenant_id, connection_id=connection_id,
            user_id=principal.user_id, expires_at=datetime.now(UTC) + STATE_TTL,
            pkce_verifier=encrypt_text(settings, principal.tenant_id, connection_id, "pkce",
                                       verifier) if verifier else "")).run()
    params = {"response_type": "code", "client_id": client["client_id"],
              "redirect_uri": redirect_uri(settings), "state": state,
              **connector.oauth.extra_authorize_params, **connector.authorize_params(config)}
    if connector.oauth.scopes:
        params["scope"] = connector.oauth.scope_separator.join(connector.oauth.scopes)
    if challenge:
        params.update(code_challenge=challenge, code_challenge_method="S256")
    return f"{connector.authorize_endpoint(config)}?{urlencode(params)}"


async def complete(db: Database, settings: Settings, connectors: Mapping[str, type[BaseConnector]],
                   params: Mapping[str, str], ip: str) -> CallbackOutcome:
    """Handle the vendor's redirect; every failure becomes a message, never a traceback."""
    try:
        payload = oauth_state.verify(settings.secret_key, params.get("state", ""),
                                     now=datetime.now(UTC))
    except oauth_state.StateError as exc:
        return CallbackOutcome(False, f"This authorisation link is not valid: {exc}")
    connector = connectors.get(payload.connector)
    if connector is None:
        return CallbackOutcome(False, "This connector is no longer installed.")
    try:
        await _exchange(db, settings, connector, payload, params, ip)
    except CxsuiteError as exc:
        return CallbackOutcome(False, exc.detail, connector.display_name)
    return CallbackOutcome(True, f"{connector.display_name} is connected. You can close this window.",
                           connector.display_name)


async def _exchange(db: Database, settings: Settings, connector: type[BaseConnector],
                    payload: oauth_state.StatePayload, params: Mapping[str, str], ip: str) -> None:
    tenant_id, connection_id = payload.tenant_id, payload.connection_id
    async with db.transaction(tenant_id, payload.user_id):
        verifier = await _consume(settings, tenant_id, payload.nonce, connection_id)
        if params.get("error"):
            await _mark(tenant_id, connection_id, "error", f"access was not granted ({params['error']})")
            raise ConnectorAuthError(f"{connector.display_name} did not grant access: {params['error']}")
        row = await Connection.select(Connection.config).where(
            (Connection.tenant_id == tenant_id) & (Connection.id == connection_id)).first().run()
        if row is None:
            raise ConnectorConfigError("the connection was deleted before it was authorised")
        config = parse_config(connector, _json(row["config"]))
    tokens = await exchange_code(settings, connector, config, params, verifier,
                                 redirect_uri(settings), client_credentials(settings, connector))
    async with db.transaction(tenant_id, payload.user_id):
        await store_credentials(settings, tenant_id, connection_id, tokens, status="connected")
        await record(tenant_id, Actor(payload.user_id, ip), "connection.authorised",
                     object_type="connection", object_id=connection_id,
                     details={"connector": connector.key})


async def _consume(settings: Settings, tenant_id: UUID, nonce: str, connection_id: UUID) -> str:
    """Mark the state used; a second use, an expired one or a mismatch is refused."""
    now = datetime.now(UTC)
    used = await OAuthState.update({OAuthState.used_at: now}).where(
        (OAuthState.tenant_id == tenant_id) & (OAuthState.nonce == nonce)
        & (OAuthState.connection_id == connection_id) & OAuthState.used_at.is_null()
        & (OAuthState.expires_at > now)).returning(OAuthState.pkce_verifier).run()
    if not used:
        raise ConnectorAuthError("this authorisation link was already used or has expired; "
                                 "start the connection again")
    stored = used[0]["pkce_verifier"]
    return decrypt_text(settings, tenant_id, connection_id, "pkce", stored) if stored else ""


async def _mark(tenant_id: UUID, connection_id: UUID, status: str, detail: str) -> None:
    await Connection.update({Connection.status: status, Connection.status_detail: detail,
                             Connection.updated_at: datetime.now(UTC)}).where(
        (Connection.tenant_id == tenant_id) & (Connection.id == connection_id)).run()


def _json(value: Any) -> dict[str, Any]:
    import json

    return json.loads(value) if isinstance(value, str) else dict(value or {})
