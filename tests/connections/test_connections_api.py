"""Connections over HTTP: the OAuth flow end to end against the sandbox, refusals of forged,
expired and replayed states, roles, other tenants, and credentials that stay unreadable."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qsl, urlencode, urlsplit
from uuid import UUID

import httpx
import pytest

from cxsuite.connections import oauth_state
from tests.support.db import app_connection
from tests.support.rows import add_client_user, add_workspace

pytestmark = pytest.mark.anyio


def hubspot_body(sandbox) -> dict:
    return {"connector": "hubspot", "config": {"base_url": f"{sandbox.base_url}/hubspot"}}


async def consent(authorize_url: str) -> str:
    """The browser's trip to the vendor: the sandbox approves and redirects to our callback."""
    async with httpx.AsyncClient() as browser:
        response = await browser.get(authorize_url)
    assert response.status_code in (302, 303), response.text
    return response.headers["location"]


@pytest.fixture
async def owner_with_workspace(parties, settings):
    owner = await parties.owner()
    owner.workspace_id = await add_workspace(settings, owner.tenant_id)
    return owner


async def start_connection(client, owner, sandbox) -> dict:
    response = await client.post(f"/api/v1/workspaces/{owner.workspace_id}/connections",
                                 headers=owner.headers, json=hubspot_body(sandbox))
    assert response.status_code == 201, response.text
    return response.json()


async def test_oauth_flow_connects_and_the_callback_cannot_be_replayed(client, owner_with_workspace,
                                                                       cxsuite_sandbox):
    owner = owner_with_workspace
    created = await start_connection(client, owner, cxsuite_sandbox)
    assert created["connection"]["status"] == "pending"
    params = dict(parse_qsl(urlsplit(created["authorize_url"]).query))
    assert params["code_challenge_method"] == "S256"  # PKCE
    callback = await consent(created["authorize_url"])
    page = await client.get(callback)
    assert page.status_code == 200
    assert "HubSpot is connected" in page.text
    connection = (await client.get(f"/api/v1/connections/{created['connection']['id']}",
                                   headers=owner.headers)).json()
    assert connection["status"] == "connected"
    assert "credentials" not in connection
    replay = await client.get(callback)
    assert replay.status_code == 422
    assert "already used" in replay.text


async def test_forged_and_expired_states_are_refused(client, owner_with_workspace, cxsuite_sandbox,
                                                     settings):
    owner = owner_with_workspace
    created = await start_connection(client, owner, cxsuite_sandbox)
    callback = await consent(created["authorize_url"])
    query = dict(parse_qsl(urlsplit(callback).query))
    ids = {"tenant_id": UUID(owner.tenant_id), "workspace_id": UUID(owner.workspace_id),
           "user_id": UUID(owner.user_id), "connection_id": UUID(created["connection"]["id"]),
           "connector": "hubspot"}
    forged, _ = oauth_state.issue("not-the-server-secret" * 3, ttl=timedelta(minutes=5), **ids)
    expired, _ = oauth_state.issue(settings.secret_key, ttl=timedelta(minutes=1),
                                   now=datetime.now(UTC) - timedelta(minutes=30), **ids)
    for state, reason in ((forged, "signature"), (expired, "expired"), ("garbage", "malformed")):
        page = await client.get("/api/v1/oauth/callback?" + urlencode({**query, "state": state}))
        assert page.status_code == 422
        assert reason in page.text
    connection = (await client.get(f"/api/v1/connections/{created['connection']['id']}",
                                   headers=owner.headers)).json()
    assert connection["status"] == "pending"


async def test_html_in_callback_error_is_shown_as_text(client):
    page = await client.get("/api/v1/oauth/callback?" + urlencode({"state": "<script>alert(1)</script>"}))
    assert page.status_code == 422
    assert "<script>" not in page.text


async def test_client_viewer_can_neither_create_nor_read_connections(client, owner_with_workspace,
                                                                     cxsuite_sandbox, settings):
    owner = owner_with_workspace
    created = await start_connection(client, owner, cxsuite_sandbox)
    viewer = await add_client_user(settings, client, owner.tenant_id, owner.workspace_id, "client_viewer")
    base = f"/api/v1/workspaces/{owner.workspace_id}/connections"
    assert (await client.post(base, headers=viewer.headers, json=hubspot_body(cxsuite_sandbox))).status_code == 403
    assert (await client.get(base, headers=viewer.headers)).status_code == 403
    one = f"/api/v1/connections/{created['connection']['id']}"
    assert (await client.get(one, headers=viewer.headers)).status_code == 403
    admin = await add_client_user(settings, client, owner.tenant_id, owner.workspace_id, "client_admin")
    assert (await client.get(one, headers=admin.headers)).status_code == 200


async def test_another_tenants_connection_is_404_and_unchanged(client, parties, settings, cxsuite_sandbox):
    alice, bob = await parties.owner(), await parties.owner()
    bob.workspace_id = await add_workspace(settings, bob.tenant_id)
    created = await start_connection(client, bob, cxsuite_sandbox)
    path = f"/api/v1/connections/{created['connection']['id']}"
    for method in ("GET", "PATCH", "DELETE"):
        kwargs = {"json": {"name": "hijacked"}} if method == "PATCH" else {}
        response = await client.request(method, path, headers=alice.headers, **kwargs)
        assert response.status_code == 404, method
    assert (await client.post(path + "/authorize", headers=alice.headers)).status_code == 404
    assert (await client.get(f"/api/v1/workspaces/{bob.workspace_id}/connections",
                             headers=alice.headers)).status_code == 404
    still = (await client.get(path, headers=bob.headers)).json()
    assert still["name"] == "HubSpot"


async def test_unknown_connector_and_bad_config_are_explained(client, owner_with_workspace):
    owner = owner_with_workspace
    base = f"/api/v1/workspaces/{owner.workspace_id}/connections"
    unknown = await client.post(base, headers=owner.headers, json={"connector": "myspace"})
    assert unknown.status_code == 422
    assert unknown.json()["errors"][0]["field"] == "body.connector"
    bad = await client.post(base, headers=owner.headers,
                            json={"connector": "hubspot", "config": {"base_url": 42}})
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"].startswith("body.config")


@pytest.mark.postgres_only
async def test_credentials_are_unreadable_in_the_database_and_deleted_with_the_connection(
        client, owner_with_workspace, cxsuite_sandbox, settings):
    owner = owner_with_workspace
    created = await start_connection(client, owner, cxsuite_sandbox)
    await client.get(await consent(created["authorize_url"]))
    issued = cxsuite_sandbox.sandbox.oauth
    conn = await app_connection(settings)
    try:
        await conn.execute("SELECT set_config('app.tenant_id', $1, false)", owner.tenant_id)
        stored = await conn.fetchval("SELECT credentials FROM connection WHERE id = $1",
                                     UUID(created["connection"]["id"]))
        assert stored.startswith("v1.")
        assert not any(token in stored for token in _sandbox_tokens(issued))
        path = f"/api/v1/connections/{created['connection']['id']}"
        assert (await client.delete(path, headers=owner.headers)).status_code == 204
        gone = await conn.fetchval("SELECT count(*) FROM connection WHERE id = $1",
                                   UUID(created["connection"]["id"]))
        assert gone == 0
    finally:
        await conn.close()


def _sandbox_tokens(oauth) -> list[str]:
    """Every access and refresh token the sandbox has issued (to prove none is stored in clear)."""
    tokens, refresh = list(oauth._access), list(oauth._refresh)
    assert tokens, "the sandbox should have issued a token"
    return tokens + refresh



@pytest.mark.parametrize("base_url", [
    "http://127.0.0.1:1/hubspot", "http://169.254.169.254/latest/meta-data/", "http://2130706433/",
    "https://api.hubapi.com@127.0.0.1/", "https://api.hubapi.com.attacker.example/", "file:///etc/passwd",
])
async def test_a_base_url_outside_the_egress_policy_is_refused_at_creation(client, owner_with_workspace,
                                                                           base_url, cxsuite_sandbox):
    owner = owner_with_workspace
    cxsuite_sandbox.sandbox.clear_requests()
    response = await client.post(f"/api/v1/workspaces/{owner.workspace_id}/connections", headers=owner.headers,
                                 json={"connector": "hubspot", "config": {"base_url": base_url}})
    assert response.status_code == 422
    problem = response.json()["errors"][0]
    assert problem["field"] == "body.config.base_url"
    assert "refused" in problem["reason"]
    listed = (await client.get(f"/api/v1/workspaces/{owner.workspace_id}/connections", headers=owner.headers)).json()
    assert listed["total"] == 0
