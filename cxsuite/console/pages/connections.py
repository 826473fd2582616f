"""Connections: add one (OAuth through the vendor's own consent page), its health, imports,
upload, sync and disconnect."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath

from cxsuite.console.api import ApiError
from cxsuite.console.context import Console, deleted, redirect, shown
from cxsuite.console.forms import FormState, form_of, refusable, send_file
from cxsuite.console.pages.home import _workspace_page, items


class ConnectionPages(Controller):
    """One connection and the forms that change it."""

    @post("/w/{workspace_id:uuid}/connections")
    async def create(self, request: Request, workspace_id: FromPath[UUID]) -> Response[Any]:
        """Add a connection; an OAuth one continues at the vendor's consent page."""
        values = await form_of(request)
        async with await Console.open(request) as c:
            body: dict[str, Any] = {"connector": values.get("connector", "")}
            if values.get("name"):
                body["name"] = values["name"]
            config = {k.removeprefix("config."): v for k, v in values.items()
                      if k.startswith("config.") and v}
            if config:
                body["config"] = config
            try:
                made = await c.api.post(f"/workspaces/{workspace_id}/connections", body)
            except ApiError as error:
                if not refusable(error):
                    raise
                refused = FormState.refused(values, error, known=("connector", "name", "config"))
                return await _workspace_page(c, workspace_id, status=error.status, connection_form=refused)
            if made.get("authorize_url"):
                return c.page("authorize.html", connection=made["connection"],
                              authorize_url=made["authorize_url"])
            return redirect(f"/c/{made['connection']['id']}", "connection-created")

    @get("/c/{connection_id:uuid}")
    async def show(self, request: Request, connection_id: FromPath[UUID]) -> Response[Any]:
        """Health, last import, records that could not be imported, recent jobs."""
        return await shown(request, _page, connection_id)

    @post("/c/{connection_id:uuid}/authorize")
    async def authorize(self, request: Request, connection_id: FromPath[UUID]) -> Response[str]:
        """Reconnect: a fresh consent link at the vendor."""
        async with await Console.open(request) as c:
            connection = await c.api.get(f"/connections/{connection_id}")
            out = await c.api.post(f"/connections/{connection_id}/authorize")
            return c.page("authorize.html", connection=connection, authorize_url=out["authorize_url"])

    @post("/c/{connection_id:uuid}/sync")
    async def sync(self, request: Request, connection_id: FromPath[UUID]) -> Response[Any]:
        """Start an import and watch it."""
        async with await Console.open(request) as c:
            job = await c.api.post(f"/connections/{connection_id}/sync")
            return redirect(f"/jobs/{job['id']}?back=/c/{connection_id}")

    @post("/c/{connection_id:uuid}/disconnect")
    async def disconnect(self, request: Request, connection_id: FromPath[UUID]) -> Response[Any]:
        """Remove the connection; its stored credentials are revoked and deleted."""
        return await deleted(request, f"/connections/{connection_id}", "disconnected")

    @post("/c/{connection_id:uuid}/upload", opt={"max_body_setting": "upload_max_bytes"})
    async def upload(self, request: Request, connection_id: FromPath[UUID]) -> Response[Any]:
        """Upload the export a file connection imports, then start its import."""
        async with await Console.open(request) as c:
            refused = await send_file(c, "POST", f"/connections/{connection_id}/upload")
            if refused:
                return await _page(c, connection_id, status=refused.status, upload_form=refused.form)
            job = await c.api.post(f"/connections/{connection_id}/sync")
            return redirect(f"/jobs/{job['id']}?back=/c/{connection_id}")


async def _page(c: Console, connection_id: UUID, status: int = 200, **forms: FormState) -> Response[str]:
    connection = await c.api.get(f"/connections/{connection_id}")
    role = c.role_in(connection["workspace_id"])
    issues = await items(c, f"/connections/{connection_id}/issues", limit=20)
    jobs = [j for j in await items(c, f"/workspaces/{connection['workspace_id']}/jobs", kind="sync", limit=50)
            if str(j.get("subject_id", connection_id)) == str(connection_id)][:10]
    return c.page("connection.html", status_code=status, connection=connection, role=role, issues=issues,
                  jobs=jobs, upload_form=forms.get("upload_form", FormState()))
