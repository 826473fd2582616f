"""What a score run produces, as frozen msgspec Structs that encode to stable JSON.

A score run is stored and a report may be re-rendered from it years later, so the result
carries every number with the evidence that made it: which metric or answer, its value, the
band it met, the threshold's source (or that it is a cxsuite default) and the benchmark.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

import msgspec

from cxsuite.scoring.schema import Benchmark

CellStatus = Literal["scored", "insufficient_evidence", "not_applicable"]
EvidenceKind = Literal["questionnaire", "o_data", "x_data"]


class _Result(msgspec.Struct, frozen=True):
    """Base: immutable result parts."""


class EvidenceItem(_Result, kw_only=True):
    """One piece of evidence in a cell: a metric value or a questionnaire answer, and its level.

    ``weight`` is its share of the cell score (0 for "don't know"); ``adequacy`` its sample
    adequacy (X: n / 30, O: coverage days / 90, capped at 1). ``threshold`` describes the band it
    met, e.g. ``"<= 4 hours -> 4"``.
    """

    kind: EvidenceKind
    ref: str
    stage: str | None
    channel: str | None = None
    value: float | None
    unit: str | None = None
    n: int | None = None
    coverage_days: float | None = None
    level: int | None
    threshold: str | None = None
    source: str | None = None
    default: bool = False
    note: str | None = None
    benchmark: Benchmark | None = None
    adequacy: float
    weight: float
    records: tuple[str, ...] = ()
    answered_by: str | None = None
    answered_at: datetime | None = None


class Cell(_Result, kw_only=True):
    """One stage × dimension cell: score, level, confidence and the evidence behind them.

    ``questionnaire_level`` and ``data_level`` (from O- and X-data) are both kept so a
    ``contested`` cell can show both sides; ``capped`` says the questionnaire-only cap applied.
    """

    stage: str
    dimension: str
    applicability: int
    target: int
    status: CellStatus
    score: float | None
    level: int | None
    confidence: float
    contested: bool
    capped: bool
    questionnaire_level: int | None
    data_level: int | None
    evidence: tuple[EvidenceItem, ...]


class DimensionScore(_Result, kw_only=True):
    """A dimension over the journey: applicability-weighted mean of its scored cells."""

    key: str
    name: str
    score: float | None
    level: int | None
    scored_cells: int
    insufficient_cells: int


class Overall(_Result, kw_only=True):
    """Mean of the scored dimensions, with the weakest dimension beside it."""

    score: float | None
    level: int | None
    weakest_dimension: str | None
    weakest_score: float | None


class Outcome(_Result, kw_only=True):
    """An experience outcome (NPS, CSAT, CES, conversion, churn …) banded against its benchmark."""

    stage: str | None
    metric: str
    channel: str | None
    value: float
    unit: str
    n: int | None
    margin_of_error: float | None
    level: int | None
    threshold: str | None
    source: str | None
    default: bool
    note: str | None
    benchmark: Benchmark | None
    records: tuple[str, ...]
    status: str = "measured"
    notes: tuple[str, ...] = ()


class MetricState(_Result, kw_only=True):
    """A metric the cells could not use: ``insufficient`` (no figure; ``reason`` says what is
    missing) or ``flagged`` (a figure a data-quality check doubts; ``notes`` name the records)."""

    key: str
    stage: str | None
    channel: str | None
    status: str
    value: float | None
    unit: str
    n: int | None
    reason: str | None
    notes: tuple[str, ...]


class ScoreResult(_Result, kw_only=True):
    """The whole score run: cells, dimensions, overall, outcomes, and the model that made them."""

    model_version: str
    model_hash: str
    stages: tuple[str, ...]
    cells: tuple[Cell, ...]
    dimensions: tuple[DimensionScore, ...]
    overall: Overall
    outcomes: tuple[Outcome, ...]
    unscored_metrics: tuple[str, ...]
    metric_states: tuple[MetricState, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data, for storing the run."""
        return msgspec.to_builtins(self, order="deterministic")

    def encode(self) -> bytes:
        """Canonical JSON bytes: equal results give equal bytes."""
        return msgspec.json.encode(self, order="deterministic")

    def cell(self, stage: str, dimension: str) -> Cell:
        """The cell at ``stage`` × ``dimension``."""
        for cell in self.cells:
            if cell.stage == stage and cell.dimension == dimension:
                return cell
        raise KeyError((stage, dimension))
