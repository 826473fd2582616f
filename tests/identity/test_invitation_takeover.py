"""The invitation takeover, performed for real: an attacker who knows an invited email signs up
with it before the invitee accepts, then tries to sign in to the tenant that invited it."""

from __future__ import annotations

import pytest

from tests.support.parties import PASSWORD

pytestmark = pytest.mark.anyio

ATTACKER_PASSWORD = "attacker chose this one"


async def test_signing_up_with_an_invited_email_gains_nothing(client, parties):
    owner = await parties.owner()
    workspace = await parties.workspace(owner)
    victim = "invitee.victim@example.test"
    invited = await client.post(f"/api/v1/workspaces/{workspace}/members", headers=owner.headers,
                                json={"email": victim, "role": "client_admin"})
    assert invited.status_code == 201

    signup = await client.post("/api/v1/signup", json={
        "tenant_name": "Attacker Ltd", "email": victim, "password": ATTACKER_PASSWORD})
    assert signup.status_code != 201, "sign-up must not hand out the invited person's account"
    login = await client.post("/api/v1/auth/token", json={
        "email": victim, "password": ATTACKER_PASSWORD, "tenant_id": owner.tenant_id})
    assert login.status_code == 401

    members = await client.get(f"/api/v1/workspaces/{workspace}/members", headers=owner.headers)
    assert [m["status"] for m in members.json()["items"] if m["email"] == victim] == ["invited"]


async def test_the_attackers_password_never_works_after_the_invitee_accepts(client, parties):
    owner = await parties.owner()
    workspace = await parties.workspace(owner)
    invitee = await parties.client_user(owner, workspace, "client_admin", before_accepting=lambda email: (
        client.post("/api/v1/signup", json={
            "tenant_name": "Attacker Ltd", "email": email, "password": ATTACKER_PASSWORD})))
    me = await client.get("/api/v1/me", headers=invitee.headers)
    assert me.json()["workspace_roles"] == [{"workspace_id": workspace, "role": "client_admin"}]
    for tenant in (owner.tenant_id, None):
        attempt = await client.post("/api/v1/auth/token", json={
            "email": invitee.email, "password": ATTACKER_PASSWORD, "tenant_id": tenant})
        assert attempt.status_code == 401
    own = await client.post("/api/v1/auth/token", json={"email": invitee.email, "password": PASSWORD})
    assert own.status_code == 200
