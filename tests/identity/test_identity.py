"""Sign-up, token exchange, /me, revocation, personal tokens and login throttling over HTTP."""

from __future__ import annotations

import pytest

from tests.support.parties import PASSWORD

pytestmark = pytest.mark.anyio


async def test_signup_returns_tenant_owner_and_working_token(client):
    response = await client.post("/api/v1/signup", json={
        "tenant_name": "Northwind CX", "email": "Ana@Example.test", "password": PASSWORD})
    assert response.status_code == 201
    body = response.json()
    assert body["tenant"]["name"] == "Northwind CX"
    assert body["user"]["email"] == "ana@example.test"
    assert body["token_type"] == "bearer"
    me = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {body['access_token']}"})
    assert me.status_code == 200
    assert me.json()["tenant_role"] == "owner"
    assert me.json()["tenant"]["id"] == body["tenant"]["id"]


async def test_signup_with_taken_email_is_a_conflict(client, parties):
    owner = await parties.owner()
    response = await client.post("/api/v1/signup", json={
        "tenant_name": "Second", "email": owner.email, "password": PASSWORD})
    assert response.status_code == 409
    assert response.headers["content-type"].startswith("application/problem+json")


async def test_token_exchange_and_wrong_password(client, parties):
    owner = await parties.owner()
    good = await client.post("/api/v1/auth/token", json={"email": owner.email, "password": PASSWORD})
    assert good.status_code == 200
    assert good.json()["token_type"] == "bearer"
    me = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {good.json()['access_token']}"})
    assert me.json()["user"]["email"] == owner.email
    bad = await client.post("/api/v1/auth/token", json={"email": owner.email, "password": "nope nope nope"})
    assert bad.status_code == 401
    unknown = await client.post("/api/v1/auth/token", json={"email": "ghost@example.test", "password": PASSWORD})
    assert unknown.status_code == 401
    assert unknown.json()["detail"] == bad.json()["detail"]  # no account enumeration


async def test_repeated_failures_are_throttled_even_with_the_right_password(client, parties, settings):
    owner = await parties.owner()
    for _ in range(settings.login_attempts_per_minute):
        r = await client.post("/api/v1/auth/token", json={"email": owner.email, "password": "wrong password"})
        assert r.status_code == 401
    blocked = await client.post("/api/v1/auth/token", json={"email": owner.email, "password": PASSWORD})
    assert blocked.status_code == 429
    assert int(blocked.headers["retry-after"]) > 0


async def test_revoked_token_stops_working(client, parties):
    owner = await parties.owner()
    assert (await client.post("/api/v1/auth/revoke", headers=owner.headers)).status_code == 204
    assert (await client.get("/api/v1/me", headers=owner.headers)).status_code == 401


async def test_personal_token_lifecycle_never_shows_the_secret_twice(client, parties):
    owner = await parties.owner()
    created = await client.post("/api/v1/tokens", headers=owner.headers, json={"name": "ci script"})
    assert created.status_code == 201
    token = created.json()["token"]
    script = {"Authorization": f"Bearer {token}"}
    assert (await client.get("/api/v1/me", headers=script)).status_code == 200
    listed = await client.get("/api/v1/tokens", headers=owner.headers)
    assert listed.status_code == 200
    assert token not in listed.text
    assert {t["name"] for t in listed.json()["items"]} == {"sign-up", "ci script"}
    gone = await client.delete(f"/api/v1/tokens/{created.json()['id']}", headers=owner.headers)
    assert gone.status_code == 204
    assert (await client.get("/api/v1/me", headers=script)).status_code == 401


async def test_another_tenants_token_id_cannot_be_revoked(client, parties):
    alice, bob = await parties.owner(), await parties.owner()
    created = await client.post("/api/v1/tokens", headers=bob.headers, json={"name": "bob's"})
    attempt = await client.delete(f"/api/v1/tokens/{created.json()['id']}", headers=alice.headers)
    assert attempt.status_code == 404
    bobs = {"Authorization": f"Bearer {created.json()['token']}"}
    assert (await client.get("/api/v1/me", headers=bobs)).status_code == 200


@pytest.mark.parametrize("header", [
    "Bearer nonsense", "Bearer cxs_00000000000000000000000000000000_" + "a" * 43, "Basic abc", ""])
async def test_malformed_or_forged_tokens_are_401(client, header):
    response = await client.get("/api/v1/me", headers={"Authorization": header} if header else {})
    assert response.status_code == 401
    assert response.json()["status"] == 401


async def test_a_token_whose_tenant_prefix_is_swapped_is_refused(client, parties):
    alice, bob = await parties.owner(), await parties.owner()
    secret = alice.token.rsplit("_", 1)[1]
    forged = f"cxs_{bob.tenant_id.replace('-', '')}_{secret}"
    assert (await client.get("/api/v1/me", headers={"Authorization": f"Bearer {forged}"})).status_code == 401
