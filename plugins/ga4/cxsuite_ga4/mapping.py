"""GA4 ``runReport`` rows → :class:`~cxsuite.connectors.records.WebMetric` records.

GA4 sends every value as a string and every row as two positional lists; the meaning of a
position is only in the response's ``dimensionHeaders`` and ``metricHeaders``. So rows are
zipped with the headers by name (never by an assumed position) and each metric is cast by the
type its header declares. A value that does not cast makes the row a :class:`RecordError`
with the reason, never a record with a silent zero.

The external id is the dimension tuple ``date|channel group|device|landing page`` exactly as
GA4 sends it (``20260114|Organic Search|mobile|/pricing``): the same day and combination read
again next sync (GA4 data is not final for ~48 h) upserts the same row.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from cxsuite.connectors.mapping import MappingError
from cxsuite.connectors.records import WebMetric

DATE, CHANNEL, DEVICE, LANDING_PAGE = "date", "sessionDefaultChannelGroup", "deviceCategory", "landingPage"
DIMENSIONS = (DATE, CHANNEL, DEVICE, LANDING_PAGE)
# GA4 metric → WebMetric field. ``keyEvents`` replaced the deprecated ``conversions`` in 2024.
METRICS = {"sessions": "sessions", "engagedSessions": "engaged_sessions", "keyEvents": "conversions",
           "totalRevenue": "revenue"}
# Every MetricType but TYPE_INTEGER is "a special floating point type" (v1beta MetricType).
INTEGER_TYPES = frozenset({"TYPE_INTEGER"})
NOT_SET = "(not set)"
MAX_ID_LENGTH = 255  # the record tables' external_id column


@dataclass(frozen=True)
class ReportShape:
    """What one runReport response says about all its rows: header names, metric types, and
    the property's currency and time zone (kept with each row for audit)."""

    property_id: str
    dimensions: tuple[str, ...]
    metric_types: tuple[tuple[str, str], ...]
    currency: str | None = None
    time_zone: str | None = None

    @classmethod
    def of(cls, property_id: str, body: dict[str, Any]) -> ReportShape:
        """Read the headers and metadata of a runReport response."""
        metadata = body.get("metadata") or {}
        return cls(property_id,
                   tuple(h["name"] for h in body.get("dimensionHeaders", [])),
                   tuple((h["name"], h.get("type", "METRIC_TYPE_UNSPECIFIED"))
                         for h in body.get("metricHeaders", [])),
                   metadata.get("currencyCode"), metadata.get("timeZone"))

    def dimension_values(self, row: dict[str, Any]) -> dict[str, str]:
        """The row's dimension values by header name."""
        values = [v.get("value", "") for v in row.get("dimensionValues", [])]
        return dict(zip(self.dimensions, values, strict=False))

    def row_id(self, row: dict[str, Any]) -> str:
        """The row's external id (what a rejected row is reported under)."""
        return external_id(self.dimension_values(row))

    def metric_values(self, row: dict[str, Any]) -> dict[str, str]:
        """The row's metric values (still strings) by header name."""
        values = [v.get("value", "") for v in row.get("metricValues", [])]
        return dict(zip((name for name, _ in self.metric_types), values, strict=False))


def external_id(dimensions: dict[str, str]) -> str:
    """``date|channel|device|landing page``; a landing page too long for the id column is
    replaced by its digest so the id stays stable and unique."""
    parts = [dimensions.get(name, "") for name in DIMENSIONS]
    text = "|".join(parts)
    if len(text) <= MAX_ID_LENGTH:
        return text
    digest = hashlib.sha256(parts[-1].encode()).hexdigest()[:32]
    return "|".join([*parts[:-1], f"sha256:{digest}"])


def cast(value: str, metric_type: str, name: str) -> int | float:
    """A metric string as the number its header type says."""
    try:
        return int(value) if metric_type in INTEGER_TYPES else float(value)
    except ValueError:
        raise MappingError(f"metric {name} ({metric_type}) is not a number: {value[:40]!r}") from None


def parse_day(value: str) -> date:
    """GA4's ``date`` dimension, ``YYYYMMDD``."""
    try:
        return datetime.strptime(value, "%Y%m%d").date()
    except ValueError:
        raise MappingError(f"dimension date is not YYYYMMDD: {value[:40]!r}") from None


def _optional(value: str | None) -> str | None:
    """GA4 reports missing values as ``(not set)``; the record says ``None``."""
    return None if value in (None, "", NOT_SET) else value


def web_metric(shape: ReportShape, row: dict[str, Any]) -> WebMetric:
    """One row as a record; ``raw`` keeps GA4's strings and the property's currency and time zone."""
    dims, mets = shape.dimension_values(row), shape.metric_values(row)
    if DATE not in dims:
        raise MappingError("the row has no date dimension")
    types = dict(shape.metric_types)
    numbers = {METRICS[name]: cast(mets[name], types[name], name) for name in METRICS if name in mets}
    # Flat, under GA4's own names, so scoring can read any dimension a report adds (``raw.newVsReturning``).
    raw = {**dims, **mets, "propertyId": shape.property_id, "currencyCode": shape.currency,
           "timeZone": shape.time_zone}
    return WebMetric(external_id=external_id(dims), raw=raw, date=parse_day(dims[DATE]),
                     channel_group=_optional(dims.get(CHANNEL)), device=_optional(dims.get(DEVICE)),
                     landing_page=_optional(dims.get(LANDING_PAGE)),
                     sessions=int(numbers.get("sessions", 0)),
                     engaged_sessions=int(numbers.get("engaged_sessions", 0)),
                     conversions=float(numbers.get("conversions", 0.0)),
                     revenue=float(numbers.get("revenue", 0.0)))
