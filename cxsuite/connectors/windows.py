"""When a vendor's spent limit comes back, and how a job says so.

Daily limits reset at a vendor-defined midnight (HubSpot: midnight in the account's time
zone; Google: midnight Pacific time), so "try again in an hour" either wastes a day of
retries or comes back too early. Connectors compute the moment here and name it in UTC, the
one zone every reader of a job's message shares: "resumes at 00:00 UTC".
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo


def next_midnight(now: datetime, zone: str = "UTC") -> datetime:
    """The first midnight in ``zone`` after ``now``, as an aware UTC datetime."""
    local = now.astimezone(ZoneInfo(zone))
    midnight = datetime.combine(local.date() + timedelta(days=1), datetime.min.time(), ZoneInfo(zone))
    return midnight.astimezone(UTC)


def clock_time(moment: datetime, now: datetime | None = None) -> str:
    """``00:00 UTC`` within the next 24 hours, else with the date (``2026-12-05 00:00 UTC``)."""
    moment = moment.astimezone(UTC)
    if moment - (now or datetime.now(UTC)) < timedelta(hours=24):
        return moment.strftime("%H:%M UTC")
    return moment.strftime("%Y-%m-%d %H:%M UTC")
