"""Searching and sorting a list: what a list allows (:class:`ListSpec`), what a caller asked for
(:class:`Listing`), and one page of rows for both (:func:`page_listed`), in SQL or in memory.

Only whitelisted public field names reach SQL: a sort names a column of the list's table
through the spec, and ``q`` is always a bound parameter, with ``%``, ``_`` and ``\\`` escaped
so they match themselves.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from piccolo.columns import Column
from piccolo.columns.combination import WhereRaw
from piccolo.table import Table

from cxsuite.db.sql import execute
from cxsuite.errors import FieldProblem, ValidationFailed

MAX_Q_CHARS = 200


@dataclass(frozen=True)
class ListSpec:
    """The fields a list sorts by and searches in, by their public (response) names.

    ``default`` is the order without ``sort`` (``-`` for descending); ``sorts`` must name
    columns that are never NULL, so keyset pages (``after``) can compare them.
    """

    sorts: tuple[str, ...]
    default: str
    search: tuple[str, ...]

    def sort_values(self) -> tuple[str, ...]:
        """Every accepted ``sort`` value: each field, ascending and descending."""
        return tuple(v for field in self.sorts for v in (field, f"-{field}"))

    def describe_sort(self) -> str:
        """The ``sort`` parameter's OpenAPI description."""
        return (f"Order of the items: one of {', '.join(self.sorts)}; a leading '-' sorts "
                f"descending. Default: {self.default}")

    def describe_q(self) -> str:
        """The ``q`` parameter's OpenAPI description."""
        return (f"Search: only items whose {' or '.join(self.search)} contains this text "
                "(case-insensitive; % and _ match themselves)")


@dataclass(frozen=True)
class Listing:
    """What the caller asked of a list: search text and order (``None``: the list's default)."""

    q: str | None = None
    sort: str | None = None

    def order(self, spec: ListSpec) -> tuple[str, bool]:
        """(field, descending) for this listing; a sort the spec does not allow is refused."""
        sort = self.sort or spec.default
        field = sort.removeprefix("-")
        if field not in spec.sorts:
            raise ValidationFailed("this list cannot be sorted that way", problems=[FieldProblem(
                "query.sort", f"must be one of {', '.join(spec.sort_values())}")])
        return field, sort.startswith("-")


DEFAULT = Listing()


def like_pattern(text: str) -> str:
    """``%text%`` with the LIKE metacharacters escaped (``ESCAPE '\\'``)."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def search_condition(table: type[Table], columns: Sequence[Column], text: str) -> WhereRaw:
    """Rows where any of ``columns`` contains ``text``, ignoring case (ILIKE on PostgreSQL;
    LIKE on SQLite, which ignores the case of ASCII letters only)."""
    operator = "ILIKE" if table._meta.db.engine_type == "postgres" else "LIKE"
    pattern = like_pattern(text)
    sql = " OR ".join(f"{c._meta.db_column_name} {operator} {{}} ESCAPE '\\'" for c in columns)
    return WhereRaw(f"({sql})", *([pattern] * len(columns)))


async def page_listed(table: type[Table], where: Any, columns: tuple[Column, ...], spec: ListSpec,
                      listing: Listing | None, *, limit: int, offset: int, after: UUID | None = None,
                      total: Callable[[], Awaitable[int]] | None = None,
                      ) -> tuple[list[dict[str, Any]], int]:
    """One page of ``table`` rows matching ``where``, searched and sorted as ``listing`` asks,
    with the total, by offset or (``after``) by key; inside an open transaction.

    ``total``, when given, answers the unsearched count more cheaply than ``count(*)`` (a
    maintained counter); a search always counts its matches.
    """
    listing = listing or DEFAULT
    field, descending = listing.order(spec)
    order = table._meta.get_column_by_name(field)
    if listing.q:
        where = where & search_condition(
            table, [table._meta.get_column_by_name(f) for f in spec.search], listing.q)
    key = table._meta.primary_key
    query = table.select(*columns).where(where)
    if after is not None:
        anchor = await table.select(order).where(where & (key == after)).first().run()
        if anchor is None:
            raise ValidationFailed("'after' is not an item of this list", problems=[
                FieldProblem("query.after", "no item with this id in this list")])
        # A row comparison, not "a > x OR (a = x AND id > y)": PostgreSQL turns only this form
        # into an index range (SQLite >= 3.15 has row values too).
        beyond = "<" if descending else ">"
        query = query.where(WhereRaw(
            f"({order._meta.db_column_name}, {key._meta.db_column_name}) {beyond} ({{}}, {{}})",
            anchor[order._meta.name], after))
        offset = 0
    rows = await query.order_by(order, ascending=not descending).order_by(
        key, ascending=not descending).limit(limit).offset(offset).run()
    if after is None and len(rows) < limit and (rows or not offset):
        return rows, offset + len(rows)  # the last page says the total: no count
    if total is not None and not listing.q:
        return rows, await total()
    return rows, await table.count().where(where).run()


def _value(row: Any, field: str) -> Any:
    return row[field] if isinstance(row, dict) else getattr(row, field)


def listed_in_memory(rows: list[Any], spec: ListSpec, listing: Listing | None, *,
                     limit: int, offset: int) -> tuple[list[Any], int]:
    """The same for a short list already read whole (a tenant's or workspace's members):
    search, sort (stable; ties keep the read order), slice; with the total of matches."""
    listing = listing or DEFAULT
    field, descending = listing.order(spec)
    if listing.q:
        needle = listing.q.casefold()
        rows = [r for r in rows if any(needle in str(_value(r, f) or "").casefold() for f in spec.search)]
    rows = sorted(rows, key=lambda r: _value(r, field), reverse=descending)
    return rows[offset:offset + limit], len(rows)



async def counted(table: type[Table], tenant_id: UUID) -> int:
    """The tenant's count of ``table``'s rows kept by the database's triggers (``list_count``,
    m0020; workspaces only so far), inside an open transaction: one key lookup instead of
    counting every row of the tenant."""
    rows = await execute(table._meta.db, "SELECT n FROM list_count WHERE tenant_id = {} AND list = {}",
                         tenant_id, table._meta.tablename)
    return int(rows[0]["n"]) if rows else 0
