"""Talking to a vendor's token endpoint: the code exchange, refreshes, and (through
:func:`post_token_request`) the service-account JWT grant.

All go through the same egress policy as data requests (the token host must be on the
connector's allow-list), and both let the connector interpret the response, because vendors
disagree on the details: Zoho answers some errors with HTTP 200, Salesforce gives no expiry
and may rotate the refresh token, Zoho never returns a new one.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import httpx

from cxsuite.connectors.contract import BaseConnector, TokenSet
from cxsuite.connectors.http import outbound_client
from cxsuite.errors import ConnectorAuthError, ConnectorTransientError
from cxsuite.settings import Settings

TOKEN_TIMEOUT_S = 20


async def exchange_code(settings: Settings, connector: type[BaseConnector], config: Any,
                        callback: Mapping[str, str], verifier: str, redirect_uri: str,
                        client: Mapping[str, str]) -> TokenSet:
    """Trade the callback's ``code`` for tokens."""
    code = callback.get("code", "")
    if not code:
        raise ConnectorAuthError(f"{connector.display_name} sent no authorisation code")
    form = {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri,
            "client_id": client["client_id"], "client_secret": client["client_secret"]}
    if verifier:
        form["code_verifier"] = verifier
    body = await post_token_request(settings, connector, connector.token_endpoint(config, callback), form)
    return connector.accept_token(body, config, datetime.now(UTC))


async def refresh_tokens(settings: Settings, connector: type[BaseConnector], config: Any,
                         tokens: TokenSet, client: Mapping[str, str]) -> TokenSet:
    """New tokens from the refresh token; the vendor's refusal means "reconnect"."""
    if not tokens.refresh_token:
        raise ConnectorAuthError(f"the {connector.display_name} access expired and no refresh "
                                 "token was granted; reconnect the account")
    form = {"grant_type": "refresh_token", "refresh_token": tokens.refresh_token,
            "client_id": client["client_id"], "client_secret": client["client_secret"]}
    body = await post_token_request(settings, connector, connector.refresh_endpoint(config, tokens), form)
    return connector.accept_token(body, config, datetime.now(UTC), previous=tokens)


async def post_token_request(settings: Settings, connector: type[BaseConnector], url: str,
                             form: dict[str, str], remedy: str = "reconnect the account") -> dict[str, Any]:
    """POST ``form`` to a token endpoint under the egress policy; the JSON answer, or
    :class:`ConnectorAuthError` saying what the vendor refused and ``remedy``."""
    async with outbound_client(settings, connector, timeout=TOKEN_TIMEOUT_S) as http:
        try:
            response = await http.post(url, data=form, headers={"Accept": "application/json"})
        except httpx.TransportError as exc:
            raise ConnectorTransientError(
                f"{connector.display_name}'s token endpoint did not answer ({type(exc).__name__})") from None
    if response.status_code >= 500:
        raise ConnectorTransientError(f"{connector.display_name}'s token endpoint failed "
                                      f"({response.status_code}); try again later")
    try:
        body = response.json()
    except ValueError:
        body = {}
    if response.status_code >= 400 or "error" in body:
        reason = body.get("error_description") or body.get("error") or body.get("message") or ""
        raise ConnectorAuthError(f"{connector.display_name} refused the authorisation "
                                 f"({response.status_code}: {str(reason)[:200]}); {remedy}")
    return body
