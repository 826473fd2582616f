"""``GET /api/v1/audit-events``: the tenant's audit log, for its owners."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

import msgspec
from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.pagination import OffsetPagination
from litestar.params import QueryParameter

from cxsuite.access.permissions import Action, require_tenant_wide
from cxsuite.access.principal import Principal
from cxsuite.api.guards import requires
from cxsuite.api.pagination import ListPage, list_params
from cxsuite.api.problems import errors
from cxsuite.audit.service import LIST, list_events
from cxsuite.db.session import Database


class AuditEventOut(msgspec.Struct):
    """One security-relevant action."""

    id: UUID
    occurred_at: datetime
    actor_user_id: UUID | None
    action: str
    object_type: str
    object_id: str
    outcome: str
    ip: str
    details: dict[str, Any]


class AuditController(Controller):
    """Who did what, when, from where."""

    path = "/audit-events"
    tags = ["audit"]

    @get("/", guards=[requires(Action.AUDIT_READ)], responses=errors(400, 401, 403),
         dependencies={"page": list_params(LIST)})
    async def list_audit_events(
        self, db: NamedDependency[Database], principal: NamedDependency[Principal],
        page: NamedDependency[ListPage],
        action: Annotated[str | None, QueryParameter(max_length=80, description="Only this action")] = None,
    ) -> OffsetPagination[AuditEventOut]:
        """Newest first."""
        require_tenant_wide(principal, Action.AUDIT_READ)
        async with db.transaction(principal.tenant_id, write=False):
            rows, total = await list_events(principal.tenant_id, action=action, limit=page.limit,
                                            offset=page.offset, listing=page.listing)
        items = [AuditEventOut(**{k: r[k] for k in AuditEventOut.__struct_fields__}) for r in rows]
        return OffsetPagination(items, page.limit, page.offset, total)
