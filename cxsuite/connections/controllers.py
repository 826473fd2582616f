"""Connection endpoints, and the public OAuth callback that ends on a small HTML page."""

from __future__ import annotations

import html
from functools import partial
from typing import Annotated
from uuid import UUID

from litestar import Controller, Request, Response, delete, get, patch, post
from litestar.datastructures import State
from litestar.di import NamedDependency
from litestar.openapi.datastructures import ResponseSpec
from litestar.pagination import OffsetPagination
from litestar.params import FromPath, JSONBody, MultipartBody, QueryParameter
from litestar.status_codes import HTTP_201_CREATED

from cxsuite.access.permissions import Action
from cxsuite.access.principal import Principal
from cxsuite.access.wording import for_reader
from cxsuite.api.deps import client_ip
from cxsuite.api.guards import requires
from cxsuite.api.pagination import ListPage, list_params
from cxsuite.api.problems import errors
from cxsuite.api.query_params import OPEN_QUERY
from cxsuite.api.types import UploadForm
from cxsuite.audit.service import Actor
from cxsuite.connections import oauth, service
from cxsuite.connections.jobs import start_sync
from cxsuite.connections.schemas import (
    AuthorizeOut,
    ConnectionCreated,
    ConnectionIn,
    ConnectionOut,
    ConnectionPatch,
    SyncIssueOut,
)
from cxsuite.connectors.contract import BaseConnector
from cxsuite.db.session import Database
from cxsuite.errors import FieldProblem, ValidationFailed
from cxsuite.jobs.controllers import start_once
from cxsuite.jobs.idempotency import IdempotencyKeyHeader
from cxsuite.jobs.schemas import JobOut
from cxsuite.settings import Settings


def _connector(state: State, key: str) -> type[BaseConnector]:
    connectors = state.plugins.connectors()
    if key not in connectors:
        raise ValidationFailed("unknown connector", problems=[FieldProblem(
            "body.connector", f"must be one of: {', '.join(sorted(connectors)) or 'none installed'}")])
    return connectors[key]


class WorkspaceConnectionsController(Controller):
    """A workspace's connections."""

    path = "/workspaces/{workspace_id:uuid}/connections"
    tags = ["connections"]

    @post("/", status_code=HTTP_201_CREATED, guards=[requires(Action.CONNECTION_MANAGE)],
          responses=errors(400, 401, 403, 404, 422))
    async def create(self, workspace_id: FromPath[UUID], data: JSONBody[ConnectionIn], state: State,
                     db: NamedDependency[Database], settings: NamedDependency[Settings],
                     principal: NamedDependency[Principal],
                     actor: NamedDependency[Actor]) -> ConnectionCreated:
        """Connect a vendor account; OAuth connectors answer with the URL to grant access at."""
        connector = _connector(state, data.connector)
        if connector.auth_kind == "oauth2":
            oauth.client_credentials(settings, connector)  # refuse before creating anything
        row = await service.create(db, settings, principal, actor, workspace_id, connector, data)
        url = None
        if connector.auth_kind == "oauth2":
            url = await oauth.start(db, settings, principal, connector, row["id"])
        return ConnectionCreated(service.to_out(row, principal), url)

    @get("/", guards=[requires(Action.CONNECTION_READ)], responses=errors(400, 401, 403, 404),
         dependencies={"page": list_params(service.LIST)})
    async def list_connections(self, workspace_id: FromPath[UUID], db: NamedDependency[Database],
                               principal: NamedDependency[Principal],
                               page: NamedDependency[ListPage]) -> OffsetPagination[ConnectionOut]:
        """The workspace's connections (never their credentials), oldest first."""
        rows, total = await service.list_for_workspace(db, principal, workspace_id, page.limit,
                                                       page.offset, page.listing)
        return OffsetPagination([service.to_out(r, principal) for r in rows], page.limit, page.offset, total)


class ConnectionController(Controller):
    """One connection."""

    path = "/connections/{connection_id:uuid}"
    tags = ["connections"]

    @get("/", guards=[requires(Action.CONNECTION_READ)], responses=errors(401, 403, 404))
    async def read(self, connection_id: FromPath[UUID], db: NamedDependency[Database],
                   principal: NamedDependency[Principal]) -> ConnectionOut:
        """Status, schedule and configuration."""
        return service.to_out(await service.get(db, principal, connection_id), principal)

    @patch("/", guards=[requires(Action.CONNECTION_MANAGE)], responses=errors(400, 401, 403, 404, 409, 422))
    async def update(self, connection_id: FromPath[UUID], data: JSONBody[ConnectionPatch], state: State,
                     db: NamedDependency[Database], settings: NamedDependency[Settings],
                     principal: NamedDependency[Principal], actor: NamedDependency[Actor]) -> ConnectionOut:
        """Rename, change the sync schedule, or change settings (``config``, merged key by key and
        checked by the connector's schema as at creation; audited with the keys changed)."""
        row = await service.update(db, settings, principal, actor, state.plugins.connectors(), connection_id,
                                   data)
        return service.to_out(row, principal)

    @delete("/", guards=[requires(Action.CONNECTION_MANAGE)], responses=errors(401, 403, 404))
    async def remove(self, connection_id: FromPath[UUID], db: NamedDependency[Database],
                     settings: NamedDependency[Settings], principal: NamedDependency[Principal],
                     actor: NamedDependency[Actor]) -> None:
        """Delete the connection, its credentials and the records it imported."""
        await service.delete(db, settings, principal, actor, connection_id)

    @post("/authorize", status_code=200, guards=[requires(Action.CONNECTION_MANAGE)],
          responses=errors(401, 403, 404, 422))
    async def authorize(self, connection_id: FromPath[UUID], state: State,
                        db: NamedDependency[Database], settings: NamedDependency[Settings],
                        principal: NamedDependency[Principal]) -> AuthorizeOut:
        """A fresh link to grant (or re-grant) access, e.g. after the vendor revoked it."""
        row = await service.get(db, principal, connection_id)
        connector = _connector(state, row["connector"])
        if connector.auth_kind != "oauth2":
            raise ValidationFailed("this connection does not use OAuth")
        return AuthorizeOut(await oauth.start(db, settings, principal, connector, connection_id))

    @post("/upload", status_code=200, guards=[requires(Action.CONNECTION_MANAGE)],
          opt={"max_body_setting": "upload_max_bytes"}, responses=errors(400, 401, 403, 404, 413, 422))
    async def upload(self, connection_id: FromPath[UUID], data: MultipartBody[UploadForm],
                     db: NamedDependency[Database], settings: NamedDependency[Settings],
                     principal: NamedDependency[Principal], actor: NamedDependency[Actor]) -> ConnectionOut:
        """Upload the file a file-upload connection imports (CSV, XLSX …; up to 20 MB by default).

        An XLSX is inspected before it is stored: one that would unpack to more than the
        configured limits (a zip bomb, a shared-strings bomb) is refused with 422 naming the limit.
        """
        content = await data.file.read()
        row = await service.upload(db, settings, principal, actor, connection_id,
                                   data.file.filename or "upload", content)
        return service.to_out(row, principal)

    @post("/sync", status_code=202, guards=[requires(Action.SYNC_RUN)],
          responses=errors(401, 403, 404, 409, 422))
    async def sync(self, connection_id: FromPath[UUID], request: Request, state: State,
                   db: NamedDependency[Database], principal: NamedDependency[Principal],
                   idempotency_key: IdempotencyKeyHeader = None) -> Response[JobOut]:
        """Start an import (or get the one already queued or running: one at a time;
        ``Idempotency-Key``: once)."""
        return await start_once(request, db, principal, idempotency_key,
                                partial(start_sync, db, state.queue, principal, connection_id))

    @get("/issues", guards=[requires(Action.CONNECTION_READ)], responses=errors(400, 401, 403, 404),
         dependencies={"page": list_params(service.ISSUE_LIST)})
    async def issues(self, connection_id: FromPath[UUID], db: NamedDependency[Database],
                     principal: NamedDependency[Principal],
                     page: NamedDependency[ListPage]) -> OffsetPagination[SyncIssueOut]:
        """Records the syncs could not import, with their vendor id and the reason, newest first."""
        rows, total = await service.list_issues(db, principal, connection_id, page.limit, page.offset,
                                                page.listing)
        return OffsetPagination(rows, page.limit, page.offset, total)


class OAuthCallbackController(Controller):
    """Where vendors send the browser back after consent."""

    path = "/oauth"
    tags = ["connections"]

    @get("/callback", exclude_from_auth=True, security=[{}], media_type="text/html", opt={OPEN_QUERY: True},
         responses={422: ResponseSpec(str, media_type="text/html",
                                      description="A page saying why the account is not connected")})
    async def callback(self, request: Request, state: State, db: NamedDependency[Database],
                       settings: NamedDependency[Settings],
                       code: Annotated[str | None, QueryParameter(description="Authorisation code")] = None,
                       oauth_state: Annotated[str | None, QueryParameter(
                           name="state", description="The state cxsuite issued")] = None,
                       error: Annotated[str | None, QueryParameter(
                           description="Set by the vendor when access was denied")] = None,
                       ) -> Response[str]:
        """Finish the authorisation and show whether the account is connected, or why not.

        Vendors add parameters of their own (Zoho's ``location``); they are read from the query.
        """
        params = {k: v for k, v in request.query_params.items() if isinstance(v, str)}
        outcome = await oauth.complete(db, settings, state.plugins.connectors(), params,
                                       client_ip(request))
        return Response(_page(outcome), status_code=200 if outcome.ok else 422,
                        media_type="text/html")


def _page(outcome: oauth.CallbackOutcome) -> str:
    """A small, self-contained page; every dynamic part is escaped."""
    title = "Connected" if outcome.ok else "Not connected"
    colour = "#1b7f4b" if outcome.ok else "#b42318"
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{title}</title><meta name='viewport' content='width=device-width'>"
        "<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;"
        f"padding:0 1rem;color:#1d2939}}h1{{color:{colour}}}</style></head><body>"
        f"<h1>{html.escape(title)}</h1><p>{html.escape(for_reader(outcome.message, None))}</p></body></html>")
