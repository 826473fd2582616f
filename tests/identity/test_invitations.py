"""Invitations: mailed to the invitee only, re-sendable, revocable, expiring, single use, and
an existing password survives accepting one."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid4

import pytest

from cxsuite.identity.tables import Invitation
from cxsuite.mail.transport import outbox_dir
from tests.support.mail import link_in, wait_for_mail
from tests.support.parties import PASSWORD

pytestmark = pytest.mark.anyio
EMAIL = "invitee@example.test"


@pytest.fixture(autouse=True)
def _unique_invitee(monkeypatch):
    """Each test invites its own address: a person one test leaves behind (with a password,
    say) must not turn another test's invitation into "already a member"."""
    monkeypatch.setattr(f"{__name__}.EMAIL", f"invitee-{uuid4().hex[:8]}@example.test")


async def invite(client, inviter, workspace: str, email: str | None = None, role: str = "client_viewer"):
    return await client.post(f"/api/v1/workspaces/{workspace}/members", headers=inviter.headers,
                             json={"email": email or EMAIL, "role": role})


async def accept(client, token: str, password: str | None = PASSWORD):
    body = {"invite_token": token} | ({"password": password} if password else {})
    return await client.post("/api/v1/auth/accept-invite", json=body)


async def test_the_invitation_is_mailed_to_the_invitee_with_a_console_link(client, parties, server):
    owner = await parties.owner("Northwind CX")
    workspace = await parties.workspace(owner)
    invited = await invite(client, owner, workspace)
    assert invited.json()["invite_token"] is None
    assert invited.json()["status"] == "invited"
    mail = wait_for_mail(outbox_dir(server.settings), EMAIL, "invitation")
    assert mail["Subject"] == "Your invitation to Northwind CX"
    assert link_in(mail).startswith(f"{server.settings.public_base_url}/accept-invitation?token=cxi_")


async def test_re_inviting_a_pending_person_re_sends_with_a_fresh_token(client, parties):
    owner = await parties.owner()
    workspace = await parties.workspace(owner)
    first = await invite(client, owner, workspace)
    again = await invite(client, owner, workspace)
    assert again.status_code == 201
    assert again.json()["id"] == first.json()["id"]
    old, new = parties.invitation_token(EMAIL, 1), parties.invitation_token(EMAIL, 2)
    assert old != new
    assert (await accept(client, old)).status_code == 401
    assert (await accept(client, new)).status_code == 200
    assert (await invite(client, owner, workspace)).status_code == 409  # active now: no re-send


async def test_re_adding_a_pending_consultant_re_sends_too(client, parties):
    owner = await parties.owner()
    body = {"email": EMAIL, "role": "consultant"}
    first = await client.post("/api/v1/tenant/members", headers=owner.headers, json=body)
    again = await client.post("/api/v1/tenant/members", headers=owner.headers, json=body)
    assert (first.status_code, again.status_code) == (201, 201)
    assert (await accept(client, parties.invitation_token(EMAIL, 1))).status_code == 401
    assert (await accept(client, parties.invitation_token(EMAIL, 2))).status_code == 200


async def test_removing_the_member_revokes_the_invitation(client, parties):
    owner = await parties.owner()
    workspace = await parties.workspace(owner)
    member = (await invite(client, owner, workspace)).json()
    removed = await client.delete(f"/api/v1/workspaces/{workspace}/members/{member['id']}", headers=owner.headers)
    assert removed.status_code == 204
    assert (await accept(client, parties.invitation_token(EMAIL))).status_code == 401


async def test_an_expired_invitation_is_refused(client, parties, db):
    owner = await parties.owner()
    workspace = await parties.workspace(owner)
    await invite(client, owner, workspace)
    async with db.transaction(UUID(owner.tenant_id)):
        await Invitation.update({Invitation.expires_at: datetime.now(UTC) - timedelta(seconds=1)}).where(
            Invitation.tenant_id == UUID(owner.tenant_id)).run()
    assert (await accept(client, parties.invitation_token(EMAIL))).status_code == 401


async def test_a_new_person_must_choose_a_password_and_an_existing_one_keeps_theirs(client, parties):
    first, second = await parties.owner(), await parties.owner()
    await invite(client, first, await parties.workspace(first))
    await invite(client, second, await parties.workspace(second))
    no_password = await accept(client, parties.invitation_token(EMAIL, 1), password=None)
    assert no_password.status_code == 422
    assert no_password.json()["errors"][0]["field"] == "body.password"
    assert (await accept(client, parties.invitation_token(EMAIL, 1))).status_code == 200
    joined = await accept(client, parties.invitation_token(EMAIL, 2), password="a different password")
    assert joined.status_code == 200
    assert joined.json()["tenant_id"] == second.tenant_id
    kept = await client.post("/api/v1/auth/token", json={
        "email": EMAIL, "password": PASSWORD, "tenant_id": second.tenant_id})
    assert kept.status_code == 200
    replaced = await client.post("/api/v1/auth/token", json={
        "email": EMAIL, "password": "a different password", "tenant_id": second.tenant_id})
    assert replaced.status_code == 401
