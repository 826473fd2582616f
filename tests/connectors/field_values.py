"""Reading stored canonical columns the same way on both databases: JSON lists arrive as text
on SQLite and as text or lists on PostgreSQL, timestamps as datetimes or ISO text."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any


def as_list(value: Any) -> list[Any]:
    """A JSON list column as a list."""
    return json.loads(value) if isinstance(value, str) else list(value or [])


def as_time(value: Any) -> datetime | None:
    """A timestamp column as aware UTC (``None`` stays ``None``)."""
    if value is None:
        return None
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC)
