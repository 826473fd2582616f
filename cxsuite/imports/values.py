"""Cells to typed values, read with the settings of one import: time zone, date format,
decimal and thousands separators.

Exports differ by country more than by tool: ``1.234,50`` is a number in Vilnius and an error
in Chicago, ``03/05/2024`` is March in one and May in the other, and most CRMs write local
time without saying which. So none of this is guessed per cell: the settings say it (the
preview shows what they make of the first rows), and a cell that does not fit them is a
reported error naming its row and column, never a silently wrong value.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import msgspec

DateFormat = Literal["auto", "YYYY-MM-DD", "DD.MM.YYYY", "DD/MM/YYYY", "MM/DD/YYYY", "DD-MM-YYYY",
                     "YYYY/MM/DD", "YYYY.MM.DD"]
DATE_FORMATS: tuple[str, ...] = DateFormat.__args__  # type: ignore[attr-defined]


class ReadSettings(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """How the cells of one file are read (stored with the confirmed mapping)."""

    timezone: Annotated[str, msgspec.Meta(
        max_length=64, description="IANA time zone the file's times are written in when they "
        "carry no offset (Europe/Vilnius, America/New_York, UTC)")] = "UTC"
    date_format: Annotated[DateFormat, msgspec.Meta(
        description="Order of day, month and year; auto: ISO 8601, else day first when any "
        "date of the column starts with a day above 12 or uses dots, else month first")] = "auto"
    decimal_separator: Literal[".", ","] = "."
    thousands_separator: Annotated[Literal["", ",", ".", " ", "'"], msgspec.Meta(
        description="Digit grouping to ignore; non-breaking and thin spaces always are")] = ""
    sheet: Annotated[str, msgspec.Meta(max_length=100)] | None = None
    defaults: Annotated[dict[str, Annotated[str, msgspec.Meta(max_length=200)]], msgspec.Meta(
        max_length=40, description="Values for fields the file has no column for, or leaves "
        "empty (feedback: metric, scale_min, scale_max; interactions: type, channel)")] = {}

    @property
    def zone(self) -> tzinfo:
        """The zone times without an offset are read in."""
        return ZoneInfo(self.timezone)


def settings_problems(settings: ReadSettings, where: str) -> list[tuple[str, str]]:
    """``(field, reason)`` for settings that cannot be used: an unknown zone, clashing
    separators. Checked by the service (a ``__post_init__`` would not reach the caller as a
    field problem through the request decoder)."""
    problems = []
    try:
        ZoneInfo(settings.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        problems.append((f"{where}.timezone", f"'{settings.timezone[:60]}' is not an IANA time zone name "
                                              "(such as Europe/Vilnius or UTC)"))
    if settings.thousands_separator == settings.decimal_separator:
        problems.append((f"{where}.thousands_separator", "must differ from decimal_separator"))
    return problems


class CellError(ValueError):
    """A cell the settings cannot read; the message says what was expected."""


ISO = re.compile(r"^\d{4}-\d{2}-\d{2}([T ]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$")
PARTS = re.compile(r"^(\d{1,4})([./-])(\d{1,2})\2(\d{1,4})"
                   r"(?:[ T,]+(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?\s*([AaPp]\.?[Mm]\.?)?)?"
                   r"\s*(Z|UTC|GMT|[+-]\d{2}:?\d{2})?$")
ORDER = {"YYYY-MM-DD": "ymd", "YYYY/MM/DD": "ymd", "YYYY.MM.DD": "ymd", "DD.MM.YYYY": "dmy",
         "DD/MM/YYYY": "dmy", "DD-MM-YYYY": "dmy", "MM/DD/YYYY": "mdy"}


def day_first(values: Iterable[str]) -> bool:
    """``auto``: a column is day first when a date uses dots or starts with a day above 12."""
    for value in values:
        match = PARTS.match(value.strip())
        if not match or len(match.group(1)) == 4:
            continue
        if match.group(2) == "." or int(match.group(1)) > 12:
            return True
    return False


def parse_datetime(text: str, settings: ReadSettings, dayfirst: bool = False) -> datetime:
    """A moment in UTC; a time without an offset is read in the settings' zone."""
    value = text.strip()
    if ISO.match(value):
        try:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00").replace(" ", "T", 1))
        except ValueError as exc:
            raise CellError(f"'{value[:40]}' is not a date ({exc})") from None
    else:
        parsed = _by_parts(value, settings, dayfirst)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=settings.zone)
    return parsed.astimezone(UTC)


def _by_parts(value: str, settings: ReadSettings, dayfirst: bool) -> datetime:
    match = PARTS.match(value)
    if not match:
        raise CellError(f"'{value[:40]}' is not a date ({_expected(settings)})")
    a, _, b, c, hour, minute, second, half, zone = match.groups()
    order = ORDER.get(settings.date_format) or ("ymd" if len(a) == 4 else "dmy" if dayfirst else "mdy")
    if (order == "ymd") != (len(a) == 4):
        raise CellError(f"'{value[:40]}' does not match the date format {settings.date_format}")
    numbers = dict(zip(order, (int(a), int(b), int(c)), strict=True))
    year = numbers["y"] + (2000 if numbers["y"] < 100 else 0)
    hours = int(hour or 0)
    if half:
        hours = hours % 12 + (12 if half.lower().startswith("p") else 0)
    try:
        parsed = datetime(year, numbers["m"], numbers["d"], hours, int(minute or 0), int(second or 0))
    except ValueError as exc:
        raise CellError(f"'{value[:40]}' is not a date ({exc}; {_expected(settings)})") from None
    if zone and zone not in ("UTC", "GMT", "Z"):
        return datetime.fromisoformat(parsed.isoformat() + zone[:3] + ":" + zone[-2:])
    return parsed.replace(tzinfo=UTC) if zone else parsed


def _expected(settings: ReadSettings) -> str:
    if settings.date_format == "auto":
        return "expected ISO 8601 or day, month and year; set date_format if the order is not found"
    return f"expected {settings.date_format}"


NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")
CURRENCY = re.compile(r"^[^\d+-]*|[^\d]*$")


def parse_number(text: str, settings: ReadSettings) -> float:
    """A number written with the settings' separators; currency signs and codes around it go."""
    value = CURRENCY.sub("", text.strip()).replace("\u00a0", "").replace("\u202f", "")
    if settings.thousands_separator:
        value = value.replace(settings.thousands_separator, "")
    value = value.replace(" ", "")
    if settings.decimal_separator == ",":
        value = value.replace(",", ".")
    if not NUMBER.match(value):
        hint = f"decimal separator '{settings.decimal_separator}'"
        if settings.thousands_separator:
            hint += f", thousands '{settings.thousands_separator}'"
        raise CellError(f"'{text.strip()[:40]}' is not a number ({hint})")
    return float(value)


def parse_integer(text: str, settings: ReadSettings) -> int:
    """A whole number."""
    number = parse_number(text, settings)
    if not number.is_integer():
        raise CellError(f"'{text.strip()[:40]}' is not a whole number")
    return int(number)


TRUE = {"true", "yes", "y", "1", "x", "won", "closed won", "taip", "laimėta", "jā", "ja", "uzvarēts",
        "да", "истина", "выиграна", "بله", "آری", "درست", "برنده"}
FALSE = {"false", "no", "n", "0", "lost", "closed lost", "ne", "pralaimėta", "nē", "zaudēts", "нет",
         "ложь", "проиграна", "خیر", "نه", "نادرست", "بازنده"}


def parse_bool(text: str) -> bool:
    """Yes or no in any of the five languages (true/false, 1/0, taip/ne, jā/nē, да/нет, بله/خیر)."""
    value = text.strip().casefold()
    if value in TRUE:
        return True
    if value in FALSE:
        return False
    raise CellError(f"'{text.strip()[:40]}' is not yes or no")


def parse_list(text: str) -> list[str]:
    """Several values in one cell, separated by ``;``, ``|`` or ``,``."""
    separator = next((s for s in (";", "|", ",") if s in text), None)
    parts = text.split(separator) if separator else [text]
    return sorted({part.strip() for part in parts if part.strip()})


WON_STAGES = re.compile(r"\b(won|paid|completed?|delivered|fulfilled|shipped|closed won|laimėta|apmokėta|"
                        r"įvykdyta|uzvarēts|apmaksāts|izpildīts|выиграна|оплачен|выполнен|доставлен|"
                        r"برنده|پرداخت شده|تکمیل شده)\b", re.IGNORECASE)
LOST_STAGES = re.compile(r"\b(lost|cancel+ed|refunded|returned|rejected|closed lost|pralaimėta|atšaukta|"
                         r"zaudēts|atcelts|проиграна|отмен[её]н|возврат|بازنده|لغو شده|مرجوع)\b",
                         re.IGNORECASE)


def won_from_stage(stage: str | None) -> bool | None:
    """Whether a deal or order stage means won (``None``: still open or not telling)."""
    if not stage:
        return None
    if LOST_STAGES.search(stage):
        return False
    if WON_STAGES.search(stage):
        return True
    return None


@dataclass(frozen=True)
class Reader:
    """The settings and the per-file decisions (which date columns are day first)."""

    settings: ReadSettings
    dayfirst_columns: frozenset[int] = frozenset()
