"""Salesforce's ``instance_url`` comes from the network: a token response naming a host that is
not a Salesforce origin (or not the configured stand-in) is refused before anything is sent
there, and the connection is not stored as connected. A fake login host (a real HTTP server
on loopback) plays the vendor that hands out the hostile URL."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import msgspec
import pytest
from cxsuite_salesforce.config import SalesforceConfig, salesforce_origin
from cxsuite_salesforce.connector import SalesforceConnector

from cxsuite.connections import oauth
from cxsuite.errors import ConnectorAuthError, SsrfBlocked
from cxsuite.testing.environment import Environment
from tests.connectors.fake_vendor import (
    FakeHostHarness,
    Server,
    authorisation_server,
    authorise,
    connection_status,
    open_with_tampered_credentials,
)
from tests.connectors.salesforce.harness import SalesforceHarness
from tests.connectors.sandbox_harness import sync

pytestmark = pytest.mark.anyio

HOSTILE = ("https://x.salesforce.com.attacker.example", "https://127.0.0.1", "http://acme.my.salesforce.com")


@pytest.mark.parametrize("url", [
    "https://acme.my.salesforce.com", "https://na139.salesforce.com/", "https://acme.lightning.force.com",
    "https://ACME.my.salesforce.com.", "https://acme--uat.sandbox.my.salesforce.com:443"])
def test_salesforce_origins_are_accepted(url: str) -> None:
    assert salesforce_origin(url) == "https://" + urlsplit(url).hostname.rstrip(".").lower()


@pytest.mark.parametrize("url", [
    *HOSTILE, "https://salesforce.com.attacker.example", "https://notsalesforce.com",
    "https://attacker.example/acme.my.salesforce.com", "https://acme.my.salesforce.com@attacker.example",
    "https://user@acme.my.salesforce.com", "https://acme.my.salesforce.com:8443",
    "https://acme.my.salesforce.com/services/data", "https://2130706433", "https://[::1]",
    "ftp://acme.my.salesforce.com", "javascript:alert(1)", ""])
def test_other_urls_are_refused(url: str) -> None:
    with pytest.raises(SsrfBlocked):
        salesforce_origin(url)


def test_login_url_and_api_version_are_checked_in_the_config() -> None:
    with pytest.raises(msgspec.ValidationError, match="login_url"):
        msgspec.convert({"login_url": "https://login.salesforce.com.attacker.example"}, SalesforceConfig)
    with pytest.raises(msgspec.ValidationError, match="api_version"):
        msgspec.convert({"api_version": "latest"}, SalesforceConfig)
    with pytest.raises(msgspec.ValidationError, match="case_csat_field"):
        msgspec.convert({"case_csat_field": "CSAT__c FROM User"}, SalesforceConfig)


@pytest.mark.parametrize("url", HOSTILE)
def test_a_stored_instance_url_is_checked_again_before_use(url: str) -> None:
    with pytest.raises(SsrfBlocked):
        SalesforceConnector.base_url(SalesforceConfig(), {"instance_url": url})


@pytest.fixture
def fake_login(request: pytest.FixtureRequest) -> Iterator[Server]:
    """A Salesforce login host on loopback whose token response names ``instance_url`` (the
    parameter)."""
    body = {"access_token": "00Dx!fake", "refresh_token": "5Aep-fake", "instance_url": request.param,
            "token_type": "Bearer", "issued_at": "1700000000000"}
    with authorisation_server(body) as fake:
        yield fake


def _harness(fake: Server, config: dict[str, Any]) -> FakeHostHarness:
    return FakeHostHarness(SalesforceConnector, fake, config)


async def _assert_refused(env: Environment, fake: Server, outcome: oauth.CallbackOutcome) -> None:
    assert not outcome.ok
    assert "refused" in outcome.message or "not stored" in outcome.message
    status, credentials = await connection_status(env)
    assert status != "connected" and not credentials
    assert fake.paths == [("GET", "/services/oauth2/authorize"), ("POST", "/services/oauth2/token")]
    with pytest.raises(ConnectorAuthError, match="not authorised"):
        await sync(env, ["contacts"])


@pytest.mark.parametrize("fake_login", HOSTILE, indirect=True)
async def test_a_hostile_instance_url_is_refused_at_connect_time(fake_login, unconnected, monkeypatch):
    """Production rules (no stand-in): the login host is Salesforce's, the instance must be too."""
    login = fake_login.base_url + "/services/oauth2"
    monkeypatch.setattr(SalesforceConnector, "authorize_endpoint", classmethod(lambda cls, c: f"{login}/authorize"))
    monkeypatch.setattr(SalesforceConnector, "token_endpoint", classmethod(lambda cls, c, p: f"{login}/token"))
    env = await unconnected(_harness(fake_login, {}))
    await _assert_refused(env, fake_login, await authorise(env))


@pytest.mark.parametrize("fake_login", [*HOSTILE, "https://acme.my.salesforce.com"], indirect=True)
async def test_with_a_stand_in_only_its_own_url_is_accepted(fake_login, unconnected):
    """A configured ``base_url`` is the trusted instance: any other instance_url is refused."""
    env = await unconnected(_harness(fake_login, {"base_url": fake_login.base_url}))
    await _assert_refused(env, fake_login, await authorise(env))


@pytest.mark.parametrize("fake_login", ["https://acme.my.salesforce.com"], indirect=True)
async def test_a_salesforce_instance_url_is_stored(fake_login, unconnected, monkeypatch):
    login = fake_login.base_url + "/services/oauth2"
    monkeypatch.setattr(SalesforceConnector, "authorize_endpoint", classmethod(lambda cls, c: f"{login}/authorize"))
    monkeypatch.setattr(SalesforceConnector, "token_endpoint", classmethod(lambda cls, c, p: f"{login}/token"))
    env = await unconnected(_harness(fake_login, {}))
    outcome = await authorise(env)
    assert outcome.ok, outcome.message
    credentials = await env.credentials()
    assert credentials["extra"]["instance_url"] == "https://acme.my.salesforce.com"
    assert credentials["expires_at"] is None and credentials["refresh_token"] == "5Aep-fake"


async def test_tampered_stored_instance_url_is_never_called(private_sandbox, open_env):
    """Credentials naming another host (however they got there) stop the sync before a request."""
    async with open_env(SalesforceHarness(private_sandbox)) as env:
        private_sandbox.sandbox.clear_requests()
        with pytest.raises(ConnectorAuthError, match="instance_url"):
            await open_with_tampered_credentials(env, instance_url="https://x.salesforce.com.attacker.example")
        assert private_sandbox.sandbox.requests("salesforce") == []
