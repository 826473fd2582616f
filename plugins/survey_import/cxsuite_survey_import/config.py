"""What a client admin may declare about a survey file when detection is not enough.

Everything is optional: headers and values usually say which question was asked and on which
scale. Declaring ``metric`` and the scale removes the guesswork (a CSAT 1-7 survey in which
nobody answered 6 or 7 looks like 1-5), and ``columns`` names the columns of an export whose
headers cxsuite does not recognise.
"""

from __future__ import annotations

from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import msgspec

Metric = Literal["nps", "csat", "ces"]

SCALES: dict[str, tuple[tuple[int, int], ...]] = {
    "nps": ((0, 10),),
    "csat": ((1, 5), (1, 7)),
    "ces": ((1, 7), (1, 5)),
}
"""The scales each metric is asked on (SCORING.md): NPS 0-10; CSAT 1-5 or 1-7; CES v2 1-7
(agreement that it was easy) or v1 1-5 (effort, lower is better)."""


class ColumnMapping(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Header names that override detection, exactly as they appear in the file."""

    score: str | None = None
    respondent_id: str | None = None
    submitted_at: str | None = None
    comment: str | None = None
    email: str | None = None
    customer_id: str | None = None


class SurveyImportConfig(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A survey-import connection's configuration (published as JSON schema by the API)."""

    metric: Metric | None = None
    scale_min: int | None = None
    scale_max: int | None = None
    question: str | None = None
    columns: ColumnMapping = msgspec.field(default_factory=ColumnMapping)
    touchpoint: str | None = None
    channel: str | None = None
    journey_stage: str | None = None
    sheet: str | None = None
    day_first: bool | None = None
    timezone: str | None = None
    """IANA name (``Europe/Vilnius``) of the zone answer times without one are written in;
    unset, they are taken as UTC (what most tools export). A time with a zone keeps it."""

    def __post_init__(self) -> None:
        """Refuse a scale no survey metric uses, or an unknown time zone, when the connection
        is created, not mid-import."""
        if self.timezone is not None:
            try:
                ZoneInfo(self.timezone)
            except (ZoneInfoNotFoundError, ValueError):
                raise ValueError(f"timezone '{self.timezone[:60]}' is not an IANA time zone name "
                                 "(such as Europe/Vilnius or UTC)") from None
        if (self.scale_min is None) != (self.scale_max is None):
            raise ValueError("give both scale_min and scale_max, or neither")
        if self.scale_min is None:
            return
        if self.metric is None:
            raise ValueError("a declared scale needs its metric (nps, csat or ces)")
        allowed = SCALES[self.metric]
        if (self.scale_min, self.scale_max) not in allowed:
            choices = " or ".join(f"{low}-{high}" for low, high in allowed)
            raise ValueError(f"{self.metric} is asked on {choices}, not {self.scale_min}-{self.scale_max}")
