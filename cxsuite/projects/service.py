"""Audit projects inside a workspace."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID, uuid4

from cxsuite.access.permissions import Action, require_in_workspace
from cxsuite.access.principal import Principal
from cxsuite.audit.service import Actor, record
from cxsuite.db.listing import Listing, ListSpec, page_listed
from cxsuite.db.lookup import one_in_tenant, row_in_tenant
from cxsuite.db.session import Database
from cxsuite.errors import FieldProblem, ValidationFailed
from cxsuite.projects.period import explicit_period
from cxsuite.projects.schemas import ProjectIn, ProjectPatch
from cxsuite.projects.tables import Project
from cxsuite.scoring.metrics import latest_data_date
from cxsuite.workspaces.service import load as load_workspace

COLUMNS = (Project.id, Project.workspace_id, Project.name, Project.description, Project.period_start,
           Project.period_end, Project.industry, Project.created_at, Project.updated_at)


async def load(principal: Principal, project_id: UUID, action: Action) -> dict[str, Any]:
    """A project the caller may act on (inside an open transaction); 404 across workspaces."""
    row = await one_in_tenant(Project, principal.tenant_id, project_id, *COLUMNS, what="project")
    require_in_workspace(principal, row["workspace_id"], action)
    return row


def _check_period(start: date | None, end: date | None) -> None:
    if start and end and end < start:
        raise ValidationFailed("the audit period ends before it starts", problems=[
            FieldProblem("body.period_end", f"must be on or after period_start ({start.isoformat()})")])


async def create(db: Database, principal: Principal, actor: Actor, workspace_id: UUID,
                 data: ProjectIn) -> dict[str, Any]:
    """Start an audit engagement in the workspace, with an explicit audit period
    (:mod:`cxsuite.projects.period`: the given one, else 12 months of the workspace's data)."""
    _check_period(data.period_start, data.period_end)
    project_id, now = uuid4(), datetime.now(UTC)
    async with db.transaction(principal.tenant_id, principal.user_id):
        await load_workspace(principal, workspace_id, Action.PROJECT_CREATE)
        latest = None
        if data.period_start is None or data.period_end is None:
            latest = await latest_data_date(db, principal.tenant_id, workspace_id)
        start, end = explicit_period(data.period_start, data.period_end, latest, now.date())
        await Project.insert(Project(
            id=project_id, tenant_id=principal.tenant_id, workspace_id=workspace_id, name=data.name,
            description=data.description, period_start=start, period_end=end,
            industry=data.industry, created_at=now, updated_at=now)).run()
        await record(principal.tenant_id, actor, "project.created", object_type="project",
                     object_id=project_id)
        return await load(principal, project_id, Action.PROJECT_READ)


LIST = ListSpec(sorts=("created_at", "updated_at", "name"), default="created_at",
                search=("name", "description", "industry"))


async def list_for_workspace(db: Database, principal: Principal, workspace_id: UUID, limit: int,
                             offset: int, listing: Listing | None = None) -> tuple[list[dict[str, Any]], int]:
    """A page of the workspace's projects."""
    where = (Project.tenant_id == principal.tenant_id) & (Project.workspace_id == workspace_id)
    async with db.transaction(principal.tenant_id, write=False):
        await load_workspace(principal, workspace_id, Action.PROJECT_READ)
        return await page_listed(Project, where, COLUMNS, LIST, listing, limit=limit, offset=offset)


async def get(db: Database, principal: Principal, project_id: UUID) -> dict[str, Any]:
    """One project."""
    async with db.transaction(principal.tenant_id, write=False):
        return await load(principal, project_id, Action.PROJECT_READ)


async def update(db: Database, principal: Principal, actor: Actor, project_id: UUID,
                 data: ProjectPatch) -> dict[str, Any]:
    """Edit the project; the period is checked as it will be after the change."""
    fields = {k: v for k, v in ((c, getattr(data, c)) for c in data.__struct_fields__) if v is not None}
    async with db.transaction(principal.tenant_id, principal.user_id):
        current = await load(principal, project_id, Action.PROJECT_UPDATE)
        _check_period(fields.get("period_start", current["period_start"]),
                      fields.get("period_end", current["period_end"]))
        changes = {getattr(Project, k): v for k, v in fields.items()}
        changes[Project.updated_at] = datetime.now(UTC)
        await Project.update(changes).where(row_in_tenant(Project, principal.tenant_id, project_id)).run()
        await record(principal.tenant_id, actor, "project.updated", object_type="project",
                     object_id=project_id)
        return await load(principal, project_id, Action.PROJECT_READ)


async def delete(db: Database, principal: Principal, actor: Actor, project_id: UUID) -> None:
    """Delete the project with its journey, answers, runs and reports."""
    async with db.transaction(principal.tenant_id, principal.user_id):
        await load(principal, project_id, Action.PROJECT_DELETE)
        await Project.delete().where(row_in_tenant(Project, principal.tenant_id, project_id)).run()
        await record(principal.tenant_id, actor, "project.deleted", object_type="project",
                     object_id=project_id)
