"""GA4 with a service account, over real HTTP against the sandbox on this run's database: the
connection is created with the key file and imports what the OAuth connector imports; bad key
files and forged token URIs are refused naming the field (and nothing is sent); the key never
comes back; a JWT signed with another key is refused by Google's stand-in and the sync fails
saying so; a property the account cannot read names the account to add; a token refused
mid-sync is replaced by a newly signed one."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from cxsuite.connections.runtime import open_connection
from cxsuite.connections.service_account import JWT_BEARER, assertion, parse_key
from cxsuite.connections.tables import Connection
from cxsuite.connectors.engine import SyncEngine
from cxsuite.db.session import Database
from cxsuite.db.sql import execute
from cxsuite.errors import ConnectorConfigError, SsrfBlocked
from cxsuite.sandbox.service_accounts import EMAIL
from tests.connectors.ga4.harness import DAYS, PAGE, STREAM, GA4ServiceAccountHarness, ids_of
from tests.support.jobs import finished_job
from tests.support.parties import Party

pytestmark = pytest.mark.anyio

SCOPE = "https://www.googleapis.com/auth/analytics.readonly"


def other_pem() -> str:
    """A valid RSA key Google never saw."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption()).decode()


def ga4_config(sandbox) -> dict[str, Any]:
    """The last ``DAYS`` days of the sandbox world's traffic, one window, small pages."""
    world_end = max(r.day for r in sandbox.sandbox.world.web)
    return {"base_url": sandbox.base_url, "property_id": sandbox.sandbox.ga4_property_id,
            "start_date": (world_end - timedelta(days=DAYS - 1)).isoformat(), "page_size": PAGE,
            "window_days": 366}


@pytest.fixture
async def owner(parties) -> Party:
    owner = await parties.owner()
    owner.workspace_id = await parties.workspace(owner)
    return owner


async def create(client: httpx.AsyncClient, owner: Party, body: dict[str, Any]) -> httpx.Response:
    return await client.post(f"/api/v1/workspaces/{owner.workspace_id}/connections", headers=owner.headers,
                             json=body)


async def service_account_connection(client, owner, sandbox, key: dict[str, Any] | None = None) -> dict:
    response = await create(client, owner, {"connector": "ga4_service_account", "config": ga4_config(sandbox),
                                            "service_account_key": key or sandbox.service_account_key()})
    assert response.status_code == 201, response.text
    return response.json()


async def sync_job(client, owner, connection_id: str) -> dict[str, Any]:
    started = await client.post(f"/api/v1/connections/{connection_id}/sync", headers=owner.headers)
    assert started.status_code == 202, started.text
    return await finished_job(client, owner.headers, started.json()["id"])


async def imported(settings, owner: Party, connection_id: str) -> dict[str, tuple]:
    """The connection's web-metric rows (read as the app reads them, RLS on) by external id."""
    db = Database.from_url(settings.database_url)
    await db.start()
    try:
        async with db.transaction(owner.tenant_id, write=False):
            rows = await execute(db.engine, "SELECT external_id, date, channel_group, device, landing_page, "
                                 "sessions, engaged_sessions, conversions, revenue FROM record_web_metric "
                                 "WHERE tenant_id = {} AND connection_id = {}", owner.tenant_id, connection_id)
    finally:
        await db.close()
    return {r["external_id"]: (str(r["date"])[:10], *(r[c] for c in (
        "channel_group", "device", "landing_page", "sessions", "engaged_sessions", "conversions", "revenue")))
        for r in rows}


async def test_a_service_account_connection_imports_what_the_oauth_connector_imports(
        client, owner, settings, cxsuite_sandbox, caplog):
    caplog.set_level(logging.DEBUG)
    sandbox = cxsuite_sandbox
    key = sandbox.service_account_key()
    created = await service_account_connection(client, owner, sandbox, key)
    assert created["authorize_url"] is None
    connection = created["connection"]
    assert (connection["auth_kind"], connection["status"]) == ("service_account", "connected")

    oauth = (await create(client, owner, {"connector": "ga4", "config": ga4_config(sandbox)})).json()
    async with httpx.AsyncClient() as browser:
        callback = (await browser.get(oauth["authorize_url"])).headers["location"]
    assert (await client.get(callback)).status_code == 200

    sandbox.sandbox.clear_requests()
    job = await sync_job(client, owner, connection["id"])
    assert job["status"] == "succeeded", job
    grants = [r for r in sandbox.sandbox.requests("ga4") if r.path == "/google/token"]
    assert len(grants) == 1  # one signed JWT for the whole sync
    assert (await sync_job(client, owner, oauth["connection"]["id"]))["status"] == "succeeded"

    by_service_account = await imported(settings, owner, connection["id"])
    by_oauth = await imported(settings, owner, oauth["connection"]["id"])
    first = max(r.day for r in sandbox.sandbox.world.web) - timedelta(days=DAYS - 1)
    assert set(by_service_account) == ids_of(r for r in sandbox.sandbox.world.web if r.day >= first)
    assert by_service_account == by_oauth
    secret_line = key["private_key"].splitlines()[1]
    assert secret_line not in caplog.text


async def test_the_api_never_returns_the_key_and_the_connection_needs_no_oauth(client, owner, cxsuite_sandbox):
    key = cxsuite_sandbox.service_account_key()
    created = await service_account_connection(client, owner, cxsuite_sandbox, key)
    path = f"/api/v1/connections/{created['connection']['id']}"
    listed = await client.get(f"/api/v1/workspaces/{owner.workspace_id}/connections", headers=owner.headers)
    for response in (await client.get(path, headers=owner.headers), listed):
        assert response.status_code == 200
        assert "PRIVATE KEY" not in response.text and key["private_key_id"] not in response.text
        assert key["private_key"].splitlines()[1] not in response.text
    assert "PRIVATE KEY" not in str(created)
    authorize = await client.post(path + "/authorize", headers=owner.headers)
    assert authorize.status_code == 422
    assert "does not use OAuth" in authorize.text


def _broken(key: dict[str, Any], change: str) -> dict[str, Any]:
    broken = dict(key)
    if change == "no_private_key":
        del broken["private_key"]
    elif change == "not_a_service_account":
        broken["type"] = "authorized_user"
    elif change == "garbage_pem":
        broken["private_key"] = "-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n"
    elif change == "no_email":
        broken["client_email"] = ""
    return broken


@pytest.mark.parametrize(("change", "field", "reason"), [
    ("no_private_key", "private_key", "required"),
    ("not_a_service_account", "type", "service_account"),
    ("garbage_pem", "private_key", "PEM private key"),
    ("no_email", "client_email", "required"),
])
async def test_a_bad_key_file_is_refused_naming_the_field(client, owner, cxsuite_sandbox, change, field, reason):
    body = {"connector": "ga4_service_account", "config": ga4_config(cxsuite_sandbox),
            "service_account_key": _broken(cxsuite_sandbox.service_account_key(), change)}
    response = await create(client, owner, body)
    assert response.status_code == 422, response.text
    problems = {e["field"]: e["reason"] for e in response.json()["errors"]}
    assert reason in problems[f"body.service_account_key.{field}"]
    listed = await client.get(f"/api/v1/workspaces/{owner.workspace_id}/connections", headers=owner.headers)
    assert listed.json()["total"] == 0


async def test_keys_go_only_to_service_account_connectors(client, owner, cxsuite_sandbox):
    key = cxsuite_sandbox.service_account_key()
    missing = await create(client, owner, {"connector": "ga4_service_account", "config": ga4_config(cxsuite_sandbox)})
    assert missing.status_code == 422
    assert missing.json()["errors"][0]["field"] == "body.service_account_key"
    oauth = await create(client, owner, {"connector": "ga4", "config": ga4_config(cxsuite_sandbox),
                                         "service_account_key": key})
    assert oauth.status_code == 422
    assert oauth.json()["errors"][0]["field"] == "body.service_account_key"


@pytest.mark.parametrize("token_uri", [
    "https://attacker.example/token", "http://127.0.0.1/token", "https://127.0.0.1/token",
    "http://169.254.169.254/computeMetadata/v1/", "https://oauth2.googleapis.com@127.0.0.1/token",
    "{sandbox}/ga4/token", "{sandbox}/google/token?next=https://attacker.example",
])
async def test_a_forged_token_uri_is_refused_and_nothing_is_sent(client, owner, cxsuite_sandbox, token_uri):
    key = {**cxsuite_sandbox.service_account_key(), "token_uri": token_uri.format(sandbox=cxsuite_sandbox.base_url)}
    cxsuite_sandbox.sandbox.clear_requests()
    response = await create(client, owner, {"connector": "ga4_service_account",
                                            "config": ga4_config(cxsuite_sandbox), "service_account_key": key})
    assert response.status_code == 422, response.text
    problem = response.json()["errors"][0]
    assert problem["field"] == "body.service_account_key.token_uri"
    assert "refused" in problem["reason"]
    assert cxsuite_sandbox.sandbox.requests() == []


async def test_a_stored_key_with_a_foreign_token_uri_is_refused_at_sync_time(cxsuite_fresh_sandbox, open_env):
    """Defence in depth: a key that reached the database some other way still signs nothing
    for a host other than the connector's token endpoint."""
    sandbox = cxsuite_fresh_sandbox
    harness = GA4ServiceAccountHarness(sandbox)
    harness.service_account_key = lambda: {**sandbox.service_account_key(),  # type: ignore[method-assign]
                                           "token_uri": sandbox.url("/google/o/oauth2/auth")}
    async with open_env(harness) as env:
        sandbox.sandbox.clear_requests()
        with pytest.raises(SsrfBlocked, match="token_uri"):
            await env.sync()
    assert sandbox.sandbox.requests() == []


async def test_a_jwt_signed_with_another_key_is_refused_by_google(cxsuite_sandbox):
    sandbox = cxsuite_sandbox
    genuine = parse_key(sandbox.service_account_key())
    token_uri = genuine.token_uri
    now = datetime.now(UTC)
    forged = parse_key({**sandbox.service_account_key(), "private_key": other_pem()})
    cases = {
        "Invalid JWT Signature.": assertion(forged, [SCOPE], token_uri, now),
        "Token must be a short-lived token": assertion(genuine, [SCOPE], token_uri, now - timedelta(hours=2)),
        "audience": assertion(genuine, [SCOPE], "https://oauth2.googleapis.com/token", now),
    }
    async with httpx.AsyncClient() as http:
        for said, jwt in cases.items():
            response = await http.post(token_uri, data={"grant_type": JWT_BEARER, "assertion": jwt})
            assert response.status_code == 400
            assert response.json()["error"] == "invalid_grant"
            assert said in response.json()["error_description"]
        good = await http.post(token_uri, data={"grant_type": JWT_BEARER,
                                                "assertion": assertion(genuine, [SCOPE], token_uri, now)})
    assert good.status_code == 200 and good.json()["token_type"] == "Bearer"
    assert "refresh_token" not in good.json()


async def test_a_sync_with_a_key_google_does_not_know_fails_saying_why(client, owner, cxsuite_sandbox):
    key = {**cxsuite_sandbox.service_account_key(), "private_key": other_pem()}
    created = await service_account_connection(client, owner, cxsuite_sandbox, key)
    job = await sync_job(client, owner, created["connection"]["id"])
    assert job["status"] == "failed"
    assert "Invalid JWT Signature" in job["error"] and "upload a new key file" in job["error"]
    connection = (await client.get(f"/api/v1/connections/{created['connection']['id']}",
                                   headers=owner.headers)).json()
    assert connection["status"] == "error"
    assert "Invalid JWT Signature" in connection["status_detail"]


async def test_a_granted_token_clears_an_earlier_refusal(cxsuite_fresh_sandbox, open_env):
    """Once Google grants a token again (the key was re-enabled), the connection is connected
    again and scheduled syncs pick it up."""
    async with open_env(GA4ServiceAccountHarness(cxsuite_fresh_sandbox)) as env:
        async with env.db.transaction(env.principal.tenant_id):
            await Connection.update({Connection.status: "error", Connection.status_detail: "refused"}).where(
                Connection.id == env.connection_id).run()
        await env.sync()
        async with env.db.transaction(env.principal.tenant_id, write=False):
            row = await Connection.select(Connection.status, Connection.status_detail).where(
                Connection.id == env.connection_id).first().run()
    assert row == {"status": "connected", "status_detail": ""}


async def test_a_property_the_service_account_cannot_read_names_the_account_to_add(cxsuite_fresh_sandbox,
                                                                                  open_env):
    harness = GA4ServiceAccountHarness(cxsuite_fresh_sandbox, property_id="398765432")
    async with open_env(harness) as env:
        with pytest.raises(ConnectorConfigError) as raised:
            await env.sync()
    detail = raised.value.detail
    assert "property 398765432" in detail and "PERMISSION_DENIED" in detail
    assert f"service account {EMAIL}" in detail and "Property access management" in detail


async def test_a_token_refused_mid_sync_is_replaced_by_a_newly_signed_one(cxsuite_fresh_sandbox, open_env):
    sandbox = cxsuite_fresh_sandbox
    harness = GA4ServiceAccountHarness(sandbox)
    harness.today = harness.world_end
    async with open_env(harness) as env:
        sandbox.sandbox.clear_requests()

        commits = 0

        async def expire_after_the_first_commit() -> bool:
            # Once: the connector reads the next page while a commit is written, so a token
            # expired at every commit could be expired again between its refresh and the
            # retry — a vendor revoking each new token at once, which no vendor does.
            nonlocal commits
            commits += 1
            if commits == 1:
                sandbox.sandbox.expire_tokens()
            return False

        async with open_connection(env.db, env.settings, env.connectors, env.principal.tenant_id,
                                   env.connection_id) as opened:
            engine = SyncEngine(env.db, opened.scope, opened.connector, cancelled=expire_after_the_first_commit,
                                commit_rows=PAGE)
            await engine.run([STREAM])
        rows = await env.stored(STREAM)
    assert set(rows) == ids_of(harness.rows())
    grants = [r for r in sandbox.sandbox.requests("ga4") if r.path == "/google/token"]
    reports = [r for r in sandbox.sandbox.requests("ga4") if r.path.endswith(":runReport")]
    assert len(reports) > 2 and len(grants) > 1
