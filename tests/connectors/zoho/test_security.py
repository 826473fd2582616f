"""Zoho's multi-DC flow hands cxsuite three hosts over the network: ``location`` and
``accounts-server`` in the callback's query string (in the browser's hands) and ``api_domain``
in the token response. The code and the client secret go only to the accounts server the fixed
table gives for ``location``; an unknown location and an ``api_domain`` that is not a Zoho API
origin (or, with a stand-in, not the stand-in's) are refused and nothing is stored.

Real HTTP throughout: the sandbox, a loopback listener that must receive nothing, and a fake
accounts server (for the token responses the sandbox never sends)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from cxsuite_zoho.connector import ZohoConnector
from cxsuite_zoho.datacentres import DATA_CENTRES, accounts_url, api_origin, centre

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
from tests.connectors.zoho.harness import ZohoHarness

pytestmark = pytest.mark.anyio
HOSTILE_API = ("https://attacker.example", "http://www.zohoapis.eu", "https://www.zohoapis.eu.attacker.example",
               "https://www.zohoapis.eu@attacker.example", "https://attacker.example/www.zohoapis.eu",
               "https://www.zohoapis.eu:8443", "https://127.0.0.1", "https://zohoapis.eu", "")


@pytest.mark.parametrize("key", list(DATA_CENTRES))
def test_every_data_centre_has_its_own_accounts_and_api_host(key: str) -> None:
    dc = DATA_CENTRES[key]
    assert accounts_url(key, None) == f"https://{dc.accounts_host}"
    assert accounts_url(key.upper(), "http://stand-in:1/zoho") == f"http://stand-in:1/zoho/accounts/{key}"
    assert api_origin(f"https://{dc.api_host}/", None) == (f"https://{dc.api_host}", key)
    assert dc.accounts_host.startswith("accounts.zoho") and dc.api_host.startswith("www.zohoapis.")


@pytest.mark.parametrize("location", ["xx", "eu.attacker.example", "https://accounts.zoho.eu", "../us"])
def test_an_unknown_location_names_the_known_ones(location: str) -> None:
    with pytest.raises(ConnectorAuthError, match=r"unknown data centre.*us, eu, in, au, jp, ca, sa, uk, cn"):
        centre(location)


@pytest.mark.parametrize("domain", HOSTILE_API)
def test_other_api_domains_are_refused(domain: str) -> None:
    with pytest.raises(SsrfBlocked, match="refused"):
        api_origin(domain, None)


def test_with_a_stand_in_only_its_own_api_urls_are_accepted() -> None:
    base = "http://127.0.0.1:9/zoho"
    assert api_origin(f"{base}/api/eu/", base) == (f"{base}/api/eu", "eu")
    for domain in ("https://www.zohoapis.eu", f"{base}/api/xx", f"{base}/api/eu/../../x", "http://127.0.0.1:9"):
        with pytest.raises(SsrfBlocked, match="stand-in"):
            api_origin(domain, base)


def fake_accounts(token_body: dict[str, Any]) -> Server:
    """Zoho accounts servers: consent redirects with ``location=eu`` (and an ``accounts-server``
    the flow must ignore); the token call answers ``token_body`` with HTTP 200 (Zoho's way,
    errors included)."""
    return authorisation_server(token_body, {"location": "eu", "accounts-server": "https://accounts.zoho.eu"})


def _harness(fake: Server, config: dict[str, Any]) -> FakeHostHarness:
    return FakeHostHarness(ZohoConnector, fake, config)


@pytest.fixture
def listener() -> Iterator[Server]:
    """A loopback server that must never be called (it is even an allowed connector host)."""
    with Server() as server:
        yield server


def _token_posts(private_sandbox: Any) -> list[str]:
    return [r.path for r in private_sandbox.sandbox.requests("zoho") if r.method == "POST"]


@pytest.mark.parametrize("where", ["listener", "https://attacker.example", "https://accounts.zoho.com"])
async def test_the_code_goes_to_the_locations_accounts_server_not_accounts_server(
        where, private_sandbox, listener, unconnected):
    harness = ZohoHarness(private_sandbox)
    harness.allowed_hosts = (*harness.allowed_hosts, listener.netloc)
    env = await unconnected(harness)
    outcome = await authorise(env, **{"accounts-server": listener.base_url if where == "listener" else where})
    assert outcome.ok, outcome.message
    assert listener.requests == []
    assert _token_posts(private_sandbox) == ["/zoho/accounts/eu/oauth/v2/token"]
    assert (await env.credentials())["extra"]["data_centre"] == "eu"


@pytest.mark.parametrize("location", ["xx", "attacker.example", "eu.attacker.example"])
async def test_an_unknown_location_is_refused_and_nothing_is_sent(location, private_sandbox, listener, unconnected):
    harness = ZohoHarness(private_sandbox)
    harness.allowed_hosts = (*harness.allowed_hosts, listener.netloc)
    env = await unconnected(harness)
    outcome = await authorise(env, location=location, **{"accounts-server": listener.base_url})
    assert not outcome.ok and "unknown data centre" in outcome.message
    assert listener.requests == [] and _token_posts(private_sandbox) == []
    status, credentials = await connection_status(env)
    assert status != "connected" and not credentials


def _production(monkeypatch: pytest.MonkeyPatch, fake: Server) -> None:
    """Zoho's real rules (no stand-in configured), with the fake playing accounts.zoho.*."""
    monkeypatch.setattr(ZohoConnector, "authorize_endpoint",
                        classmethod(lambda cls, c: f"{fake.base_url}/accounts/us/oauth/v2/auth"))
    monkeypatch.setattr(ZohoConnector, "token_endpoint",
                        classmethod(lambda cls, c, p: f"{fake.base_url}/accounts/{centre(p['location']).key}"
                                    "/oauth/v2/token"))


async def _assert_refused(env: Environment, fake: Server, outcome: oauth.CallbackOutcome, words: str) -> None:
    assert not outcome.ok and words in outcome.message, outcome.message
    assert fake.paths == [
        ("GET", "/accounts/us/oauth/v2/auth"), ("POST", "/accounts/eu/oauth/v2/token")]
    status, credentials = await connection_status(env)
    assert status != "connected" and not credentials


@pytest.mark.parametrize("domain", [d for d in HOSTILE_API if d])
async def test_a_hostile_api_domain_is_refused_at_connect_time(domain, unconnected, monkeypatch):
    with fake_accounts({"access_token": "1000.a", "refresh_token": "1000.r", "api_domain": domain,
                        "token_type": "Bearer", "expires_in": 3600}) as fake:
        _production(monkeypatch, fake)
        env = await unconnected(_harness(fake, {}))
        await _assert_refused(env, fake, await authorise(env), "refused")


@pytest.mark.parametrize("domain", ["https://attacker.example", "https://www.zohoapis.eu", "{base}/api/xx",
                                    "{base}/api/eu.attacker"])
async def test_with_a_stand_in_only_its_api_domain_is_accepted(domain, unconnected):
    body: dict[str, Any] = {"access_token": "1000.a", "expires_in": 3600}
    with fake_accounts(body) as stand_in:
        body["api_domain"] = domain.format(base=stand_in.base_url)
        env = await unconnected(_harness(stand_in, {"base_url": stand_in.base_url}))
        await _assert_refused(env, stand_in, await authorise(env), "refused")


async def test_with_a_stand_in_its_own_api_domain_is_stored(unconnected):
    body: dict[str, Any] = {"access_token": "1000.a", "expires_in": 3600}
    with fake_accounts(body) as stand_in:
        body["api_domain"] = f"{stand_in.base_url}/api/eu"
        env = await unconnected(_harness(stand_in, {"base_url": stand_in.base_url}))
        outcome = await authorise(env)
        assert outcome.ok, outcome.message
        assert (await env.credentials())["extra"] == {"api_domain": body["api_domain"], "data_centre": "eu"}


async def test_a_zoho_api_domain_is_stored_with_its_data_centre(unconnected, monkeypatch):
    with fake_accounts({"access_token": "1000.a", "refresh_token": "1000.r", "api_domain": "https://www.zohoapis.eu",
                        "token_type": "Bearer", "expires_in": 3600}) as fake:
        _production(monkeypatch, fake)
        env = await unconnected(_harness(fake, {}))
        outcome = await authorise(env)
        assert outcome.ok, outcome.message
        credentials = await env.credentials()
        assert credentials["extra"] == {"api_domain": "https://www.zohoapis.eu", "data_centre": "eu"}
        assert ZohoConnector.base_url(ZohoConnector.config_type(), credentials["extra"]) == (
            "https://www.zohoapis.eu/crm/v8")


async def test_a_token_error_in_a_200_answer_is_a_clear_refusal(unconnected, monkeypatch):
    with fake_accounts({"error": "invalid_code"}) as fake:
        _production(monkeypatch, fake)
        env = await unconnected(_harness(fake, {}))
        await _assert_refused(env, fake, await authorise(env), "invalid_code")


async def test_a_tampered_stored_api_domain_is_never_called(private_sandbox, open_env):
    """Credentials naming another host (however they got there) stop the sync before a request."""
    async with open_env(ZohoHarness(private_sandbox)) as env:
        private_sandbox.sandbox.clear_requests()
        with pytest.raises(SsrfBlocked, match="api_domain"):
            await open_with_tampered_credentials(env, api_domain="https://attacker.example")
        assert private_sandbox.sandbox.requests("zoho") == []
