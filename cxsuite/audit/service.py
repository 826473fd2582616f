"""Writing and reading the audit log. Writes join the caller's transaction, so an action and
its audit entry commit (or roll back) together."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid4

from cxsuite.audit.tables import AuditEvent


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


async def list_events(tenant_id: UUID, *, action: str | None, limit: int, offset: int,
                      ) -> tuple[list[dict[str, Any]], int]:
    """A page of events, newest first, with the total."""
    query = AuditEvent.select().where(AuditEvent.tenant_id == tenant_id)
    count = AuditEvent.count().where(AuditEvent.tenant_id == tenant_id)
    if action:
        query = query.where(AuditEvent.action == action)
        count = count.where(AuditEvent.action == action)
    rows = await query.order_by(AuditEvent.occurred_at, ascending=False).order_by(
        AuditEvent.id).limit(limit).offset(offset).output(load_json=True).run()
    return rows, await count.run()
