"""A vendor's token endpoint refusing a refresh, against the sandbox's four token endpoints:
a wrong client id or secret of cxsuite's OAuth app is misconfigured (an operator fixes it;
"reconnect" would send the client admin in circles), a revoked or unknown refresh token needs a
reconnect. Zoho answers both with HTTP 200."""

from __future__ import annotations

from typing import Any

import pytest
from cxsuite_ga4.connector import GA4Config, GA4Connector
from cxsuite_hubspot.connector import HubSpotConfig, HubSpotConnector
from cxsuite_salesforce.config import SalesforceConfig
from cxsuite_salesforce.connector import SalesforceConnector
from cxsuite_zoho.connector import ZohoConfig, ZohoConnector

from cxsuite.connections.token_exchange import refresh_tokens
from cxsuite.connectors.contract import TokenSet
from cxsuite.errors import ConnectorError, FailureClass
from cxsuite.failures import classify
from cxsuite.sandbox import CLIENTS

pytestmark = pytest.mark.anyio


def _vendors(base: str) -> dict[str, tuple[Any, Any, str, dict[str, str]]]:
    return {
        "hubspot": (HubSpotConnector, HubSpotConfig(base_url=f"{base}/hubspot"), "hubspot", {}),
        "salesforce": (SalesforceConnector, SalesforceConfig(base_url=f"{base}/salesforce"), "salesforce",
                       {"instance_url": f"{base}/salesforce"}),
        "zoho": (ZohoConnector, ZohoConfig(base_url=f"{base}/zoho"), "zoho",
                 {"data_centre": "eu", "api_domain": f"{base}/zoho/api/eu"}),
        "ga4": (GA4Connector, GA4Config(property_id="412345678", base_url=base), "ga4", {}),
    }


async def _refresh(settings, sandbox, vendor: str, *, secret: str | None = None, refresh: str | None = None):
    connector, config, key, extra = _vendors(sandbox.base_url)[vendor]
    access, issued_refresh = sandbox.sandbox.issue_token(key)
    client = {"client_id": CLIENTS[key].client_id, "client_secret": secret or CLIENTS[key].client_secret}
    tokens = TokenSet(access_token=access, refresh_token=refresh or issued_refresh, extra=extra)
    return await refresh_tokens(settings, connector, config, tokens, client)


@pytest.mark.parametrize("vendor", ["hubspot", "salesforce", "zoho", "ga4"])
async def test_a_wrong_client_secret_is_misconfigured_not_reconnect(settings, cxsuite_sandbox, vendor):
    with pytest.raises(ConnectorError) as caught:
        await _refresh(settings, cxsuite_sandbox, vendor, secret="not-the-secret")
    failure = classify(caught.value)
    assert failure.failure_class is FailureClass.MISCONFIGURED, failure.message
    assert "CXSUITE_OAUTH_CLIENTS" in failure.message and "reconnecting the account will not help" in failure.message


@pytest.mark.parametrize("vendor", ["hubspot", "salesforce", "zoho", "ga4"])
async def test_a_revoked_refresh_token_needs_a_reconnect(settings, cxsuite_sandbox, vendor):
    with pytest.raises(ConnectorError) as caught:
        await _refresh(settings, cxsuite_sandbox, vendor, refresh="revoked-refresh-token")
    failure = classify(caught.value)
    assert failure.failure_class is FailureClass.NEEDS_RECONNECT, failure.message
    assert "reconnect the account" in failure.message


@pytest.mark.parametrize("vendor", ["hubspot", "salesforce", "zoho", "ga4"])
async def test_a_valid_refresh_still_works(settings, cxsuite_sandbox, vendor):
    tokens = await _refresh(settings, cxsuite_sandbox, vendor)
    assert tokens.access_token
