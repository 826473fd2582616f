"""The start page, workspaces (create, archive, members) and the account page."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath

from cxsuite.console.api import ApiError
from cxsuite.console.context import Console, deleted, redirect, shown
from cxsuite.console.forms import FormState, form_of, refusable

CLIENT_ROLES = ("client_admin", "client_viewer")


async def items(c: Console, path: str, **params: Any) -> list[dict[str, Any]]:
    """The items of one page of a list endpoint (the console shows the newest 100)."""
    body = await c.api.get(path, limit=params.pop("limit", 100), **params)
    return body.get("items", []) if isinstance(body, dict) else []


class HomePages(Controller):
    """Start page and workspaces."""

    @get("/")
    async def home(self, request: Request) -> Response[str]:
        """Every workspace the person can see; staff can create one here."""
        async with await Console.open(request) as c:
            return c.page("home.html", workspaces=await items(c, "/workspaces"), form=FormState())

    @post("/workspaces")
    async def create_workspace(self, request: Request) -> Response[Any]:
        """A new client workspace."""
        values = await form_of(request)
        async with await Console.open(request) as c:
            try:
                made = await c.api.post("/workspaces", {"name": values.get("name", ""),
                                                        "description": values.get("description", "")})
            except ApiError as error:
                if not refusable(error):
                    raise
                return c.page("home.html", status_code=error.status, workspaces=await items(c, "/workspaces"),
                              form=FormState.refused(values, error, known=("name", "description")))
            return redirect(f"/w/{made['id']}", "workspace-created")

    @get("/w/{workspace_id:uuid}")
    async def workspace(self, request: Request, workspace_id: FromPath[UUID]) -> Response[Any]:
        """Projects, connections, people and recent jobs of one workspace."""
        return await shown(request, _workspace_page, workspace_id)

    @post("/w/{workspace_id:uuid}/archive")
    async def archive_workspace(self, request: Request, workspace_id: FromPath[UUID]) -> Response[Any]:
        """Archive (the API's delete) a workspace."""
        return await deleted(request, f"/workspaces/{workspace_id}", "workspace-archived", back="/")

    @post("/w/{workspace_id:uuid}/projects")
    async def create_project(self, request: Request, workspace_id: FromPath[UUID]) -> Response[Any]:
        """A new audit project with its audit period."""
        values = await form_of(request)
        async with await Console.open(request) as c:
            body = {k: values[k] for k in ("name", "period_start", "period_end") if values.get(k)}
            try:
                made = await c.api.post(f"/workspaces/{workspace_id}/projects", body)
            except ApiError as error:
                if not refusable(error):
                    raise
                refused = FormState.refused(values, error, known=("name", "period_start", "period_end"))
                return await _workspace_page(c, workspace_id, status=error.status, project_form=refused)
            return redirect(f"/p/{made['id']}", "project-created")

    @post("/w/{workspace_id:uuid}/members")
    async def invite(self, request: Request, workspace_id: FromPath[UUID]) -> Response[Any]:
        """Invite a client admin or viewer (the invitation is mailed)."""
        values = await form_of(request)
        async with await Console.open(request) as c:
            try:
                await c.api.post(f"/workspaces/{workspace_id}/members",
                                 {"email": values.get("email", ""), "role": values.get("role", "")})
            except ApiError as error:
                if not refusable(error):
                    raise
                refused = FormState.refused(values, error, known=("email", "role"))
                return await _workspace_page(c, workspace_id, status=error.status, member_form=refused)
            return redirect(f"/w/{workspace_id}", "invited")


async def _workspace_page(c: Console, workspace_id: UUID, status: int = 200,
                          **forms: FormState) -> Response[str]:
    ws = await c.api.get(f"/workspaces/{workspace_id}")
    role = c.role_in(str(workspace_id))
    staff = role in ("owner", "consultant")
    members = await items(c, f"/workspaces/{workspace_id}/members") if staff else []
    connections = await items(c, f"/workspaces/{workspace_id}/connections") if role != "client_viewer" else []
    jobs = await items(c, f"/workspaces/{workspace_id}/jobs", limit=10) if role != "client_viewer" else []
    catalogue = await c.api.get("/connectors") if role in ("owner", "consultant", "client_admin") else []
    return c.page("workspace.html", status_code=status, ws=ws, role=role, staff=staff,
                  projects=await items(c, f"/workspaces/{workspace_id}/projects"), members=members,
                  connections=connections, jobs=jobs, connectors=_connectors(catalogue),
                  project_form=forms.get("project_form", FormState()),
                  member_form=forms.get("member_form", FormState()),
                  connection_form=forms.get("connection_form", FormState()), client_roles=CLIENT_ROLES)


def _connectors(catalogue: Any) -> list[dict[str, Any]]:
    rows = catalogue.get("items", catalogue) if isinstance(catalogue, dict) else catalogue
    return [row for row in rows or [] if isinstance(row, dict)]
