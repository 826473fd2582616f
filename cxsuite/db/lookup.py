"""Reading one tenant row by id: the shape every "load it or answer 404" starts from."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from piccolo.columns import Column
from piccolo.columns.combination import WhereRaw
from piccolo.table import Table

from cxsuite.errors import FieldProblem, NotFound, ValidationFailed


def row_in_tenant(table: type[Table], tenant_id: UUID, object_id: UUID) -> Any:
    """The condition naming row ``object_id`` of ``table`` inside ``tenant_id`` only, for the
    select, update or delete of one tenant row."""
    return (table.tenant_id == tenant_id) & (table._meta.primary_key == object_id)


async def one_in_tenant(table: type[Table], tenant_id: UUID, object_id: UUID, *columns: Column,
                        what: str) -> dict[str, Any]:
    """The row ``object_id`` of ``table`` inside ``tenant_id`` (inside an open transaction);
    :class:`NotFound` when missing, which is also what another tenant's id looks like."""
    row = await table.select(*columns).where(row_in_tenant(table, tenant_id, object_id)).first().run()
    if row is None:
        raise NotFound(f"{what} not found")
    return row


async def page_of(table: type[Table], where: Any, columns: tuple[Column, ...], order: Column, *,
                  newest_first: bool = False, limit: int, offset: int) -> tuple[list[dict[str, Any]], int]:
    """One page of ``table`` rows matching ``where`` and the total, in a stable order
    (``order`` then the primary key, so equal timestamps never swap between pages)."""
    rows = await table.select(*columns).where(where).order_by(order, ascending=not newest_first).order_by(
        table._meta.primary_key).limit(limit).offset(offset).run()
    if len(rows) < limit and (rows or not offset):
        return rows, offset + len(rows)  # the last page says the total: no count (most lists)
    return rows, await table.count().where(where).run()


async def page_after(table: type[Table], where: Any, columns: tuple[Column, ...], order: Column,
                     after: UUID, *, limit: int) -> tuple[list[dict[str, Any]], int]:
    """The page following row ``after`` in :func:`page_of`'s ascending order, and the total.

    Keyset pagination: rows strictly after ``(order, id)`` of that row, so an index on
    ``(tenant_id, order, id)`` serves any page by reading ``limit`` entries, where an offset
    walks every row before it. ``after`` must match ``where`` itself: an item the caller cannot
    see (another tenant's, another workspace's) is refused exactly like a missing one.
    """
    key = table._meta.primary_key
    anchor = await table.select(order).where(where & (key == after)).first().run()
    if anchor is None:
        raise ValidationFailed("'after' is not an item of this list", problems=[
            FieldProblem("query.after", "no item with this id in this list")])
    # A row comparison, not "a > x OR (a = x AND id > y)": PostgreSQL turns only this form
    # into an index range (SQLite ≥ 3.15 has row values too).
    later = WhereRaw(f"({order._meta.db_column_name}, {key._meta.db_column_name}) > ({{}}, {{}})",
                     anchor[order._meta.name], after)
    rows = await table.select(*columns).where(where & later).order_by(order).order_by(key).limit(
        limit).run()
    return rows, await table.count().where(where).run()
