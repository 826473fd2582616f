"""GA4 ``runReport`` rows → :class:`~cxsuite.connectors.records.WebMetric` records.

GA4 sends every value as a string and every row as two positional lists; the meaning of a
position is only in the response's ``dimensionHeaders`` and ``metricHeaders``. So rows are
zipped with the headers by name (never by an assumed position: a response may order them
differently from the request, or leave a metric out) and each metric is cast by the type its
header declares. A value that does not cast, or a row with more or fewer values than headers,
makes the row a :class:`RecordError` with the reason, never a record with a silent zero. A
metric the response does not carry is ``None`` on the record (absent, not 0).

The external id is the dimension tuple ``date|channel group|device|landing page|new or
returning`` exactly as GA4 sends it (``20260114|Organic Search|mobile|/pricing|new``): the same
day and combination read again next sync (GA4 data is not final for ~48 h) upserts the same row.

What the response's ``metadata`` says about all of its rows becomes the record's
``quality_flags``: ``other_row`` (``dataLossFromOtherRow``: combinations rolled into an
"(other)" row, and the "(other)" row itself), ``sampled`` (``samplingMetadatas``) and
``thresholded`` (``subjectToThresholding``), so scoring can caveat figures built on them.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from cxsuite.connectors.mapping import MappingError
from cxsuite.connectors.records import WebMetric

DATE, CHANNEL, DEVICE, LANDING_PAGE = "date", "sessionDefaultChannelGroup", "deviceCategory", "landingPage"
NEW_VS_RETURNING = "newVsReturning"  # "new" (no earlier session) or "returning"
DIMENSIONS = (DATE, CHANNEL, DEVICE, LANDING_PAGE, NEW_VS_RETURNING)
# GA4 metric → WebMetric field. ``keyEvents`` replaced the deprecated ``conversions`` in 2024.
METRICS = {"sessions": "sessions", "engagedSessions": "engaged_sessions", "keyEvents": "conversions",
           "totalRevenue": "revenue"}
# Every MetricType but TYPE_INTEGER is "a special floating point type" (v1beta MetricType).
INTEGER_TYPES = frozenset({"TYPE_INTEGER"})
NOT_SET = "(not set)"
OTHER = "(other)"  # GA4's row for combinations beyond the property's cardinality limit
OTHER_ROW, SAMPLED, THRESHOLDED = "other_row", "sampled", "thresholded"
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
    flags: tuple[str, ...] = ()

    @classmethod
    def of(cls, property_id: str, body: dict[str, Any]) -> ReportShape:
        """Read the headers and metadata of a runReport response."""
        metadata = body.get("metadata") or {}
        return cls(property_id,
                   tuple(h["name"] for h in body.get("dimensionHeaders", [])),
                   tuple((h["name"], h.get("type", "METRIC_TYPE_UNSPECIFIED"))
                         for h in body.get("metricHeaders", [])),
                   metadata.get("currencyCode"), metadata.get("timeZone"), quality_flags(metadata))

    def dimension_values(self, row: dict[str, Any]) -> dict[str, str]:
        """The row's dimension values by header name."""
        values = [v.get("value", "") for v in row.get("dimensionValues", [])]
        if len(values) != len(self.dimensions):
            raise MappingError(f"the row has {len(values)} dimension values for "
                               f"{len(self.dimensions)} headers")
        return dict(zip(self.dimensions, values, strict=True))

    def row_id(self, row: dict[str, Any]) -> str:
        """The row's external id (what a rejected row is reported under)."""
        return external_id(self.dimension_values(row))

    def metric_values(self, row: dict[str, Any]) -> dict[str, str]:
        """The row's metric values (still strings) by header name."""
        values = [v.get("value", "") for v in row.get("metricValues", [])]
        if len(values) != len(self.metric_types):
            raise MappingError(f"the row has {len(values)} metric values for "
                               f"{len(self.metric_types)} headers")
        return dict(zip((name for name, _ in self.metric_types), values, strict=True))


def quality_flags(metadata: dict[str, Any]) -> tuple[str, ...]:
    """What a response's ``metadata`` says about the trust every row of it deserves."""
    flags = []
    if metadata.get("dataLossFromOtherRow"):
        flags.append(OTHER_ROW)
    if metadata.get("samplingMetadatas"):
        flags.append(SAMPLED)
    if metadata.get("subjectToThresholding"):
        flags.append(THRESHOLDED)
    return tuple(flags)


def external_id(dimensions: dict[str, str]) -> str:
    """``date|channel|device|landing page`` and, when the report has it, ``|new`` or
    ``|returning``; a landing page too long for the id column is replaced by its digest so the
    id stays stable and unique."""
    parts = [dimensions.get(name, "") for name in DIMENSIONS if name != NEW_VS_RETURNING]
    tail = [dimensions[NEW_VS_RETURNING]] if NEW_VS_RETURNING in dimensions else []
    text = "|".join(parts + tail)
    if len(text) <= MAX_ID_LENGTH:
        return text
    digest = hashlib.sha256(parts[-1].encode()).hexdigest()[:32]
    return "|".join([*parts[:-1], f"sha256:{digest}", *tail])


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
    flags = set(shape.flags)
    if OTHER in dims.values():
        flags.add(OTHER_ROW)
    # Flat, under GA4's own names, so scoring can read any dimension a report adds (``raw.newVsReturning``).
    raw = {**dims, **mets, "propertyId": shape.property_id, "currencyCode": shape.currency,
           "timeZone": shape.time_zone}
    return WebMetric(external_id=external_id(dims), raw=raw, date=parse_day(dims[DATE]),
                     channel_group=_optional(dims.get(CHANNEL)), device=_optional(dims.get(DEVICE)),
                     landing_page=_optional(dims.get(LANDING_PAGE)),
                     new_vs_returning=_optional(dims.get(NEW_VS_RETURNING)),
                     sessions=_whole(numbers.get("sessions")),
                     engaged_sessions=_whole(numbers.get("engaged_sessions")),
                     conversions=_real(numbers.get("conversions")), revenue=_real(numbers.get("revenue")),
                     quality_flags=sorted(flags))


def _whole(value: float | None) -> int | None:
    """A count, or ``None`` when the response did not carry the metric."""
    return None if value is None else int(value)


def _real(value: float | None) -> float | None:
    """An amount, or ``None`` when the response did not carry the metric."""
    return None if value is None else float(value)
