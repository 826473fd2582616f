"""File import in the console: a client admin uploads a kind's file, sees the detected mapping
and each row's problems, overrides the mapping (a refused choice shows next to its field),
confirms it and starts the import, all through the API's file-import routes."""

from __future__ import annotations

import re

import httpx
import pytest

from tests.imports.flow import new_connection
from tests.support.parties import PASSWORD

pytestmark = pytest.mark.anyio

TICKETS = (b"Ticket ID,Created,Channel\n"
           b"T-1,2025-03-01 10:00,email\n"
           b"T-2,31.02.2025,phone\n")


async def _csrf(http: httpx.AsyncClient, path: str) -> str:
    page = await http.get(path)
    match = re.search(r'name="_csrf_token" value="([^"]+)"', page.text)
    assert match, page.text[:500]
    return match.group(1)


async def test_client_admin_uploads_previews_confirms_and_imports(server, parties) -> None:
    owner = await parties.owner()
    workspace = await parties.workspace(owner)
    admin = await parties.client_user(owner, workspace, "client_admin")
    made = await parties.client.post(f"/api/v1/workspaces/{workspace}/connections", headers=admin.headers,
                                     json={"connector": "file_import", "name": "CRM exports"})
    assert made.status_code in (200, 201), made.text
    conn = made.json()["connection"]["id"]
    async with httpx.AsyncClient(base_url=server.base_url, timeout=30) as http:
        token = await _csrf(http, "/signin")
        await http.post("/signin", data={"_csrf_token": token, "email": admin.email, "password": PASSWORD})
        assert f'href="/c/{conn}/files"' in (await http.get(f"/c/{conn}")).text
        token = await _csrf(http, f"/c/{conn}/files")
        empty = await http.post(f"/c/{conn}/files/tickets", data={"_csrf_token": token}, files={})
        assert empty.status_code == 400 and 'id="f-file-tickets-error"' in empty.text
        sent = await http.post(f"/c/{conn}/files/tickets", data={"_csrf_token": token},
                               files={"file": ("tickets.csv", TICKETS, "text/csv")})
        assert sent.status_code == 303 and sent.headers["location"] == f"/c/{conn}/files/tickets"
        preview = await http.get(f"/c/{conn}/files/tickets")
        assert preview.status_code == 200
        assert 'for="f-col-created_at"' in preview.text
        assert '<option value="Created" selected>' in preview.text  # the detected mapping
        assert "31.02.2025" in preview.text  # the row's problem, naming the cell
        assert (await http.get(f"/c/{conn}/files/nonsense")).status_code == 404
        twice = await http.post(f"/c/{conn}/files/tickets/mapping", data={
            "_csrf_token": token, "col.external_id": "Ticket ID", "col.created_at": "Ticket ID"})
        assert twice.status_code == 422 and 'aria-invalid="true"' in twice.text
        done = await http.post(f"/c/{conn}/files/tickets/mapping", data={
            "_csrf_token": token, "col.external_id": "Ticket ID", "col.created_at": "Created",
            "col.channel": "Channel"})
        assert done.status_code == 303, done.text[:2000]
        started = await http.post(f"/c/{conn}/import", data={"_csrf_token": token})
        assert started.status_code == 303 and started.headers["location"].startswith("/jobs/")


async def test_a_client_viewer_is_told_to_ask_the_consultant(server, parties) -> None:
    owner = await parties.owner()
    workspace = await parties.workspace(owner)
    conn = await new_connection(parties.client, owner.headers, workspace, "CRM exports")
    viewer = await parties.client_user(owner, workspace, "client_viewer")
    async with httpx.AsyncClient(base_url=server.base_url, timeout=30) as http:
        token = await _csrf(http, "/signin")
        await http.post("/signin", data={"_csrf_token": token, "email": viewer.email, "password": PASSWORD})
        page = await http.get(f"/c/{conn}/files")
        assert page.status_code == 403 and 'type="file"' not in page.text  # the API's guard decides
        refused = await http.post(f"/c/{conn}/files/tickets", data={"_csrf_token": token},
                                  files={"file": ("tickets.csv", TICKETS, "text/csv")})
        assert refused.status_code == 403
