"""HubSpot CRM search semantics: filterGroups (OR of ANDs), one sort, offset paging, the window.

Kept apart from the routes because this is where incremental syncs succeed or fail: date
filters on ``lastmodifieddate``/``hs_lastmodifieddate`` accept epoch milliseconds or ISO text,
``hs_object_id`` sorts as *text* (so "1000" < "101"), archived objects never match, and an
offset at or past the window (10,000) is a 400.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from cxsuite.sandbox import hubspot_objects as objects
from cxsuite.sandbox.common import page_window, parse_time
from cxsuite.sandbox.state import Sandbox
from cxsuite.sandbox.world import Record

MAX_FILTER_GROUPS = 5
MAX_LIMIT = 200


class SearchError(ValueError):
    """A request HubSpot answers with 400 VALIDATION_ERROR."""


def _value(prop: str, raw: str | None) -> Any:
    """Comparable form of a property value: datetimes for date properties, floats for numbers."""
    if raw is None:
        return None
    if prop in objects.DATE_PROPERTIES:
        return parse_time(raw)
    try:
        return float(raw)
    except ValueError:
        return raw.lower()


_OPERATORS: dict[str, Callable[[Any, Any, dict[str, Any], str], bool]] = {
    "EQ": lambda v, x, f, p: v == x,
    "NEQ": lambda v, x, f, p: v != x,
    "LT": lambda v, x, f, p: v is not None and v < x,
    "LTE": lambda v, x, f, p: v is not None and v <= x,
    "GT": lambda v, x, f, p: v is not None and v > x,
    "GTE": lambda v, x, f, p: v is not None and v >= x,
    "BETWEEN": lambda v, x, f, p: v is not None and x <= v <= _value(p, str(f.get("highValue"))),
    "IN": lambda v, x, f, p: v in [_value(p, str(i)) for i in f.get("values", [])],
    "NOT_IN": lambda v, x, f, p: v not in [_value(p, str(i)) for i in f.get("values", [])],
    "HAS_PROPERTY": lambda v, x, f, p: v is not None,
    "NOT_HAS_PROPERTY": lambda v, x, f, p: v is None,
    "CONTAINS_TOKEN": lambda v, x, f, p: isinstance(v, str) and str(x).strip("*") in v,
    "NOT_CONTAINS_TOKEN": lambda v, x, f, p: not (isinstance(v, str) and str(x).strip("*") in v),
}


def _matches(props: dict[str, str | None], flt: dict[str, Any]) -> bool:
    prop, operator = flt.get("propertyName"), flt.get("operator", "EQ")
    if operator not in _OPERATORS or not isinstance(prop, str):
        raise SearchError(f"Invalid input JSON: unknown operator or property in filter {flt}")
    if prop not in props and operator not in ("HAS_PROPERTY", "NOT_HAS_PROPERTY"):
        raise SearchError(f"There was a problem with the request. Property {prop!r} does not exist")
    raw_wanted = flt.get("value")
    wanted = _value(prop, str(raw_wanted)) if raw_wanted is not None else None
    try:
        return _OPERATORS[operator](_value(prop, props.get(prop)), wanted, flt, prop)
    except TypeError as exc:
        raise SearchError(f"Invalid value for property {prop}: {raw_wanted}") from exc


def _sort_key(prop: str, props: dict[str, str | None]) -> tuple[int, Any]:
    """Missing values last; ``hs_object_id`` compares as text, the documented trap."""
    raw = props.get(prop)
    if raw is None:
        return (1, "")
    return (0, raw if prop == "hs_object_id" else _value(prop, raw))


def search_records(
    sandbox: Sandbox, object_type: str, body: dict[str, Any]
) -> tuple[int, int, list[Record], int | None]:
    """(total, start, page, next offset) for one search request body."""
    groups = body.get("filterGroups") or []
    limit = int(body.get("limit", 10))
    if len(groups) > MAX_FILTER_GROUPS or limit > MAX_LIMIT or limit < 1:
        raise SearchError(
            f"Invalid search: at most {MAX_FILTER_GROUPS} filterGroups and limit 1..{MAX_LIMIT}"
        )
    start = int(body.get("after") or 0)
    window = sandbox.limits.hubspot_search_window
    if start >= window:
        raise SearchError(
            f"Paging past {window} results is not supported by search; narrow the filters (after={start})"
        )
    world = sandbox.world
    rows = [
        (r, objects.properties(world, object_type, r))
        for r in objects.records(world, object_type)
        if r.deleted_at is None
    ]
    query = str(body.get("query") or "").lower()
    rows = [
        (r, p)
        for r, p in rows
        if (not groups or any(all(_matches(p, f) for f in g.get("filters", [])) for g in groups))
        and (not query or any(query in (v or "").lower() for v in p.values()))
    ]
    sort = (body.get("sorts") or [{"propertyName": "hs_object_id", "direction": "ASCENDING"}])[0]
    prop = sort if isinstance(sort, str) else sort.get("propertyName", "hs_object_id")
    descending = isinstance(sort, dict) and sort.get("direction") == "DESCENDING"
    rows.sort(key=lambda rp: _sort_key(prop, rp[1]), reverse=descending)
    total = len(rows)
    end, nxt = page_window(sandbox, "hubspot", min(total, window), start, limit)
    if nxt is None and end < total:
        nxt = end
    return total, start, [r for r, _ in rows[start:end]], nxt
