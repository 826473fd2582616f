"""The incremental cursor and the SOQL built from it.

``SystemModstamp`` is not unique: bulk updates stamp many rows with the same millisecond, so
``> last`` drops rows and ``>= last`` repeats them. The cursor is the pair
``(SystemModstamp, Id)`` of the last row read, and the query continues strictly after it::

    WHERE SystemModstamp > :ts OR (SystemModstamp = :ts AND Id > :id) ORDER BY SystemModstamp, Id

The same query resumes an interrupted sync (the checkpoint after every page is the cursor of
its last row) and starts the next sync, so query locators, which expire, are never stored.

A transaction that started before a sync can commit after the sync has read past its
``SystemModstamp`` (airbytehq/airbyte#27146). When a sync ends, a cursor newer than
``now - SETTLE`` is therefore moved back to ``now - SETTLE`` (with no id): the next sync
reads that short window again, and the idempotent upsert absorbs the repeats.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

SETTLE = timedelta(minutes=10)
_ID = re.compile(r"^[A-Za-z0-9]{15}(?:[A-Za-z0-9]{3})?$")


def parse_stamp(value: str) -> datetime:
    """Salesforce datetime text (``2024-05-01T10:00:00.000+0000`` or ``…Z``) as aware UTC."""
    text = value.strip().replace("Z", "+00:00")
    if len(text) > 5 and text[-5] in "+-" and text[-3] != ":":
        text = f"{text[:-2]}:{text[-2:]}"
    moment = datetime.fromisoformat(text)
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC)


def soql_datetime(moment: datetime) -> str:
    """A SOQL datetime literal with Salesforce's millisecond precision."""
    moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def record_id(row: dict[str, Any]) -> str | None:
    """A row's Id, or the one its ``attributes.url`` ends with (a row missing its Id field)."""
    value = row.get("Id") or str((row.get("attributes") or {}).get("url", "")).rsplit("/", 1)[-1]
    return value if value and _ID.match(value) else None


@dataclass(frozen=True)
class Cursor:
    """Everything up to and including ``(stamp, last_id)`` is stored; ``None`` stamp: nothing."""

    stamp: str | None = None
    last_id: str | None = None

    @classmethod
    def load(cls, checkpoint: dict[str, Any] | None) -> Cursor:
        """The cursor a stored checkpoint holds."""
        checkpoint = checkpoint or {}
        last_id = checkpoint.get("last_id")
        return cls(checkpoint.get("stamp"), last_id if last_id and _ID.match(last_id) else None)

    def as_checkpoint(self) -> dict[str, Any]:
        """The JSON the engine stores."""
        return {k: v for k, v in (("stamp", self.stamp), ("last_id", self.last_id)) if v}

    def after(self, rows: list[dict[str, Any]]) -> Cursor:
        """The cursor past the last of ``rows`` that has a modstamp and an id."""
        for row in reversed(rows):
            stamp, found = row.get("SystemModstamp"), record_id(row)
            if stamp and found:
                try:
                    return Cursor(soql_datetime(parse_stamp(str(stamp))), found)
                except ValueError:
                    continue  # a malformed row is reported by its mapping; the row before it counts
        return self

    def settled(self, now: datetime) -> Cursor:
        """The cursor the next sync starts from: no later than ``now - SETTLE``."""
        limit = now - SETTLE
        if self.stamp is None or parse_stamp(self.stamp) <= limit:
            return self
        return Cursor(soql_datetime(limit))

    def where(self) -> str:
        """The SOQL condition selecting rows after the cursor (empty: every row)."""
        if self.stamp is None:
            return ""
        if self.last_id is None:
            return f"SystemModstamp >= {self.stamp}"
        return (f"(SystemModstamp > {self.stamp} OR "
                f"(SystemModstamp = {self.stamp} AND Id > '{self.last_id}'))")


def incremental_query(sobject: str, fields: tuple[str, ...], cursor: Cursor, condition: str = "") -> str:
    """``SELECT fields FROM sobject`` after ``cursor`` (and ``condition``), oldest first."""
    clauses = [c for c in (condition, cursor.where()) if c]
    where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
    return f"SELECT {', '.join(fields)} FROM {sobject}{where} ORDER BY SystemModstamp, Id"


def in_list(ids: list[str]) -> str:
    """A SOQL ``IN`` list of record ids (validated, so nothing else reaches the query)."""
    return "(" + ", ".join(f"'{i}'" for i in ids if _ID.match(i)) + ")"
