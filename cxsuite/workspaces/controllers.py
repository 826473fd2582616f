"""Workspace and member endpoints."""

from __future__ import annotations

from uuid import UUID

from litestar import Controller, delete, get, patch, post
from litestar.di import NamedDependency
from litestar.pagination import OffsetPagination
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_201_CREATED

from cxsuite.access.permissions import Action
from cxsuite.access.principal import Principal
from cxsuite.api.guards import requires
from cxsuite.api.pagination import ListPage, list_params
from cxsuite.api.problems import errors
from cxsuite.audit.service import Actor
from cxsuite.db.session import Database
from cxsuite.identity.notices import Notifier
from cxsuite.workspaces import service
from cxsuite.workspaces.schemas import (
    MemberIn,
    MemberOut,
    MemberPatch,
    WorkspaceIn,
    WorkspaceOut,
    WorkspacePatch,
)


class WorkspaceController(Controller):
    """Client workspaces."""

    path = "/workspaces"
    tags = ["workspaces"]

    @post("/", status_code=HTTP_201_CREATED, guards=[requires(Action.WORKSPACE_CREATE)],
          responses=errors(400, 401, 403))
    async def create(self, data: JSONBody[WorkspaceIn], db: NamedDependency[Database],
                     principal: NamedDependency[Principal], actor: NamedDependency[Actor]) -> WorkspaceOut:
        """Open a workspace for a client company (only ``name`` is required)."""
        return WorkspaceOut(**await service.create(db, principal, actor, data))

    @get("/", guards=[requires(Action.WORKSPACE_READ)], responses=errors(400, 401, 403, 422),
         dependencies={"keyset_page": list_params(service.LIST, keyset=True)})
    async def list_workspaces(self, db: NamedDependency[Database], principal: NamedDependency[Principal],
                              keyset_page: NamedDependency[ListPage],
                              ) -> OffsetPagination[WorkspaceOut]:
        """Workspaces the caller can see, oldest first; search with ``q``, order with ``sort``,
        page by ``offset`` or ``after``."""
        page = keyset_page
        rows, total = await service.list_visible(db, principal, page.limit, page.offset, page.after,
                                                 page.listing)
        return OffsetPagination([WorkspaceOut(**r) for r in rows], page.limit, page.offset, total)

    @get("/{workspace_id:uuid}", guards=[requires(Action.WORKSPACE_READ)], responses=errors(401, 403, 404))
    async def read(self, workspace_id: FromPath[UUID], db: NamedDependency[Database],
                   principal: NamedDependency[Principal]) -> WorkspaceOut:
        """One workspace."""
        return WorkspaceOut(**await service.get(db, principal, workspace_id))

    @patch("/{workspace_id:uuid}", guards=[requires(Action.WORKSPACE_UPDATE)],
           responses=errors(400, 401, 403, 404))
    async def update(self, workspace_id: FromPath[UUID], data: JSONBody[WorkspacePatch],
                     db: NamedDependency[Database], principal: NamedDependency[Principal],
                     actor: NamedDependency[Actor]) -> WorkspaceOut:
        """Rename or describe the workspace."""
        return WorkspaceOut(**await service.update(db, principal, actor, workspace_id, data))

    @delete("/{workspace_id:uuid}", guards=[requires(Action.WORKSPACE_DELETE)],
            responses=errors(401, 403, 404))
    async def remove(self, workspace_id: FromPath[UUID], db: NamedDependency[Database],
                     principal: NamedDependency[Principal], actor: NamedDependency[Actor]) -> None:
        """Delete the workspace and everything in it."""
        await service.delete(db, principal, actor, workspace_id)


class MemberController(Controller):
    """A workspace's client members."""

    path = "/workspaces/{workspace_id:uuid}/members"
    tags = ["workspaces"]

    @get("/", guards=[requires(Action.MEMBERS_READ)], responses=errors(400, 401, 403, 404),
         dependencies={"page": list_params(service.MEMBER_LIST)})
    async def list_members(self, workspace_id: FromPath[UUID], db: NamedDependency[Database],
                           principal: NamedDependency[Principal],
                           page: NamedDependency[ListPage]) -> OffsetPagination[MemberOut]:
        """Client admins and viewers of the workspace; search by email with ``q``."""
        rows, total = await service.list_members(db, principal, workspace_id, page.limit, page.offset,
                                                 page.listing)
        return OffsetPagination(rows, page.limit, page.offset, total)

    @post("/", status_code=HTTP_201_CREATED, guards=[requires(Action.MEMBERS_MANAGE)],
          responses=errors(400, 401, 403, 404, 409))
    async def add(self, workspace_id: FromPath[UUID], data: JSONBody[MemberIn],
                  db: NamedDependency[Database], principal: NamedDependency[Principal],
                  actor: NamedDependency[Actor], notifier: NamedDependency[Notifier]) -> MemberOut:
        """Invite someone by email with a client role; someone new is mailed an invitation
        (inviting them again before they accept re-sends it)."""
        return await service.add_member(db, principal, actor, workspace_id, data, notifier)

    @patch("/{member_id:uuid}", guards=[requires(Action.MEMBERS_MANAGE)],
           responses=errors(400, 401, 403, 404))
    async def change(self, workspace_id: FromPath[UUID], member_id: FromPath[UUID],
                     data: JSONBody[MemberPatch], db: NamedDependency[Database],
                     principal: NamedDependency[Principal], actor: NamedDependency[Actor]) -> MemberOut:
        """Change a member's role."""
        return await service.change_member(db, principal, actor, workspace_id, member_id, data.role)

    @delete("/{member_id:uuid}", guards=[requires(Action.MEMBERS_MANAGE)], responses=errors(401, 403, 404))
    async def remove(self, workspace_id: FromPath[UUID], member_id: FromPath[UUID],
                     db: NamedDependency[Database], principal: NamedDependency[Principal],
                     actor: NamedDependency[Actor]) -> None:
        """Remove a member."""
        await service.remove_member(db, principal, actor, workspace_id, member_id)
