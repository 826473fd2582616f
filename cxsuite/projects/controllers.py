"""Audit project endpoints."""

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
from cxsuite.projects import service
from cxsuite.projects.schemas import ProjectIn, ProjectOut, ProjectPatch


class WorkspaceProjectsController(Controller):
    """A workspace's audit projects."""

    path = "/workspaces/{workspace_id:uuid}/projects"
    tags = ["projects"]

    @post("/", status_code=HTTP_201_CREATED, guards=[requires(Action.PROJECT_CREATE)],
          responses=errors(400, 401, 403, 404, 422))
    async def create(self, workspace_id: FromPath[UUID], data: JSONBody[ProjectIn],
                     db: NamedDependency[Database], principal: NamedDependency[Principal],
                     actor: NamedDependency[Actor]) -> ProjectOut:
        """Start an audit project (only ``name`` is required)."""
        return ProjectOut(**await service.create(db, principal, actor, workspace_id, data))

    @get("/", guards=[requires(Action.PROJECT_READ)], responses=errors(400, 401, 403, 404),
         dependencies={"page": list_params(service.LIST)})
    async def list_projects(self, workspace_id: FromPath[UUID], db: NamedDependency[Database],
                            principal: NamedDependency[Principal],
                            page: NamedDependency[ListPage]) -> OffsetPagination[ProjectOut]:
        """The workspace's projects, oldest first."""
        rows, total = await service.list_for_workspace(db, principal, workspace_id, page.limit, page.offset,
                                                       page.listing)
        return OffsetPagination([ProjectOut(**r) for r in rows], page.limit, page.offset, total)


class ProjectController(Controller):
    """One audit project."""

    path = "/projects/{project_id:uuid}"
    tags = ["projects"]

    @get("/", guards=[requires(Action.PROJECT_READ)], responses=errors(401, 403, 404))
    async def read(self, project_id: FromPath[UUID], db: NamedDependency[Database],
                   principal: NamedDependency[Principal]) -> ProjectOut:
        """The project."""
        return ProjectOut(**await service.get(db, principal, project_id))

    @patch("/", guards=[requires(Action.PROJECT_UPDATE)], responses=errors(400, 401, 403, 404, 422))
    async def update(self, project_id: FromPath[UUID], data: JSONBody[ProjectPatch],
                     db: NamedDependency[Database], principal: NamedDependency[Principal],
                     actor: NamedDependency[Actor]) -> ProjectOut:
        """Edit the project."""
        return ProjectOut(**await service.update(db, principal, actor, project_id, data))

    @delete("/", guards=[requires(Action.PROJECT_DELETE)], responses=errors(401, 403, 404))
    async def remove(self, project_id: FromPath[UUID], db: NamedDependency[Database],
                     principal: NamedDependency[Principal], actor: NamedDependency[Actor]) -> None:
        """Delete the project."""
        await service.delete(db, principal, actor, project_id)
