"""Turning a vendor's rows into canonical records, the same way in every connector.

A row either becomes a whole record or a :class:`RecordError` with its id, the reason and an
excerpt of the row: never a half-filled record, never a silent drop. Field readers treat an
empty value as ``None`` and anything that does not parse as a :class:`MappingError` naming the
field, so the reason a client admin reads says which field of which record was wrong.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime
from typing import Any, TypeVar

from cxsuite.connectors.contract import RecordError
from cxsuite.connectors.records import Record

EXCERPT_CHARS = 300
Row = TypeVar("Row")


class MappingError(ValueError):
    """The row cannot become a canonical record; the message says which field and why."""


def map_rows(rows: Iterable[Row], to_record: Callable[[Row], Record], id_of: Callable[[Row], str],
             ) -> tuple[list[Record], list[RecordError]]:
    """Each row's record, or its error. A :class:`MappingError` is the reason as written; a
    missing key or a value of the wrong type (the vendor sent an unexpected shape) is reported
    as such rather than crashing the sync."""
    records: list[Record] = []
    errors: list[RecordError] = []
    for row in rows:
        try:
            records.append(to_record(row))
        except MappingError as exc:
            errors.append(_error(row, id_of, str(exc)))
        except (KeyError, TypeError, AttributeError) as exc:
            errors.append(_error(row, id_of, f"unexpected shape: {type(exc).__name__} {exc}"))
    return records, errors


def _error(row: Any, id_of: Callable[[Any], str], reason: str) -> RecordError:
    try:
        external_id = id_of(row) or "unknown"
    except (KeyError, TypeError, AttributeError):
        external_id = "unknown"
    return RecordError(external_id, reason, json.dumps(row, default=str)[:EXCERPT_CHARS])


def _empty(value: Any) -> bool:
    return value is None or value == ""


def _shown(value: Any) -> str:
    return repr(str(value)[:40])


def number(value: Any, field: str) -> float | None:
    """A numeric value (vendors send numbers and numeric strings); a boolean is not one."""
    if _empty(value):
        return None
    if isinstance(value, bool):
        raise MappingError(f"{field} is not a number: {value!r}")
    try:
        return float(value)
    except (TypeError, ValueError):
        raise MappingError(f"{field} is not a number: {_shown(value)}") from None


def day(value: Any, field: str) -> datetime | None:
    """A date (``2024-05-01``, or the date part of a timestamp) as midnight UTC."""
    if _empty(value):
        return None
    try:
        return datetime.combine(date.fromisoformat(str(value)[:10]), datetime.min.time(), UTC)
    except ValueError:
        raise MappingError(f"{field} is not a date: {_shown(value)}") from None


def _iso(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def moment(value: Any, field: str, parse: Callable[[str], datetime] = _iso) -> datetime | None:
    """A point in time as aware UTC: ISO 8601 by default, or the vendor's own ``parse``; a
    time without an offset is taken as UTC."""
    if _empty(value):
        return None
    try:
        parsed = parse(str(value).strip())
    except ValueError:
        raise MappingError(f"{field} is not a datetime: {_shown(value)}") from None
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)).astimezone(UTC)
