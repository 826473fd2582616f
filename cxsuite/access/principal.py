"""The authenticated caller, as every service sees it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from uuid import UUID


class Role(StrEnum):
    """Tenant roles work across the tenant; client roles only inside their workspaces."""

    OWNER = "owner"
    CONSULTANT = "consultant"
    CLIENT_ADMIN = "client_admin"
    CLIENT_VIEWER = "client_viewer"


TENANT_ROLES = frozenset({Role.OWNER, Role.CONSULTANT})
WORKSPACE_ROLES = frozenset({Role.CLIENT_ADMIN, Role.CLIENT_VIEWER})


@dataclass(frozen=True)
class Principal:
    """A user acting in one tenant through one token, with the roles they hold there now.

    Roles are current: a removed membership takes effect on the next call instead of when a
    token expires (a principal is cached for a few seconds and dropped on every change to
    access, see ``cxsuite.identity.principal_cache``). ``tenant_name`` and ``email_verified`` ride
    along so ``/me`` needs no query of its own.
    """

    user_id: UUID
    tenant_id: UUID
    token_id: UUID
    email: str
    tenant_role: Role | None
    workspace_roles: Mapping[UUID, Role] = field(default_factory=dict)
    tenant_name: str = ""
    email_verified: bool = False

    def role_in(self, workspace_id: UUID) -> Role | None:
        """The role that applies inside ``workspace_id`` (a tenant role wins), or ``None``."""
        return self.tenant_role or self.workspace_roles.get(workspace_id)

    @property
    def roles(self) -> frozenset[Role]:
        """Every role held in this tenant."""
        held = set(self.workspace_roles.values())
        if self.tenant_role:
            held.add(self.tenant_role)
        return frozenset(held)
