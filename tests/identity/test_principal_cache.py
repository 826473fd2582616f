"""The principal cache (``cxsuite.identity.principal_cache``) never lets a change to access
wait for its expiry in the process that made the change, and bounds it everywhere else.

Every HTTP test first makes the cached entry exist (two authenticated calls), then changes
access through the API and expects the very next request to see it.
"""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid4

import pytest

from cxsuite.access.principal import Principal, Role
from cxsuite.identity import principal_cache
from cxsuite.identity.tables import ApiToken
from tests.support.parties import PASSWORD

pytestmark = pytest.mark.anyio


async def _warm(client, headers: dict[str, str], path: str = "/api/v1/me") -> None:
    for _ in range(2):
        assert (await client.get(path, headers=headers)).status_code == 200


async def test_signed_out_token_is_refused_on_the_next_request(client, parties):
    owner = await parties.owner()
    await _warm(client, owner.headers)
    assert (await client.post("/api/v1/auth/revoke", headers=owner.headers)).status_code == 204
    assert (await client.get("/api/v1/me", headers=owner.headers)).status_code == 401


async def test_token_revoked_by_id_is_refused_on_the_next_request(client, parties):
    owner = await parties.owner()
    made = await client.post("/api/v1/tokens", headers=owner.headers, json={"name": "script"})
    assert made.status_code == 201, made.text
    script = {"Authorization": f"Bearer {made.json()['token']}"}
    await _warm(client, script)
    revoked = await client.delete(f"/api/v1/tokens/{made.json()['id']}", headers=owner.headers)
    assert revoked.status_code == 204
    answer = await client.get("/api/v1/me", headers=script)
    assert answer.status_code == 401
    assert answer.headers["content-type"].startswith("application/problem+json")


async def test_removed_workspace_member_loses_access_on_the_next_request(client, parties):
    owner = await parties.owner()
    workspace = await parties.workspace(owner)
    viewer = await parties.client_user(owner, workspace, "client_viewer")
    await _warm(client, viewer.headers, f"/api/v1/workspaces/{workspace}")
    removed = await client.delete(f"/api/v1/workspaces/{workspace}/members/{viewer.member_id}",
                                  headers=owner.headers)
    assert removed.status_code == 204
    assert (await client.get(f"/api/v1/workspaces/{workspace}", headers=viewer.headers)).status_code == 401


async def test_demoted_client_admin_cannot_manage_members_on_the_next_request(client, parties):
    owner = await parties.owner()
    workspace = await parties.workspace(owner)
    admin = await parties.client_user(owner, workspace, "client_admin")
    await _warm(client, admin.headers, f"/api/v1/workspaces/{workspace}/members")
    demoted = await client.patch(f"/api/v1/workspaces/{workspace}/members/{admin.member_id}",
                                 headers=owner.headers, json={"role": "client_viewer"})
    assert demoted.status_code == 200, demoted.text
    invite = await client.post(f"/api/v1/workspaces/{workspace}/members", headers=admin.headers,
                               json={"email": f"late-{uuid4().hex[:6]}@example.test", "role": "client_viewer"})
    assert invite.status_code == 403


async def test_removed_consultant_loses_access_on_the_next_request(client, parties):
    owner = await parties.owner()
    email = f"consultant-{uuid4().hex[:6]}@example.test"
    added = await client.post("/api/v1/tenant/members", headers=owner.headers,
                              json={"email": email, "role": "consultant"})
    assert added.status_code == 201, added.text
    accepted = await client.post("/api/v1/auth/accept-invite", json={
        "invite_token": parties.invitation_token(email), "password": PASSWORD})
    assert accepted.status_code == 200, accepted.text
    consultant = {"Authorization": f"Bearer {accepted.json()['access_token']}"}
    await _warm(client, consultant)
    removed = await client.delete(f"/api/v1/tenant/members/{added.json()['id']}", headers=owner.headers)
    assert removed.status_code == 204
    assert (await client.get("/api/v1/me", headers=consultant)).status_code == 401


async def test_renamed_tenant_shows_on_the_next_request(client, parties):
    owner = await parties.owner()
    await _warm(client, owner.headers)
    renamed = await client.patch("/api/v1/tenant", headers=owner.headers, json={"name": "Renamed Ltd"})
    assert renamed.status_code == 200, renamed.text
    me = await client.get("/api/v1/me", headers=owner.headers)
    assert me.json()["tenant"]["name"] == "Renamed Ltd"


async def test_revocation_by_another_process_takes_effect_within_the_ttl(client, parties, db, monkeypatch):
    """Another web process revoking the token cannot reach this process's cache: the entry's
    lifetime is the bound (shortened here so the test does not wait five seconds)."""
    monkeypatch.setattr(principal_cache, "TTL_SECONDS", 0.3)
    owner = await parties.owner()
    await _warm(client, owner.headers)
    tenant = UUID(owner.tenant_id)
    async with db.transaction(tenant):
        await ApiToken.update({ApiToken.revoked_at: datetime.now(UTC)}).where(
            ApiToken.tenant_id == tenant).run()
    await asyncio.sleep(0.4)
    assert (await client.get("/api/v1/me", headers=owner.headers)).status_code == 401


def _principal() -> Principal:
    return Principal(user_id=uuid4(), tenant_id=uuid4(), token_id=uuid4(), email="a@example.test",
                     tenant_role=Role.OWNER)


def test_a_lookup_that_began_before_a_revocation_is_not_cached():
    principal, key = _principal(), uuid4().hex
    began = principal_cache.generation()
    principal_cache.forget(principal.tenant_id, principal.user_id)  # revoked meanwhile
    principal_cache.remember(key, principal, None, began)
    assert principal_cache.recall(key) is None


def test_an_entry_never_outlives_its_token():
    principal, key = _principal(), uuid4().hex
    soon = datetime.now(UTC) + timedelta(milliseconds=50)
    principal_cache.remember(key, principal, soon, principal_cache.generation())
    assert principal_cache.recall(key) == principal
    time.sleep(0.06)
    assert principal_cache.recall(key) is None
    expired = uuid4().hex
    principal_cache.remember(expired, principal, datetime.now(UTC) - timedelta(seconds=1),
                             principal_cache.generation())
    assert principal_cache.recall(expired) is None


def test_forget_is_scoped_to_the_user_and_tenant():
    mine, theirs = _principal(), _principal()
    for key, principal in (("mine", mine), ("theirs", theirs)):
        principal_cache.remember(key, principal, None, principal_cache.generation())
    principal_cache.forget(mine.tenant_id, mine.user_id)
    assert principal_cache.recall("mine") is None
    assert principal_cache.recall("theirs") == theirs
