"""The audit period: explicit on every project, fixed when the project is made.

A period that silently followed the data ("the last 365 days up to the newest record") moved
every time a sync brought newer records, so two people computing CSAT from the same file a week
apart got different figures. Now a project is created with its period: the one the caller gives,
or, when the caller gives none, the 12 months up to the workspace's newest record (or up to the
creation date when the workspace has no data yet), stored at once. Scoring only ever reads the
stored period; a project from before this rule gets its period fixed the same way, and stored,
the first time it is scored.
"""

from __future__ import annotations

from datetime import date, timedelta

PERIOD_DAYS = 365


def explicit_period(start: date | None, end: date | None, latest: date | None, today: date,
                    ) -> tuple[date, date]:
    """The period to store: the given ends, the missing one(s) filled by 12 months of data
    (ending at ``latest``, the newest record, else ``today``)."""
    if start and end:
        return start, end
    if start:
        return start, start + timedelta(days=PERIOD_DAYS - 1)
    period_end = end or latest or today
    return period_end - timedelta(days=PERIOD_DAYS - 1), period_end
