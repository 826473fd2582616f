"""Writing and reading the audit log. Writes join the caller's transaction, so an action and
its audit entry commit (or roll back) together."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid4

from cxsuite.audit.tables import AuditEvent
from cxsuite.db.listing import Listing, ListSpec, page_listed


@dataclass(frozen=True)
class Actor:
    """Who did it and from where; ``user_id`` is ``None`` for an unknown caller."""

    user_id: UUID | None
    ip: str = ""


async def record(tenant_id: UUID, actor: Actor, action: str, *, object_type: str = "",
                 object_id: UUID | str = "", outcome: str = "success",
                 details: dict[str, Any] | None = None) -> None:
    """Append one event; never pass secrets in ``details``."""
    await AuditEvent.insert(AuditEvent(
        id=uuid4(), tenant_id=tenant_id, occurred_at=datetime.now(UTC),
        actor_user_id=actor.user_id, action=action, object_type=object_type,
        object_id=str(object_id), outcome=outcome, ip=actor.ip[:64],
        details=json.dumps(details or {}, sort_keys=True))).run()


LIST = ListSpec(sorts=("occurred_at", "action", "object_type"), default="-occurred_at",
                search=("action", "object_type", "object_id", "ip"))


@dataclass(frozen=True)
class EventFilter:
    """Who, what, when, which object: each given field narrows the log (all of them together)."""

    action: str | None = None
    actor: UUID | None = None
    object_type: str | None = None
    object_id: str | None = None
    since: datetime | None = None
    until: datetime | None = None


async def list_events(tenant_id: UUID, *, action: str | None, limit: int, offset: int,
                      listing: Listing | None = None,
                      where_: EventFilter | None = None) -> tuple[list[dict[str, Any]], int]:
    """A page of events, newest first unless ``listing`` sorts otherwise, with the total;
    ``since`` is inclusive and ``until`` exclusive, so consecutive windows never overlap."""
    where = AuditEvent.tenant_id == tenant_id
    if action:
        where = where & (AuditEvent.action == action)
    f = where_ or EventFilter()
    if f.actor:
        where = where & (AuditEvent.actor_user_id == f.actor)
    if f.object_type:
        where = where & (AuditEvent.object_type == f.object_type)
    if f.object_id:
        where = where & (AuditEvent.object_id == f.object_id)
    if f.since:
        where = where & (AuditEvent.occurred_at >= _utc(f.since))
    if f.until:
        where = where & (AuditEvent.occurred_at < _utc(f.until))
    rows, total = await page_listed(AuditEvent, where, (), LIST, listing, limit=limit, offset=offset)
    for row in rows:
        if isinstance(row["details"], str):
            row["details"] = json.loads(row["details"])
    return rows, total


def _utc(moment: datetime) -> datetime:
    """A time without an offset is read as UTC (the log stores UTC)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
