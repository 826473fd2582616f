"""Talking to a vendor's token endpoint: the code exchange, refreshes, and (through
:func:`post_token_request`) the service-account JWT grant.

All go through the same egress policy as data requests (the token host must be on the
connector's allow-list), and both let the connector interpret the response, because vendors
disagree on the details: Zoho answers some errors with HTTP 200, Salesforce gives no expiry
and may rotate the refresh token, Zoho never returns a new one.

A refusal is classified by its OAuth error code (RFC 6749 §5.2, plus the vendors' own names),
because the remedy differs: a wrong client id or secret of cxsuite's OAuth app
(``invalid_client``; HubSpot ``BAD_CLIENT_ID``; Salesforce ``invalid_client_id``) is the
operator's to fix, and reconnecting would not help (:class:`ConnectorConfigError`); a grant that
expired or was revoked (``invalid_grant``; Zoho ``invalid_code``; HubSpot ``BAD_REFRESH_TOKEN``)
needs the client admin to reconnect (:class:`ConnectorAuthError`); a token endpoint that is down,
answers 5xx or throttles (429; Zoho's HTTP 200 "Access Denied … too many requests") is transient.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import httpx

from cxsuite.connectors.contract import BaseConnector, TokenSet
from cxsuite.connectors.http import outbound_client
from cxsuite.errors import ConnectorAuthError, ConnectorConfigError, ConnectorTransientError
from cxsuite.settings import Settings

TOKEN_TIMEOUT_S = 20
# Error codes (lower case) that mean cxsuite's OAuth client itself is refused.
CLIENT_REFUSED = frozenset({"invalid_client", "unauthorized_client", "invalid_client_id", "bad_client_id",
                            "invalid_client_secret"})


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
    """New tokens from the refresh token; a refused grant means "reconnect", a refused client
    means the app's OAuth settings are wrong (see the module docstring)."""
    if not tokens.refresh_token:
        raise ConnectorAuthError(f"the {connector.display_name} access expired and no refresh "
                                 "token was granted; reconnect the account")
    form = {"grant_type": "refresh_token", "refresh_token": tokens.refresh_token,
            "client_id": client["client_id"], "client_secret": client["client_secret"]}
    body = await post_token_request(settings, connector, connector.refresh_endpoint(config, tokens), form)
    return connector.accept_token(body, config, datetime.now(UTC), previous=tokens)


async def post_token_request(settings: Settings, connector: type[BaseConnector], url: str,
                             form: dict[str, str], remedy: str = "reconnect the account") -> dict[str, Any]:
    """POST ``form`` to a token endpoint under the egress policy; the JSON answer, or the
    classified refusal: :class:`ConnectorAuthError` saying what the vendor refused and ``remedy``,
    :class:`ConnectorConfigError` for a refused OAuth client, :class:`ConnectorTransientError`."""
    async with outbound_client(settings, connector, timeout=TOKEN_TIMEOUT_S) as http:
        try:
            response = await http.post(url, data=form, headers={"Accept": "application/json"})
        except httpx.TransportError as exc:
            raise ConnectorTransientError(
                f"{connector.display_name}'s token endpoint did not answer ({type(exc).__name__})") from None
    try:
        body = response.json()
    except ValueError:
        body = {}
    if not isinstance(body, dict):
        body = {}
    if response.status_code >= 500 or response.status_code == 429 or _throttled(body):
        raise ConnectorTransientError(f"{connector.display_name}'s token endpoint failed "
                                      f"({response.status_code}); try again later")
    if response.status_code >= 400 or "error" in body:
        raise _refusal(connector, response.status_code, body, remedy, "client_secret" in form)
    return body


def _code(body: dict[str, Any]) -> str:
    """The OAuth error code (HubSpot puts it in ``status``)."""
    status = str(body.get("status") or "")
    return str(body.get("error") or (status if status.lower() not in ("error", "failure") else ""))


def _throttled(body: dict[str, Any]) -> bool:
    """Zoho's refusal of too many token requests, which it answers with HTTP 200 or 400."""
    text = f"{body.get('error', '')} {body.get('error_description', '')}".lower()
    return "too many requests" in text


def _refusal(connector: type[BaseConnector], status: int, body: dict[str, Any], remedy: str,
             used_client: bool) -> ConnectorAuthError | ConnectorConfigError:
    code = _code(body)
    reason = body.get("error_description") or body.get("message") or code
    said = f"{status}: {code}{' - ' + str(reason)[:200] if reason != code else ''}"
    if used_client and code.lower() in CLIENT_REFUSED:
        return ConnectorConfigError(
            f"{connector.display_name} refused cxsuite's OAuth client ({said}): the client id or secret "
            f"configured for {connector.display_name} (CXSUITE_OAUTH_CLIENTS) is wrong; an operator must "
            "correct it, reconnecting the account will not help")
    return ConnectorAuthError(f"{connector.display_name} refused the authorisation ({said}); {remedy}")
