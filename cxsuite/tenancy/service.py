"""The tenant itself and its owners and consultants (who work across every workspace)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid4

from cxsuite.access.permissions import Action, require_tenant_wide
from cxsuite.access.principal import Principal
from cxsuite.audit.service import Actor, record
from cxsuite.db.listing import Listing, ListSpec, listed_in_memory
from cxsuite.db.session import Database
from cxsuite.errors import Conflict, NotFound
from cxsuite.identity.invitations import revoke_if_unattached, user_for_invite
from cxsuite.identity.notices import Notifier
from cxsuite.identity.tables import User
from cxsuite.identity.tokens import forget_principals
from cxsuite.tenancy.schemas import TenantMemberIn, TenantMemberOut
from cxsuite.tenancy.tables import Tenant, TenantMembership


async def get_tenant(db: Database, principal: Principal) -> dict[str, Any]:
    """The caller's tenant."""
    require_tenant_wide(principal, Action.TENANT_READ)
    async with db.transaction(principal.tenant_id, write=False):
        return await Tenant.select(Tenant.id, Tenant.name).where(
            Tenant.id == principal.tenant_id).first().run()


async def rename(db: Database, principal: Principal, actor: Actor, name: str) -> dict[str, Any]:
    """Rename the consultancy (owners only)."""
    require_tenant_wide(principal, Action.TENANT_MEMBERS_MANAGE)
    async with db.transaction(principal.tenant_id, principal.user_id):
        await Tenant.update({Tenant.name: name}).where(Tenant.id == principal.tenant_id).run()
        await record(principal.tenant_id, actor, "tenant.renamed", object_type="tenant",
                     object_id=principal.tenant_id)
    forget_principals(principal.tenant_id)  # principals carry the tenant's name
    return await get_tenant(db, principal)


async def _rows(tenant_id: UUID, where: Any = None) -> list[TenantMemberOut]:
    condition = TenantMembership.tenant_id == tenant_id
    rows = await TenantMembership.select().where(condition & where if where is not None else condition
                                                 ).order_by(TenantMembership.created_at).run()
    emails = {u["id"]: u["email"] for u in await User.select(User.id, User.email).where(
        User.id.is_in([r["user_id"] for r in rows] or [uuid4()])).run()}
    return [TenantMemberOut(r["id"], r["user_id"], emails[r["user_id"]], r["role"], r["created_at"])
            for r in rows]


MEMBER_LIST = ListSpec(sorts=("created_at", "email", "role"), default="created_at", search=("email",))


async def list_members(db: Database, principal: Principal, limit: int, offset: int,
                       listing: Listing | None = None) -> tuple[list[TenantMemberOut], int]:
    """Owners and consultants (a short list: read whole, then searched)."""
    require_tenant_wide(principal, Action.TENANT_READ)
    async with db.transaction(principal.tenant_id, write=False):
        rows = await _rows(principal.tenant_id)
    return listed_in_memory(rows, MEMBER_LIST, listing, limit=limit, offset=offset)


async def add_member(db: Database, principal: Principal, actor: Actor, data: TenantMemberIn,
                     notifier: Notifier) -> TenantMemberOut:
    """Add an owner or consultant; someone new is mailed an invitation, and adding someone
    who has not accepted yet re-sends it with a fresh token."""
    require_tenant_wide(principal, Action.TENANT_MEMBERS_MANAGE)
    async with db.transaction(principal.tenant_id, principal.user_id):
        added = await user_for_invite(principal.tenant_id, data.email, principal.user_id)
        existing = await TenantMembership.select(TenantMembership.id).where(
            (TenantMembership.tenant_id == principal.tenant_id)
            & (TenantMembership.user_id == added.user_id)).first().run()
        if existing and not added.pending:
            raise Conflict("this person is already an owner or consultant of the tenant")
        member_id = existing["id"] if existing else uuid4()
        if existing:
            await record(principal.tenant_id, actor, "invitation.resent", object_type="tenant",
                         object_id=principal.tenant_id, details={"user_id": str(added.user_id)})
        else:
            await TenantMembership.insert(TenantMembership(
                id=member_id, tenant_id=principal.tenant_id, user_id=added.user_id, role=data.role,
                created_at=datetime.now(UTC))).run()
            await record(principal.tenant_id, actor, "membership.added", object_type="tenant",
                         object_id=principal.tenant_id,
                         details={"user_id": str(added.user_id), "role": data.role})
        out = (await _rows(principal.tenant_id, TenantMembership.id == member_id))[0]
    forget_principals(principal.tenant_id, added.user_id)
    await added.mail_invitation(notifier, principal.email)
    return out


async def _member_or_404(tenant_id: UUID, member_id: UUID) -> TenantMemberOut:
    rows = await _rows(tenant_id, TenantMembership.id == member_id)
    if not rows:
        raise NotFound("member not found")
    return rows[0]


async def _keep_an_owner(tenant_id: UUID, member: TenantMemberOut, new_role: str | None) -> None:
    """The last owner can be neither demoted nor removed: someone must hold the keys."""
    if member.role != "owner" or new_role == "owner":
        return
    owners = await TenantMembership.count().where((TenantMembership.tenant_id == tenant_id)
                                                  & (TenantMembership.role == "owner")).run()
    if owners <= 1:
        raise Conflict("the tenant's last owner cannot be removed or demoted; add another owner first")


async def change_member(db: Database, principal: Principal, actor: Actor, member_id: UUID,
                        role: str) -> TenantMemberOut:
    """Change an owner or consultant's role."""
    require_tenant_wide(principal, Action.TENANT_MEMBERS_MANAGE)
    async with db.transaction(principal.tenant_id, principal.user_id):
        member = await _member_or_404(principal.tenant_id, member_id)
        await _keep_an_owner(principal.tenant_id, member, role)
        await TenantMembership.update({TenantMembership.role: role}).where(
            (TenantMembership.tenant_id == principal.tenant_id) & (TenantMembership.id == member_id)).run()
        await record(principal.tenant_id, actor, "membership.changed", object_type="tenant",
                     object_id=principal.tenant_id, details={"member_id": str(member_id), "role": role})
        changed = await _member_or_404(principal.tenant_id, member_id)
    forget_principals(principal.tenant_id, changed.user_id)
    return changed


async def remove_member(db: Database, principal: Principal, actor: Actor, member_id: UUID) -> None:
    """Remove an owner or consultant."""
    require_tenant_wide(principal, Action.TENANT_MEMBERS_MANAGE)
    async with db.transaction(principal.tenant_id, principal.user_id):
        member = await _member_or_404(principal.tenant_id, member_id)
        await _keep_an_owner(principal.tenant_id, member, None)
        await TenantMembership.delete().where(
            (TenantMembership.tenant_id == principal.tenant_id) & (TenantMembership.id == member_id)).run()
        await revoke_if_unattached(principal.tenant_id, member.user_id)
        await record(principal.tenant_id, actor, "membership.removed", object_type="tenant",
                     object_id=principal.tenant_id, details={"user_id": str(member.user_id)})
    forget_principals(principal.tenant_id, member.user_id)
