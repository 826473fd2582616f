"""What a score run is given: the journey, metric values and questionnaire answers.

These are plain values, not database rows: the SQL metrics engine and the questionnaire
service produce them, and the scoring engine never queries anything. That is what keeps
scoring pure, fast to test and reproducible from a stored run.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

import msgspec

from cxsuite.scoring.schema import ScoringModel

MetricStatus = Literal["measured", "insufficient", "flagged"]


class _Input(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """Base: immutable, unknown fields refused (inputs arrive as JSON from jobs and the API)."""


class StageSpec(_Input, kw_only=True):
    """One stage of the project's journey with the consultant's overrides.

    ``applicability`` overrides the model's weight (2 primary, 1 normal, 0 not scored) per
    dimension; ``targets`` overrides the target level. A stage the model does not know (a
    consultant's own) starts at weight 1 everywhere and the model's default target.
    """

    key: str
    name: str | None = None
    applicability: dict[str, int] = {}
    targets: dict[str, int] = {}


class Journey(_Input, kw_only=True):
    """The project's stages, in journey order."""

    stages: tuple[StageSpec, ...]

    @classmethod
    def default(cls, model: ScoringModel) -> Journey:
        """The model's default stages with no overrides: what a new project starts from."""
        return cls(stages=tuple(StageSpec(key=stage.key, name=stage.name) for stage in model.stages))


class MetricValue(_Input, kw_only=True):
    """One computed metric, with what the confidence and the evidence trail need.

    ``stage`` is ``None`` when the value holds for the whole journey (an unstaged ticket
    metric); a value for a named stage wins over the journey-wide one in that stage's cells.
    ``evidence`` holds references to the records behind the value (query descriptors, ids).
    ``value`` is ``None`` when the metric could not be computed (no records): it is then no
    evidence at all, never a zero.

    ``status`` makes that state explicit (``docs/scoring.md``, "Insufficient evidence and
    data-quality flags"): ``measured`` (a figure the cells may use), ``insufficient`` (no
    figure: the records or the fields it needs are missing, ``reason`` says which) or
    ``flagged`` (a figure a data-quality check doubts: shown with its caveat, excluded from
    scoring). ``notes`` are the data-quality notes about this value, records named.
    """

    key: str
    value: float | None
    unit: str
    n: int | None = None
    coverage_days: float | None = None
    stage: str | None = None
    channel: str | None = None
    evidence: tuple[str, ...] = ()
    margin_of_error: float | None = None
    status: MetricStatus = "measured"
    reason: str | None = None
    notes: tuple[str, ...] = ()

    @property
    def scorable(self) -> bool:
        """Whether the value may be evidence for a cell or an outcome band."""
        return self.value is not None and self.status == "measured"


class Answer(_Input, kw_only=True):
    """A questionnaire answer for one stage: 1–5 (the level anchors) or ``None`` for "don't know"."""

    item_id: str
    stage: str
    answer: int | None
    answered_by: str
    answered_at: datetime
