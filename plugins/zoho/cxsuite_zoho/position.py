"""Where a stream's sync is: the checkpoint, typed, and how it moves.

A sync of one module runs two passes, and the checkpoint after every page says where it is:

``live``     ``GET /crm/v8/{Module}`` sorted by ``Modified_Time`` ascending with
             ``If-Modified-Since: since`` (none on the first sync). ``page`` reaches
             ``page_limit`` records (2,000, or what Zoho's ``DISCRETE_PAGINATION_LIMIT_EXCEEDED``
             says); past it the next page is asked for with the ``page_token`` the previous page
             gave. The pass ends when ``info.more_records`` is false or Zoho answers 304 (nothing
             changed) or 204 (no records) — never because a page looks short.
``deleted``  ``GET /crm/v8/{Module}/deleted?type=all``, paged the same way, with
             ``If-Modified-Since`` from the previous sync's deletions.
``idle``     done; ``cursor`` and ``deleted_cursor`` say where the next sync starts.

``Modified_Time`` has one-second precision and many records share a second, so the next
pass asks for changes since one second *before* the cursor: the boundary second is read again
and the idempotent upsert absorbs the repeats, while a record saved later in that second is
not lost. The cursor is the newest ``Modified_Time`` read, capped at the sync's start.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any

DISCRETE_LIMIT = 2000  # records Zoho serves through ``page`` before a page_token is needed
TIE_MARGIN = timedelta(seconds=1)


def stamp(moment: datetime) -> str:
    """A Zoho datetime, second precision, as ``If-Modified-Since`` takes it."""
    return moment.strftime("%Y-%m-%dT%H:%M:%S+00:00")


@dataclass
class Position:
    """The checkpoint of one module's stream."""

    phase: str = "idle"
    since: str | None = None
    page: int = 1
    page_token: str | None = None
    page_limit: int = DISCRETE_LIMIT
    high: str | None = None
    started: str | None = None
    cursor: str | None = None
    deleted_since: str | None = None
    deleted_high: str | None = None
    deleted_cursor: str | None = None

    @classmethod
    def load(cls, checkpoint: dict[str, Any] | None) -> Position:
        """The position a stored checkpoint holds (fields it does not know are ignored)."""
        known = cls.__dataclass_fields__
        return cls(**{k: v for k, v in (checkpoint or {}).items() if k in known})

    def as_dict(self) -> dict[str, Any]:
        """The JSON the engine stores."""
        return {k: v for k, v in asdict(self).items() if v is not None}

    def begin(self, now: datetime) -> None:
        """Start a sync: the live pass from one second before the cursor (or from scratch)."""
        self.phase, self.started, self.high = "live", stamp(now), None
        self.since = _before(self.cursor)
        self._first_page()

    def _first_page(self) -> None:
        self.page, self.page_token = 1, None

    def request_page(self, per_page: int) -> dict[str, Any]:
        """``page`` while it reaches, then the ``page_token`` the previous page handed out."""
        if self.page_token and (self.page - 1) * per_page >= self.page_limit:
            return {"page_token": self.page_token}
        return {"page": self.page}

    def saw(self, moments: list[datetime]) -> None:
        """Note the change times of the records just read (live or deleted pass)."""
        if not moments:
            return
        newest = stamp(max(moments))
        if self.phase == "live":
            self.high = max(self.high or newest, newest)
        else:
            self.deleted_high = max(self.deleted_high or newest, newest)

    def next_page(self, more: bool, token: str | None) -> None:
        """After a page: the next one, or the next pass when Zoho says there are no more."""
        if more:
            self.page, self.page_token = self.page + 1, token
        elif self.phase == "live":
            self.end_live()
        else:
            self.end_deleted()

    def end_live(self) -> None:
        """The live pass is done: move the cursor and start the deleted pass."""
        self.cursor = _newer(self.cursor, _capped(self.high, self.started))
        self.phase, self.since, self.high = "deleted", None, None
        self.deleted_since = _before(self.deleted_cursor)
        self._first_page()

    def end_deleted(self) -> None:
        """The sync of this stream is done."""
        self.deleted_cursor = _newer(self.deleted_cursor, _capped(self.deleted_high, self.started))
        self.phase, self.deleted_since, self.deleted_high, self.started = "idle", None, None, None
        self._first_page()

    def restart_window(self) -> bool:
        """Continue the live pass as a new query from the newest change read (past Zoho's
        100,000-record page_token reach, or when a stored page_token expired); ``False`` when
        that would not move forward."""
        since = _before(self.high)
        if since is None or (self.since is not None and since <= self.since):
            return False
        self.since = since
        self._first_page()
        return True


def _before(moment: str | None) -> str | None:
    return stamp(datetime.fromisoformat(moment) - TIE_MARGIN) if moment else None


def _capped(high: str | None, started: str | None) -> str | None:
    if high is None or started is None:
        return high
    return min(high, started)


def _newer(current: str | None, candidate: str | None) -> str | None:
    if candidate is None:
        return current
    return max(current or candidate, candidate)
