"""Answer dates as survey tools write them, to timezone-aware UTC.

ISO 8601 (Typeform, Qualtrics, XLSX cells), ``3/5/2024 14:13:45`` (Google Forms, US),
``03/05/2024 02:13:45 PM`` (SurveyMonkey), ``2024/03/05 2:13:45 PM GMT+1`` (Google Forms)
and ``05.03.2024 14:13`` (European Excel). Whether ``03/05`` is March or May is decided once
per file: declared (``day_first``), else day-first when any date's first part exceeds 12.
Dates without a zone are taken in the connection's declared time zone (``timezone``), else as
UTC, which is what most tools export; a date that states its zone keeps it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta, timezone, tzinfo

SLASHED = re.compile(r"^(\d{1,4})[/.](\d{1,2})[/.](\d{1,4})"
                     r"(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp][Mm])?)?"
                     r"(?:\s*(?:GMT|UTC)([+-]\d{1,2})(?::?(\d{2}))?)?$")


def day_first_in(values: Iterable[str]) -> bool:
    """Whether the file writes day/month: some slashed date starts with a day above 12."""
    for value in values:
        match = SLASHED.match(value.strip())
        if match and "." in value:
            return True
        if match and len(match.group(1)) <= 2 and int(match.group(1)) > 12:
            return True
    return False


def parse_date(text: str, day_first: bool, zone: tzinfo = UTC) -> datetime | None:
    """The moment, in UTC; ``None`` when the text is no date this importer understands. A time
    without a zone is read in ``zone``."""
    text = text.strip()
    try:
        parsed = datetime.fromisoformat(text.replace(" UTC", "+00:00"))
    except ValueError:
        parsed = _slashed(text, day_first)
    if parsed is None:
        return None
    return (parsed.replace(tzinfo=zone) if parsed.tzinfo is None else parsed).astimezone(UTC)


def _slashed(text: str, day_first: bool) -> datetime | None:
    match = SLASHED.match(text)
    if not match:
        return None
    first, second, third, hour, minute, sec, half, zone_h, zone_m = match.groups()
    if len(first) == 4:
        year, month, day = int(first), int(second), int(third)
    else:
        day, month = (int(first), int(second)) if day_first or "." in text else (int(second), int(first))
        year = int(third) + (2000 if len(third) == 2 else 0)
    hours = int(hour or 0) % 12 + (12 if (half or "").lower() == "pm" else 0) if half else int(hour or 0)
    zone = timezone(timedelta(hours=int(zone_h), minutes=int(zone_m or 0) * (-1 if zone_h.startswith("-")
                                                                             else 1))) if zone_h else None
    try:
        return datetime(year, month, day, hours, int(minute or 0), int(sec or 0), tzinfo=zone)
    except ValueError:
        return None
