"""Workspaces, members, projects, the tenant and its audit log, as users would meet them."""

from __future__ import annotations

import pytest

from tests.support.parties import PASSWORD

pytestmark = pytest.mark.anyio


async def test_workspace_crud_with_pagination(client, parties):
    owner = await parties.owner()
    ids = [await parties.workspace(owner, f"Client {i}") for i in range(3)]
    page = (await client.get("/api/v1/workspaces?limit=2&offset=1", headers=owner.headers)).json()
    assert (page["total"], page["limit"], page["offset"]) == (3, 2, 1)
    assert [w["id"] for w in page["items"]] == ids[1:]
    renamed = await client.patch(f"/api/v1/workspaces/{ids[0]}", headers=owner.headers,
                                 json={"description": "Retail bank"})
    assert renamed.json()["description"] == "Retail bank"
    assert renamed.json()["name"] == "Client 0"
    assert (await client.delete(f"/api/v1/workspaces/{ids[0]}", headers=owner.headers)).status_code == 204
    assert (await client.get(f"/api/v1/workspaces/{ids[0]}", headers=owner.headers)).status_code == 404


async def test_client_users_see_only_their_workspace(client, parties):
    owner = await parties.owner()
    mine, other = await parties.workspace(owner, "Mine"), await parties.workspace(owner, "Other")
    viewer = await parties.client_user(owner, mine, "client_viewer")
    listed = (await client.get("/api/v1/workspaces", headers=viewer.headers)).json()
    assert [w["id"] for w in listed["items"]] == [mine]
    assert (await client.get(f"/api/v1/workspaces/{other}", headers=viewer.headers)).status_code == 404
    assert (await client.get(f"/api/v1/workspaces/{mine}", headers=viewer.headers)).status_code == 200
    assert (await client.patch(f"/api/v1/workspaces/{mine}", headers=viewer.headers,
                               json={"name": "Mine!"})).status_code == 403


async def test_invitation_is_single_use_and_removal_takes_effect_on_the_next_request(client, parties):
    owner = await parties.owner()
    workspace = await parties.workspace(owner)
    admin = await parties.client_user(owner, workspace, "client_admin")
    colleague = await parties.client_user(admin, workspace, "client_viewer")  # admins invite colleagues
    assert (await client.get(f"/api/v1/workspaces/{workspace}", headers=colleague.headers)).status_code == 200
    removed = await client.delete(f"/api/v1/workspaces/{workspace}/members/{colleague.member_id}",
                                  headers=admin.headers)
    assert removed.status_code == 204
    assert (await client.get(f"/api/v1/workspaces/{workspace}", headers=colleague.headers)).status_code == 401
    invited = await client.post(f"/api/v1/workspaces/{workspace}/members", headers=owner.headers,
                                json={"email": "new.person@example.test", "role": "client_viewer"})
    assert invited.json()["invite_token"] is None  # mailed to the invitee, never shown to the inviter
    body = {"invite_token": parties.invitation_token("new.person@example.test"), "password": PASSWORD}
    assert (await client.post("/api/v1/auth/accept-invite", json=body)).status_code == 200
    assert (await client.post("/api/v1/auth/accept-invite", json=body)).status_code == 401


async def test_viewers_cannot_manage_members_and_duplicates_are_refused(client, parties):
    owner = await parties.owner()
    workspace = await parties.workspace(owner)
    viewer = await parties.client_user(owner, workspace, "client_viewer")
    attempt = await client.post(f"/api/v1/workspaces/{workspace}/members", headers=viewer.headers,
                                json={"email": "x@example.test", "role": "client_admin"})
    assert attempt.status_code == 403
    again = await client.post(f"/api/v1/workspaces/{workspace}/members", headers=owner.headers,
                              json={"email": viewer.email, "role": "client_admin"})
    assert again.status_code == 409


async def test_projects_need_only_a_name_and_check_their_period(client, parties):
    owner = await parties.owner()
    workspace = await parties.workspace(owner)
    created = await client.post(f"/api/v1/workspaces/{workspace}/projects", headers=owner.headers,
                                json={"name": "Digital CX audit 2026 Q4"})
    assert created.status_code == 201
    project = created.json()
    assert project["workspace_id"] == workspace
    bad = await client.patch(f"/api/v1/projects/{project['id']}", headers=owner.headers,
                             json={"period_start": "2026-10-01", "period_end": "2026-09-01"})
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "body.period_end"
    good = await client.patch(f"/api/v1/projects/{project['id']}", headers=owner.headers,
                              json={"period_start": "2026-07-01", "period_end": "2026-09-30",
                                    "industry": "Retail banking"})
    assert good.json()["period_end"] == "2026-09-30"
    listed = (await client.get(f"/api/v1/workspaces/{workspace}/projects", headers=owner.headers)).json()
    assert listed["total"] == 1


async def test_audit_log_records_security_actions_for_owners_only(client, parties):
    owner = await parties.owner()
    workspace = await parties.workspace(owner)
    viewer = await parties.client_user(owner, workspace, "client_viewer")
    await client.post("/api/v1/auth/token", json={"email": owner.email, "password": "wrong password!"})
    events = (await client.get("/api/v1/audit-events?limit=200", headers=owner.headers)).json()["items"]
    actions = {(e["action"], e["outcome"]) for e in events}
    assert {("tenant.signup", "success"), ("membership.added", "success"),
            ("invitation.accepted", "success"), ("auth.login", "failure")} <= actions
    only_logins = (await client.get("/api/v1/audit-events?action=auth.login", headers=owner.headers)).json()
    assert {e["action"] for e in only_logins["items"]} == {"auth.login"}
    assert (await client.get("/api/v1/audit-events", headers=viewer.headers)).status_code == 403


async def test_tenant_members_and_the_last_owner(client, parties):
    owner = await parties.owner()
    added = await client.post("/api/v1/tenant/members", headers=owner.headers,
                              json={"email": "consultant@example.test", "role": "consultant"})
    assert added.status_code == 201
    assert added.json()["invite_token"] is None
    assert parties.invitation_token("consultant@example.test").startswith("cxi_")
    members = (await client.get("/api/v1/tenant/members", headers=owner.headers)).json()["items"]
    mine = next(m for m in members if m["email"] == owner.email)
    demote = await client.patch(f"/api/v1/tenant/members/{mine['id']}", headers=owner.headers,
                                json={"role": "consultant"})
    assert demote.status_code == 409
    assert (await client.delete(f"/api/v1/tenant/members/{mine['id']}", headers=owner.headers)).status_code == 409
    renamed = await client.patch("/api/v1/tenant", headers=owner.headers, json={"name": "Renamed CX"})
    assert renamed.json()["name"] == "Renamed CX"
