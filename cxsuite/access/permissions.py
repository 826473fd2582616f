"""The permissions matrix: which role may perform which action. The only copy.

``docs/permissions.md`` is generated from :data:`MATRIX` (a test keeps it in step), the API
guards check :func:`can_ever` before a handler runs, and services call
:func:`require_in_workspace` once they know which workspace an object lives in.
"""

from __future__ import annotations

from enum import StrEnum
from uuid import UUID

from cxsuite.access.principal import Principal, Role
from cxsuite.errors import Forbidden, NotFound

OW, CO, CA, CV = Role.OWNER, Role.CONSULTANT, Role.CLIENT_ADMIN, Role.CLIENT_VIEWER


class Action(StrEnum):
    """Everything a caller can ask for, named ``object.verb``."""

    TENANT_READ = "tenant.read"
    TENANT_MEMBERS_MANAGE = "tenant.members.manage"
    AUDIT_READ = "audit.read"
    WORKSPACE_CREATE = "workspace.create"
    WORKSPACE_READ = "workspace.read"
    WORKSPACE_UPDATE = "workspace.update"
    WORKSPACE_DELETE = "workspace.delete"
    MEMBERS_READ = "workspace.members.read"
    MEMBERS_MANAGE = "workspace.members.manage"
    PROJECT_CREATE = "project.create"
    PROJECT_READ = "project.read"
    PROJECT_UPDATE = "project.update"
    PROJECT_DELETE = "project.delete"
    CONNECTION_READ = "connection.read"
    CONNECTION_MANAGE = "connection.manage"
    SYNC_RUN = "sync.run"
    JOB_READ = "job.read"
    JOB_CANCEL = "job.cancel"
    JOURNEY_EDIT = "journey.edit"
    QUESTIONNAIRE_ANSWER = "questionnaire.answer"
    SCORE_RUN = "score.run"
    SCORE_READ = "score.read"
    BRANDING_MANAGE = "branding.manage"
    REPORT_RENDER = "report.render"
    REPORT_PUBLISH = "report.publish"
    REPORT_READ_DRAFT = "report.read_draft"
    REPORT_READ_PUBLISHED = "report.read_published"
    OWN_TOKENS = "tokens.own"


MATRIX: dict[Action, frozenset[Role]] = {
    Action.TENANT_READ: frozenset({OW, CO}),
    Action.TENANT_MEMBERS_MANAGE: frozenset({OW}),
    Action.AUDIT_READ: frozenset({OW}),
    Action.WORKSPACE_CREATE: frozenset({OW, CO}),
    Action.WORKSPACE_READ: frozenset({OW, CO, CA, CV}),
    Action.WORKSPACE_UPDATE: frozenset({OW, CO}),
    Action.WORKSPACE_DELETE: frozenset({OW}),
    Action.MEMBERS_READ: frozenset({OW, CO, CA}),
    Action.MEMBERS_MANAGE: frozenset({OW, CO, CA}),
    Action.PROJECT_CREATE: frozenset({OW, CO}),
    Action.PROJECT_READ: frozenset({OW, CO, CA, CV}),
    Action.PROJECT_UPDATE: frozenset({OW, CO}),
    Action.PROJECT_DELETE: frozenset({OW, CO}),
    Action.CONNECTION_READ: frozenset({OW, CO, CA}),
    Action.CONNECTION_MANAGE: frozenset({OW, CO, CA}),
    Action.SYNC_RUN: frozenset({OW, CO, CA}),
    Action.JOB_READ: frozenset({OW, CO, CA}),
    Action.JOB_CANCEL: frozenset({OW, CO, CA}),
    Action.JOURNEY_EDIT: frozenset({OW, CO}),
    Action.QUESTIONNAIRE_ANSWER: frozenset({OW, CO, CA}),
    Action.SCORE_RUN: frozenset({OW, CO}),
    Action.SCORE_READ: frozenset({OW, CO}),
    Action.BRANDING_MANAGE: frozenset({OW}),
    Action.REPORT_RENDER: frozenset({OW, CO}),
    Action.REPORT_PUBLISH: frozenset({OW, CO}),
    Action.REPORT_READ_DRAFT: frozenset({OW, CO}),
    Action.REPORT_READ_PUBLISHED: frozenset({OW, CO, CA, CV}),
    Action.OWN_TOKENS: frozenset({OW, CO, CA, CV}),
}

# What each action is for, shown in docs/permissions.md.
DESCRIPTIONS: dict[Action, str] = {
    Action.TENANT_READ: "read the tenant and its consultants",
    Action.TENANT_MEMBERS_MANAGE: "add or remove owners and consultants",
    Action.AUDIT_READ: "read the tenant's audit log",
    Action.WORKSPACE_CREATE: "open a client workspace",
    Action.WORKSPACE_READ: "read a workspace",
    Action.WORKSPACE_UPDATE: "rename or describe a workspace",
    Action.WORKSPACE_DELETE: "delete a workspace and everything in it",
    Action.MEMBERS_READ: "list a workspace's client members",
    Action.MEMBERS_MANAGE: "invite, change or remove client members",
    Action.PROJECT_CREATE: "create an audit project",
    Action.PROJECT_READ: "read an audit project",
    Action.PROJECT_UPDATE: "edit an audit project",
    Action.PROJECT_DELETE: "delete an audit project",
    Action.CONNECTION_READ: "see the workspace's data connections",
    Action.CONNECTION_MANAGE: "connect or disconnect a vendor account",
    Action.SYNC_RUN: "start or schedule an import",
    Action.JOB_READ: "follow jobs and their progress",
    Action.JOB_CANCEL: "cancel a job",
    Action.JOURNEY_EDIT: "edit the journey model",
    Action.QUESTIONNAIRE_ANSWER: "answer the assessment questionnaire",
    Action.SCORE_RUN: "run scoring",
    Action.SCORE_READ: "read score runs and their evidence",
    Action.BRANDING_MANAGE: "set the tenant's report branding",
    Action.REPORT_RENDER: "render a report",
    Action.REPORT_PUBLISH: "publish a report to the client",
    Action.REPORT_READ_DRAFT: "read unpublished reports",
    Action.REPORT_READ_PUBLISHED: "read and download published reports",
    Action.OWN_TOKENS: "manage one's own API tokens",
}


def allowed(role: Role | None, action: Action) -> bool:
    """Whether ``role`` may perform ``action``."""
    return role is not None and role in MATRIX[action]


def can_ever(principal: Principal, action: Action) -> bool:
    """Whether any role the principal holds permits ``action`` somewhere (the guard's check)."""
    return any(allowed(role, action) for role in principal.roles)


def require_tenant_wide(principal: Principal, action: Action) -> None:
    """For actions outside any workspace: only the tenant role counts."""
    if not allowed(principal.tenant_role, action):
        raise Forbidden(f"your role may not {DESCRIPTIONS[action]}")


def require_in_workspace(principal: Principal, workspace_id: UUID, action: Action) -> None:
    """Object-level check: a workspace the caller cannot see is 404, a role too weak is 403."""
    role = principal.role_in(workspace_id)
    if role is None:
        raise NotFound("not found")
    if not allowed(role, action):
        raise Forbidden(f"your role may not {DESCRIPTIONS[action]}")
