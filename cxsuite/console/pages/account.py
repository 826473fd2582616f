"""The person's own account: password, tokens; the owner's audit log and operator view."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from uuid import UUID

from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath

from cxsuite.console.api import ApiError
from cxsuite.console.context import Console, deleted, redirect, shown
from cxsuite.console.forms import FormState, form_of, refusable
from cxsuite.console.operator import job_overview, plugin_overview
from cxsuite.console.pages.home import items


class AccountPages(Controller):
    """Account, audit log, operator view."""

    @get("/account")
    async def account(self, request: Request) -> Response[Any]:
        """Who I am, my tokens, and the password form."""
        return await shown(request, _account)

    @post("/account/password")
    async def change_password(self, request: Request) -> Response[Any]:
        """Change the password; every other session ends, this one stays."""
        values = await form_of(request)
        async with await Console.open(request) as c:
            try:
                await c.api.post("/auth/password/change", {
                    "current_password": values.get("current_password", ""),
                    "new_password": values.get("new_password", "")})
            except ApiError as error:
                if not refusable(error):
                    raise
                return await _account(c, status=error.status, form=FormState.refused(
                    values, error, known=("current_password", "new_password")))
            return redirect("/account", "password-changed")

    @post("/account/tokens/{token_id:uuid}/revoke")
    async def revoke(self, request: Request, token_id: FromPath[UUID]) -> Response[Any]:
        """Revoke one of my tokens (revoking this browser's own session signs me out)."""
        return await deleted(request, f"/tokens/{token_id}", "token-revoked", back="/account")

    @get("/audit")
    async def audit(self, request: Request) -> Response[str]:
        """The tenant's audit log, newest first, filtered by who, what, when and which object
        (the API checks every filter; a refused one is shown next to its field). The filters
        are read from the query as text: ``actor`` as a handler parameter would collide with
        the app's ``actor`` dependency."""
        values = {k: str(request.query_params.get(k) or "").strip() for k in AUDIT_FILTERS}
        async with await Console.open(request) as c:
            status, form = 200, FormState(values=values)
            try:
                events = await items(c, "/audit-events", **audit_query(values))
            except ApiError as error:
                if not refusable(error):
                    raise
                status, events, form = error.status, [], FormState.refused(values, error, known=tuple(values))
            return c.page("audit.html", status_code=status, events=events, form=form, people=await people(c))

    @get("/operator")
    async def operator(self, request: Request) -> Response[str]:
        """Jobs across every workspace and the plugins of this installation (tenant owner)."""
        async with await Console.open(request) as c:
            await c.api.get("/audit-events", limit=1)  # owner-only, as the API decides
            return c.page("operator.html", jobs=await job_overview(c),
                          plugins=plugin_overview(request.app.state.plugins))


AUDIT_FILTERS = ("action", "actor", "object_type", "object_id", "since", "until")


async def people(c: Console) -> dict[str, str]:
    """Who can appear in the tenant's audit log, by user id: its owners and consultants and the
    people of every workspace, each shown by email (the picker of the filter *who*)."""
    found = {m["user_id"]: m["email"] for m in await items(c, "/tenant/members")}
    for workspace in await items(c, "/workspaces"):
        for member in await items(c, f"/workspaces/{workspace['id']}/members"):
            found.setdefault(member["user_id"], member["email"])
    return found


def audit_query(values: dict[str, str]) -> dict[str, str]:
    """The API's query from the filter form: days (the date inputs) become times, ``until``
    taking in the whole day it names; anything else the API reads and checks itself."""
    query = {k: v for k, v in values.items() if v and k not in ("since", "until")}
    if values.get("since"):
        query["since"] = values["since"] if "T" in values["since"] else values["since"] + "T00:00:00"
    if values.get("until"):
        until = values["until"]
        try:
            query["until"] = (date.fromisoformat(until) + timedelta(days=1)).isoformat() + "T00:00:00"
        except ValueError:
            query["until"] = until  # not a day: the API refuses it, naming the field
    return query


async def _account(c: Console, status: int = 200, form: FormState | None = None) -> Response[str]:
    tokens = await items(c, "/tokens")
    return c.page("account.html", status_code=status, tokens=tokens, current=str(c.me["token_id"])
                  if c.me and c.me.get("token_id") else "", form=form or FormState())
