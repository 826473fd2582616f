"""A connection's configuration after it was created: edited through PATCH, checked by the
connector's own schema, audited; and messages only an operator can act on are shown to a
client admin in words they can act on."""

from __future__ import annotations

import pytest

from tests.connections.test_connections_api import consent, start_connection
from tests.support.rows import add_client_user, add_workspace

pytestmark = pytest.mark.anyio


@pytest.fixture
async def owner_with_workspace(parties, settings):
    owner = await parties.owner()
    owner.workspace_id = await add_workspace(settings, owner.tenant_id)
    return owner


async def test_the_configuration_is_edited_checked_and_audited(client, owner_with_workspace, cxsuite_sandbox,
                                                               settings):
    owner = owner_with_workspace
    created = await start_connection(client, owner, cxsuite_sandbox)
    url = f"/api/v1/connections/{created['connection']['id']}"
    admin = await add_client_user(settings, client, owner.tenant_id, owner.workspace_id, "client_admin")
    viewer = await add_client_user(settings, client, owner.tenant_id, owner.workspace_id, "client_viewer")

    edited = await client.patch(url, headers=admin.headers, json={"config": {"account_time_zone": "Europe/Vilnius"}})
    assert edited.status_code == 200, edited.text
    config = edited.json()["config"]
    assert config["account_time_zone"] == "Europe/Vilnius"
    assert config["base_url"] == created["connection"]["config"]["base_url"]  # untouched keys stay
    assert (await client.get(url, headers=owner.headers)).json()["config"] == config

    for body, field in (({"config": {"account_time_zone": "Mars/Olympus"}}, "body.config"),
                        ({"config": {"no_such_setting": 1}}, "body.config")):
        refused = await client.patch(url, headers=owner.headers, json=body)
        assert refused.status_code == 422, refused.text
        assert refused.json()["errors"][0]["field"].startswith(field)
    assert (await client.get(url, headers=owner.headers)).json()["config"] == config  # nothing written

    reset = await client.patch(url, headers=owner.headers, json={"config": {"account_time_zone": None}})
    assert reset.status_code == 200 and reset.json()["config"]["account_time_zone"] == "UTC"  # null: default

    assert (await client.patch(url, headers=viewer.headers, json={"config": {}})).status_code == 403

    audit = (await client.get("/api/v1/audit-events?limit=100", headers=owner.headers)).json()["items"]
    updates = [e for e in audit if e["action"] == "connection.updated" and e["object_id"] == created["connection"]["id"]]
    assert len(updates) == 2
    assert all(e["details"]["config_keys"] == ["account_time_zone"] for e in updates)


async def test_where_credentials_go_cannot_change_once_connected(client, owner_with_workspace, cxsuite_sandbox):
    """Tokens granted for one host must never be sent to another: ``base_url`` may change
    while a connection is pending, not once it holds credentials."""
    owner = owner_with_workspace
    created = await start_connection(client, owner, cxsuite_sandbox)
    url = f"/api/v1/connections/{created['connection']['id']}"
    moved = f"{cxsuite_sandbox.base_url}/hubspot/"
    assert (await client.patch(url, headers=owner.headers, json={"config": {"base_url": moved}})).status_code == 200
    created = (await client.post(f"{url}/authorize", headers=owner.headers)).json()
    await client.get(await consent(created["authorize_url"]))
    assert (await client.get(url, headers=owner.headers)).json()["status"] == "connected"
    refused = await client.patch(url, headers=owner.headers,
                                 json={"config": {"base_url": f"{cxsuite_sandbox.base_url}/elsewhere"}})
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "body.config.base_url"
    assert "create" in refused.json()["errors"][0]["reason"]


async def test_an_operator_only_message_reaches_a_client_admin_in_their_words(
        client, owner_with_workspace, cxsuite_sandbox, settings, server):
    """cxsuite has no OAuth app for the vendor: the consultant reads which setting is missing,
    the client admin is not told about server settings they cannot change."""
    owner = owner_with_workspace
    created = await start_connection(client, owner, cxsuite_sandbox)
    url = f"/api/v1/connections/{created['connection']['id']}/authorize"
    admin = await add_client_user(settings, client, owner.tenant_id, owner.workspace_id, "client_admin")
    clients = server.app.state.settings.oauth_clients
    saved = dict(clients)
    clients.pop("hubspot", None)
    try:
        for_owner = await client.post(url, headers=owner.headers)
        for_admin = await client.post(url, headers=admin.headers)
    finally:
        clients.clear()
        clients.update(saved)
    assert for_owner.status_code == for_admin.status_code == 422
    assert "CXSUITE_OAUTH_CLIENTS" in for_owner.json()["detail"]
    words = for_admin.json()["detail"]
    assert "CXSUITE_" not in words and "consultant" in words


async def test_a_stored_operator_only_status_is_worded_for_each_reader(client, owner_with_workspace, cxsuite_sandbox,
                                                                      settings, db):
    """A sync that failed for a server setting (here: the key that encrypted the credentials
    was taken out of rotation, as ``cxsuite.connections.crypto`` words it) leaves that message
    on the connection; the consultancy reads it, the client admin reads what it means for them."""
    from uuid import UUID

    from cxsuite.connections.tables import Connection

    owner = owner_with_workspace
    created = await start_connection(client, owner, cxsuite_sandbox)
    detail = ("the key k2 that encrypted these credentials is no longer configured; restore it in "
              "CXSUITE_ENCRYPTION_KEYS or reconnect")
    async with db.transaction(UUID(owner.tenant_id)):
        await Connection.update({Connection.status: "error", Connection.status_detail: detail}).where(
            Connection.id == UUID(created["connection"]["id"])).run()
    admin = await add_client_user(settings, client, owner.tenant_id, owner.workspace_id, "client_admin")
    url = f"/api/v1/connections/{created['connection']['id']}"
    assert (await client.get(url, headers=owner.headers)).json()["status_detail"] == detail
    for_admin = (await client.get(url, headers=admin.headers)).json()
    listed = (await client.get(f"/api/v1/workspaces/{owner.workspace_id}/connections",
                               headers=admin.headers)).json()["items"][0]
    for shown in (for_admin["status_detail"], listed["status_detail"]):
        assert "CXSUITE_" not in shown and "consultant" in shown
