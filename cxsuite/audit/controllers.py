"""``GET /api/v1/audit-events``: the tenant's audit log, for its owners."""

from __future__ import annotations

import re
from datetime import UTC, datetime
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
from cxsuite.audit.service import LIST, EventFilter, list_events
from cxsuite.db.session import Database
from cxsuite.errors import BadRequest, FieldProblem

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")


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
        # "actor" is also the name of a dependency (who is calling), hence the alias.
        actor_user: Annotated[str | None, QueryParameter(
            name="actor", max_length=36, format="uuid",
            description="Only events by this user (their id)")] = None,
        object_type: Annotated[str | None, QueryParameter(
            max_length=80, description="Only events on this kind of object, e.g. `report`")] = None,
        object_id: Annotated[str | None, QueryParameter(
            max_length=200, description="Only events on this object (its id)")] = None,
        # Read as text and parsed here: Litestar would also take a bare number ("0.5") as a Unix
        # time, which the schema's date-time does not allow.
        since: Annotated[str | None, QueryParameter(
            max_length=40, format="date-time",
            description="Only events at or after this time (ISO 8601; UTC without an offset)")] = None,
        until: Annotated[str | None, QueryParameter(
            max_length=40, format="date-time",
            description="Only events before this time (ISO 8601; UTC without an offset)")] = None,
    ) -> OffsetPagination[AuditEventOut]:
        """Newest first; every filter given narrows the log (who, what, when, which object)."""
        require_tenant_wide(principal, Action.AUDIT_READ)
        async with db.transaction(principal.tenant_id, write=False):
            rows, total = await list_events(
                principal.tenant_id, action=action, limit=page.limit, offset=page.offset,
                listing=page.listing,
                where_=EventFilter(actor=_user_id(actor_user), object_type=object_type, object_id=object_id,
                                   since=_moment(since, "since"), until=_moment(until, "until")))
        items = [AuditEventOut(**{k: r[k] for k in AuditEventOut.__struct_fields__}) for r in rows]
        return OffsetPagination(items, page.limit, page.offset, total)


def _moment(text: str | None, name: str) -> datetime | None:
    """An ISO 8601 date or date-time, read as UTC when it carries no offset; a 400 naming the
    parameter otherwise (an empty value too: leave the parameter out for no bound)."""
    if text is None:
        return None
    try:
        if not ISO_DATE.match(text):
            raise ValueError(text)
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise BadRequest(f"the {name} filter is not a date or time",
                         problems=[FieldProblem(f"query.{name}", "must be an ISO 8601 date or date-time, "
                                                "e.g. 2026-12-01 or 2026-12-01T09:30:00Z")]) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _user_id(text: str | None) -> UUID | None:
    """The ``actor`` filter as a user id; parsed here so a refusal names ``query.actor`` (the
    parameter's Python name differs: ``actor`` is also the caller's dependency)."""
    if text is None:
        return None
    try:
        return UUID(text)
    except ValueError:
        raise BadRequest("the actor filter is not a user id",
                         problems=[FieldProblem("query.actor", "must be a user id (a UUID)")]) from None
