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
from piccolo.querystring import QueryString
from piccolo.table import Table

from cxsuite.db.sql import execute
from cxsuite.errors import FieldProblem, ValidationFailed

MAX_Q_CHARS = 200


@dataclass(frozen=True)
class ListSpec:
    """The fields a list sorts by and searches in, by their public (response) names.

    ``default`` is the order without ``sort`` (``-`` for descending); ``sorts`` must name
    columns that are never NULL, so keyset pages (``after``) can compare them. ``folded``,
    when given, names for each ``search`` field (same order) a column the database keeps as
    its ``lower()`` on PostgreSQL (a stored generated column): a search then matches it with
    LIKE instead of lower-casing every row with ILIKE, the same matches at a fraction of the
    cost. SQLite has no such columns and searches the fields themselves.
    """

    sorts: tuple[str, ...]
    default: str
    search: tuple[str, ...]
    folded: tuple[str, ...] = ()

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


def search_condition(table: type[Table], columns: Sequence[Column], text: str,
                     folded: Sequence[str] = ()) -> WhereRaw:
    """Rows where any of ``columns`` contains ``text``, ignoring case: on PostgreSQL ILIKE, or
    LIKE against ``lower(text)`` on the ``folded`` columns (their ``lower()``, kept by the
    database) where the spec has them — ILIKE is ``lower()`` of both sides and LIKE, so the
    matches are the same; on SQLite LIKE, which ignores the case of ASCII letters only.

    No index serves either on PostgreSQL: the app role reads under row-level security, and
    the planner applies a query's non-LEAKPROOF conditions (LIKE, ILIKE) only after the
    policy's, never as index conditions, so a trigram index would go unused."""
    pattern = like_pattern(text)
    if table._meta.db.engine_type != "postgres":
        tests = [f"{c._meta.db_column_name} LIKE {{}}" for c in columns]
    elif folded:
        tests = [f"{name} LIKE lower({{}})" for name in folded]
    else:
        tests = [f"{c._meta.db_column_name} ILIKE {{}}" for c in columns]
    sql = " OR ".join(f"{test} ESCAPE '\\'" for test in tests)
    return WhereRaw(f"({sql})", *([pattern] * len(tests)))


Read = Callable[[QueryString, int], Awaitable[list[dict[str, Any]]]]
"""Runs one read statement (of so many columns) and gives its rows: :meth:`Database.read`
bound to a tenant, or by default :func:`in_transaction`."""


async def in_transaction(query: QueryString, _width: int) -> list[dict[str, Any]]:
    """Run ``query`` inside the transaction the caller has open."""
    return await execute(query.table._meta.db, query.template, *query.args)


async def page_listed(table: type[Table], where: Any, columns: tuple[Column, ...], spec: ListSpec,
                      listing: Listing | None, *, limit: int, offset: int, after: UUID | None = None,
                      total: QueryString | None = None, read: Read = in_transaction,
                      ) -> tuple[list[dict[str, Any]], int]:
    """One page of ``table`` rows matching ``where``, searched and sorted as ``listing`` asks,
    with the total, by offset or (``after``) by key; inside the caller's open transaction, or
    each statement through ``read``.

    The page is one statement: the keyset anchor is a subquery and ``total``, when given (a
    scalar SQL expression cheaper than ``count(*)``, such as a maintained counter), rides along
    as a column, so a page is one statement where it took up to three. The SQL is composed
    here rather than through Piccolo's ``select()``, whose query building and result handling
    cost more than the database's own work for a page (bench/RESULTS.md). A search always
    counts its matches, in the page's own statement: no index can serve its condition (see
    :func:`search_condition`), so the page reads every match anyway, and ``count(*) OVER ()``
    counts them in that same pass (after an item, the page reads only the rest: the count is
    a subquery there). A full page of a list without a counter counts in a second statement.
    """
    listing = listing or DEFAULT
    field, descending = listing.order(spec)
    order = table._meta.get_column_by_name(field)
    if listing.q:
        where = where & search_condition(
            table, [table._meta.get_column_by_name(f) for f in spec.search], listing.q, spec.folded)
    key, source = table._meta.primary_key, f'"{table._meta.tablename}"'
    if listing.q:
        total = QueryString("count(*) OVER ()") if after is None else _count(source, where)
    counted = total is not None
    wanted = columns or tuple(table._meta.columns)
    sql = ", ".join(f"{_name(c)} AS \"{c._meta.name}\"" for c in wanted)
    args: list[Any] = []
    if counted:
        sql += ", {} AS _total"
        args.append(total)
    sql += f" FROM {source} WHERE {{}}"
    args.append(where.querystring)
    if after is not None:
        # A row comparison, not "a > x OR (a = x AND id > y)": PostgreSQL turns only this form
        # into an index range (SQLite >= 3.15 has row values too). The anchor must pass the
        # same filter, so an id the caller cannot see anchors nothing.
        sql += (f" AND ({_name(order)}, {_name(key)}) {'<' if descending else '>'} ((SELECT "
                f"{_name(order)} FROM {source} WHERE {{}} AND {_name(key)} = {{}}), {{}})")
        args += [where.querystring, after, after]
        offset = 0
    direction = "DESC" if descending else "ASC"
    sql += f" ORDER BY {_name(order)} {direction}, {_name(key)} {direction} LIMIT {{}} OFFSET {{}}"
    rows = await read(QueryString("SELECT " + sql, *args, limit, offset, table=table),
                      len(wanted) + counted)
    kept = [row.pop("_total") for row in rows][:1] if counted else []
    if after is not None and not rows:
        await _check_anchor(table, where, after, read)
    if after is None and len(rows) < limit and (rows or not offset):
        return rows, offset + len(rows)  # the last page says the total: no count
    if kept:
        return rows, int(kept[0] or 0)
    count = _count(source, where) if total is None or listing.q else total
    return rows, int((await read(QueryString("SELECT {} AS n", count, table=table), 1))[0]["n"] or 0)


def _name(column: Column) -> str:
    return column._meta.get_full_name(with_alias=False)


def _count(source: str, where: Any) -> QueryString:
    """The rows matching ``where``, counted, as a scalar SQL expression."""
    return QueryString(f"(SELECT count(*) FROM {source} WHERE {{}})", where.querystring)


async def _check_anchor(table: type[Table], where: Any, after: UUID, read: Read) -> None:
    """An empty page after ``after``: the anchor was the last item, or not an item of the list."""
    key = _name(table._meta.primary_key)
    found = await read(QueryString(f'SELECT count(*) AS n FROM "{table._meta.tablename}" WHERE {{}} '
                                   f"AND {key} = {{}}", where.querystring, after, table=table), 1)
    if not found[0]["n"]:
        raise ValidationFailed("'after' is not an item of this list", problems=[
            FieldProblem("query.after", "no item with this id in this list")])


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



def counter(table: type[Table], tenant_id: UUID) -> QueryString:
    """The tenant's count of ``table``'s rows kept by the database's triggers (``list_count``,
    m0020; workspaces only so far), as a scalar SQL expression for :func:`page_listed`'s
    ``total``: one key lookup inside the page's own statement instead of counting every row of
    the tenant."""
    return QueryString("(SELECT n FROM list_count WHERE tenant_id = {} AND list = {})",
                       tenant_id, table._meta.tablename)
