"""Workspaces and their client members.

Tenant roles see every workspace of their tenant; client users see only the workspaces they
belong to. Every object check goes through the permissions matrix once the workspace is
known, so another tenant's or another workspace's object answers 404.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import partial
from typing import Any
from uuid import UUID, uuid4

from cxsuite.access.permissions import Action, require_in_workspace, require_tenant_wide
from cxsuite.access.principal import Principal
from cxsuite.audit.service import Actor, record
from cxsuite.db.listing import Listing, ListSpec, counter, listed_in_memory, page_listed
from cxsuite.db.lookup import one_in_tenant
from cxsuite.db.session import Database
from cxsuite.errors import Conflict, NotFound
from cxsuite.identity.invitations import AddedUser, revoke_if_unattached, user_for_invite
from cxsuite.identity.notices import Notifier
from cxsuite.identity.tables import User
from cxsuite.identity.tokens import forget_principals
from cxsuite.tenancy.tables import TenantMembership
from cxsuite.workspaces.schemas import MemberIn, MemberOut, WorkspaceIn, WorkspacePatch
from cxsuite.workspaces.tables import Workspace, WorkspaceMembership

COLUMNS = (Workspace.id, Workspace.name, Workspace.description, Workspace.created_at,
           Workspace.updated_at)
LIST = ListSpec(sorts=("created_at", "updated_at", "name"), default="created_at",
                search=("name", "description"), folded=("name_folded", "description_folded"))
MEMBER_LIST = ListSpec(sorts=("created_at", "email", "role"), default="created_at", search=("email",))


async def load(principal: Principal, workspace_id: UUID, action: Action) -> dict[str, Any]:
    """A workspace the caller may act on (inside an open transaction)."""
    require_in_workspace(principal, workspace_id, action)
    return await one_in_tenant(Workspace, principal.tenant_id, workspace_id, *COLUMNS,
                               what="workspace")


async def create(db: Database, principal: Principal, actor: Actor, data: WorkspaceIn) -> dict[str, Any]:
    """Open a workspace for a client company."""
    require_tenant_wide(principal, Action.WORKSPACE_CREATE)
    workspace_id, now = uuid4(), datetime.now(UTC)
    async with db.transaction(principal.tenant_id, principal.user_id):
        await Workspace.insert(Workspace(
            id=workspace_id, tenant_id=principal.tenant_id, name=data.name,
            description=data.description, created_at=now, updated_at=now)).run()
        await record(principal.tenant_id, actor, "workspace.created", object_type="workspace",
                     object_id=workspace_id)
        return await load(principal, workspace_id, Action.WORKSPACE_READ)


async def list_visible(db: Database, principal: Principal, limit: int, offset: int,
                       after: UUID | None = None, listing: Listing | None = None,
                       ) -> tuple[list[dict[str, Any]], int]:
    """Every workspace for tenant roles; only their own for client users. Oldest first unless
    ``listing`` sorts otherwise, by offset or after a workspace (keyset; index
    ``workspace_list`` serves the default order). A tenant role's total is the tenant's
    workspace counter (m0020), not a count of every row."""
    where = Workspace.tenant_id == principal.tenant_id
    total = None
    if principal.tenant_role is None:
        where = where & Workspace.id.is_in(list(principal.workspace_roles) or [uuid4()])
    else:
        total = counter(Workspace, principal.tenant_id)
    return await page_listed(Workspace, where, COLUMNS, LIST, listing, limit=limit, offset=offset,
                             after=after, total=total, read=partial(db.read, principal.tenant_id))


async def get(db: Database, principal: Principal, workspace_id: UUID) -> dict[str, Any]:
    """One workspace."""
    async with db.transaction(principal.tenant_id, write=False):
        return await load(principal, workspace_id, Action.WORKSPACE_READ)


async def update(db: Database, principal: Principal, actor: Actor, workspace_id: UUID,
                 data: WorkspacePatch) -> dict[str, Any]:
    """Rename or describe."""
    changes: dict[Any, Any] = {Workspace.updated_at: datetime.now(UTC)}
    if data.name is not None:
        changes[Workspace.name] = data.name
    if data.description is not None:
        changes[Workspace.description] = data.description
    async with db.transaction(principal.tenant_id, principal.user_id):
        await load(principal, workspace_id, Action.WORKSPACE_UPDATE)
        await Workspace.update(changes).where(
            (Workspace.tenant_id == principal.tenant_id) & (Workspace.id == workspace_id)).run()
        await record(principal.tenant_id, actor, "workspace.updated", object_type="workspace",
                     object_id=workspace_id)
        return await load(principal, workspace_id, Action.WORKSPACE_READ)


async def delete(db: Database, principal: Principal, actor: Actor, workspace_id: UUID) -> None:
    """Delete the workspace and everything in it (members, projects, connections, records)."""
    async with db.transaction(principal.tenant_id, principal.user_id):
        await load(principal, workspace_id, Action.WORKSPACE_DELETE)
        await Workspace.delete().where(
            (Workspace.tenant_id == principal.tenant_id) & (Workspace.id == workspace_id)).run()
        await record(principal.tenant_id, actor, "workspace.deleted", object_type="workspace",
                     object_id=workspace_id)


def _member_out(row: dict[str, Any]) -> MemberOut:
    return MemberOut(id=row["id"], user_id=row["user_id"], email=row["user_id.email"],
                     role=row["role"], status="active" if row["user_id.password_hash"] else "invited",
                     created_at=row["created_at"])


_MEMBER_COLUMNS = (WorkspaceMembership.id, WorkspaceMembership.user_id, WorkspaceMembership.role,
                   WorkspaceMembership.created_at)


async def _members(tenant_id: UUID, where: Any) -> list[dict[str, Any]]:
    """Membership rows with the member's email (users are global, so joined by hand)."""
    rows = await WorkspaceMembership.select(*_MEMBER_COLUMNS).where(
        (WorkspaceMembership.tenant_id == tenant_id) & where).order_by(
        WorkspaceMembership.created_at).order_by(WorkspaceMembership.id).run()
    users = {u["id"]: u for u in await User.select(User.id, User.email, User.password_hash).where(
        User.id.is_in([r["user_id"] for r in rows] or [uuid4()])).run()}
    return [{**r, "user_id.email": users[r["user_id"]]["email"],
             "user_id.password_hash": users[r["user_id"]]["password_hash"]} for r in rows]


async def list_members(db: Database, principal: Principal, workspace_id: UUID, limit: int,
                       offset: int, listing: Listing | None = None) -> tuple[list[MemberOut], int]:
    """A page of the workspace's client members (a short list: read whole, then searched)."""
    async with db.transaction(principal.tenant_id, write=False):
        await load(principal, workspace_id, Action.MEMBERS_READ)
        rows = await _members(principal.tenant_id, WorkspaceMembership.workspace_id == workspace_id)
    return listed_in_memory([_member_out(r) for r in rows], MEMBER_LIST, listing, limit=limit, offset=offset)


async def add_member(db: Database, principal: Principal, actor: Actor, workspace_id: UUID,
                     data: MemberIn, notifier: Notifier) -> MemberOut:
    """Invite by email: someone new is mailed an invitation; inviting someone who has not
    accepted yet re-sends it with a fresh token (the earlier one stops working)."""
    async with db.transaction(principal.tenant_id, principal.user_id):
        await load(principal, workspace_id, Action.MEMBERS_MANAGE)
        added = await user_for_invite(principal.tenant_id, data.email, principal.user_id)
        member_id = await _pending_member(principal.tenant_id, workspace_id, added)
        if member_id is None:
            member_id = uuid4()
            await WorkspaceMembership.insert(WorkspaceMembership(
                id=member_id, tenant_id=principal.tenant_id, workspace_id=workspace_id,
                user_id=added.user_id, role=data.role, created_at=datetime.now(UTC))).run()
            await record(principal.tenant_id, actor, "membership.added", object_type="workspace",
                         object_id=workspace_id, details={"user_id": str(added.user_id), "role": data.role})
        else:
            await record(principal.tenant_id, actor, "invitation.resent", object_type="workspace",
                         object_id=workspace_id, details={"user_id": str(added.user_id)})
        row = (await _members(principal.tenant_id, WorkspaceMembership.id == member_id))[0]
    forget_principals(principal.tenant_id, added.user_id)
    await added.mail_invitation(notifier, principal.email)
    return _member_out(row)


async def _pending_member(tenant_id: UUID, workspace_id: UUID, added: AddedUser) -> UUID | None:
    """The membership to re-send an invitation for, or ``None`` when the person is new here;
    someone already active in the workspace or across the tenant is a conflict."""
    in_workspace = await WorkspaceMembership.select(WorkspaceMembership.id).where(
        (WorkspaceMembership.tenant_id == tenant_id) & (WorkspaceMembership.workspace_id == workspace_id)
        & (WorkspaceMembership.user_id == added.user_id)).first().run()
    if in_workspace and added.pending:
        return in_workspace["id"]
    if in_workspace:
        raise Conflict("this person is already a member of the workspace")
    consultant = await TenantMembership.exists().where(
        (TenantMembership.tenant_id == tenant_id) & (TenantMembership.user_id == added.user_id)).run()
    if consultant:
        raise Conflict("this person already works across the tenant as an owner or consultant")
    return None


def _member_row(tenant_id: UUID, member_id: UUID) -> Any:
    return (WorkspaceMembership.tenant_id == tenant_id) & (WorkspaceMembership.id == member_id)


async def _member(principal: Principal, workspace_id: UUID, member_id: UUID) -> dict[str, Any]:
    rows = await _members(principal.tenant_id, (WorkspaceMembership.workspace_id == workspace_id)
                          & (WorkspaceMembership.id == member_id))
    if not rows:
        raise NotFound("member not found")
    return rows[0]


async def change_member(db: Database, principal: Principal, actor: Actor, workspace_id: UUID,
                        member_id: UUID, role: str) -> MemberOut:
    """Change a member's role."""
    async with db.transaction(principal.tenant_id, principal.user_id):
        await load(principal, workspace_id, Action.MEMBERS_MANAGE)
        await _member(principal, workspace_id, member_id)
        await WorkspaceMembership.update({WorkspaceMembership.role: role}).where(
            _member_row(principal.tenant_id, member_id)).run()
        await record(principal.tenant_id, actor, "membership.changed", object_type="workspace",
                     object_id=workspace_id, details={"member_id": str(member_id), "role": role})
        changed = await _member(principal, workspace_id, member_id)
    forget_principals(principal.tenant_id, changed["user_id"])
    return _member_out(changed)


async def remove_member(db: Database, principal: Principal, actor: Actor, workspace_id: UUID,
                        member_id: UUID) -> None:
    """Remove a member; they lose access on their next request."""
    async with db.transaction(principal.tenant_id, principal.user_id):
        await load(principal, workspace_id, Action.MEMBERS_MANAGE)
        member = await _member(principal, workspace_id, member_id)
        await WorkspaceMembership.delete().where(
            _member_row(principal.tenant_id, member_id)).run()
        await revoke_if_unattached(principal.tenant_id, member["user_id"])
        await record(principal.tenant_id, actor, "membership.removed", object_type="workspace",
                     object_id=workspace_id, details={"user_id": str(member["user_id"])})
    forget_principals(principal.tenant_id, member["user_id"])
