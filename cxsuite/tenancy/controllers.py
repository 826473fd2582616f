"""The tenant and its owners and consultants."""

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
from cxsuite.identity.schemas import TenantOut
from cxsuite.tenancy import service
from cxsuite.tenancy.schemas import TenantMemberIn, TenantMemberOut, TenantMemberPatch, TenantPatch


class TenantController(Controller):
    """The caller's consultancy."""

    path = "/tenant"
    tags = ["tenant"]

    @get("/", guards=[requires(Action.TENANT_READ)], responses=errors(401, 403))
    async def read(self, db: NamedDependency[Database], principal: NamedDependency[Principal]) -> TenantOut:
        """The tenant."""
        return TenantOut(**await service.get_tenant(db, principal))

    @patch("/", guards=[requires(Action.TENANT_MEMBERS_MANAGE)], responses=errors(400, 401, 403))
    async def rename(self, data: JSONBody[TenantPatch], db: NamedDependency[Database],
                     principal: NamedDependency[Principal], actor: NamedDependency[Actor]) -> TenantOut:
        """Rename the tenant (owners)."""
        return TenantOut(**await service.rename(db, principal, actor, data.name))

    @get("/members", guards=[requires(Action.TENANT_READ)], responses=errors(400, 401, 403),
         dependencies={"page": list_params(service.MEMBER_LIST)})
    async def list_members(self, db: NamedDependency[Database], principal: NamedDependency[Principal],
                           page: NamedDependency[ListPage]) -> OffsetPagination[TenantMemberOut]:
        """Owners and consultants; search by email with ``q``."""
        rows, total = await service.list_members(db, principal, page.limit, page.offset, page.listing)
        return OffsetPagination(rows, page.limit, page.offset, total)

    @post("/members", status_code=HTTP_201_CREATED, guards=[requires(Action.TENANT_MEMBERS_MANAGE)],
          responses=errors(400, 401, 403, 409))
    async def add_member(self, data: JSONBody[TenantMemberIn], db: NamedDependency[Database],
                         principal: NamedDependency[Principal],
                         actor: NamedDependency[Actor],
                         notifier: NamedDependency[Notifier]) -> TenantMemberOut:
        """Add an owner or consultant by email; someone new is mailed an invitation (adding
        them again before they accept re-sends it)."""
        return await service.add_member(db, principal, actor, data, notifier)

    @patch("/members/{member_id:uuid}", guards=[requires(Action.TENANT_MEMBERS_MANAGE)],
           responses=errors(400, 401, 403, 404, 409))
    async def change_member(self, member_id: FromPath[UUID], data: JSONBody[TenantMemberPatch],
                            db: NamedDependency[Database], principal: NamedDependency[Principal],
                            actor: NamedDependency[Actor]) -> TenantMemberOut:
        """Change a role (the last owner stays an owner)."""
        return await service.change_member(db, principal, actor, member_id, data.role)

    @delete("/members/{member_id:uuid}", guards=[requires(Action.TENANT_MEMBERS_MANAGE)],
            responses=errors(401, 403, 404, 409))
    async def remove_member(self, member_id: FromPath[UUID], db: NamedDependency[Database],
                            principal: NamedDependency[Principal], actor: NamedDependency[Actor]) -> None:
        """Remove an owner or consultant (never the last owner)."""
        await service.remove_member(db, principal, actor, member_id)
