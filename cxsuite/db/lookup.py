"""Reading one tenant row by id: the shape every "load it or answer 404" starts from."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from piccolo.columns import Column
from piccolo.table import Table

from cxsuite.errors import NotFound


async def one_in_tenant(table: type[Table], tenant_id: UUID, object_id: UUID, *columns: Column,
                        what: str) -> dict[str, Any]:
    """The row ``object_id`` of ``table`` inside ``tenant_id`` (inside an open transaction);
    :class:`NotFound` when missing, which is also what another tenant's id looks like."""
    row = await table.select(*columns).where(
        (table.tenant_id == tenant_id) & (table._meta.primary_key == object_id)).first().run()
    if row is None:
        raise NotFound(f"{what} not found")
    return row


async def page_of(table: type[Table], where: Any, columns: tuple[Column, ...], order: Column, *,
                  newest_first: bool = False, limit: int, offset: int) -> tuple[list[dict[str, Any]], int]:
    """One page of ``table`` rows matching ``where`` and the total, in a stable order
    (``order`` then the primary key, so equal timestamps never swap between pages)."""
    rows = await table.select(*columns).where(where).order_by(order, ascending=not newest_first).order_by(
        table._meta.primary_key).limit(limit).offset(offset).run()
    return rows, await table.count().where(where).run()
