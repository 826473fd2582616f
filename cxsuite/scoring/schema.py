"""The shape of a scoring model file, as frozen msgspec Structs.

The model is data (``model/v1.yaml``) so consultants can read it, tenants can derive their own,
and every score run can store exactly which thresholds and weights produced it. Structs reject
unknown fields, so a misspelt key in the file is an error and not a silently ignored setting.
"""

from __future__ import annotations

from typing import Literal

import msgspec

AllStages = Literal["all"]
EvidenceClass = Literal["questionnaire", "o_data", "x_data"]
Horizon = Literal["0-3", "3-6", "6-12"]


class _Frozen(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """Base: immutable, hashable, unknown keys refused (subclasses add ``kw_only=True``)."""


class Dimension(_Frozen, kw_only=True):
    """A CX capability scored on every stage (D1 … D7)."""

    key: str
    name: str
    description: str


class Level(_Frozen, kw_only=True):
    """A maturity level with its behavioural anchor and the crosswalk consultants speak in."""

    level: int
    name: str
    anchor: str
    xm_institute: str
    gartner: int
    forrester_practice: str
    forrester_phase: str


class LevelBand(_Frozen, kw_only=True):
    """Scores at or above ``min_score`` (rounded to 2 decimals) reach ``level``."""

    level: int
    min_score: float


class Stage(_Frozen, kw_only=True):
    """A default journey stage with its applicability weight per dimension (2, 1 or 0)."""

    key: str
    name: str
    weights: dict[str, int]
    targets: dict[str, int] = {}


class ClassWeights(_Frozen, kw_only=True):
    """How much each evidence class counts in a cell, before re-normalising over those present."""

    questionnaire: float
    o_data: float
    x_data: float

    def of(self, evidence_class: str) -> float:
        """The weight of one class, by name."""
        return float(getattr(self, evidence_class))


class ConfidenceRules(_Frozen, kw_only=True):
    """Sample adequacy floors and the confidence under which a cell is not scored."""

    x_min_n: int
    o_min_days: int
    insufficient_below: float


class MetricDefinition(_Frozen, kw_only=True):
    """What a metric key means, so the SQL metrics engine and this model agree on it.

    ``outcome`` metrics are also shown in the experience-outcome layer beside maturity.
    """

    key: str
    unit: str
    evidence_class: Literal["o_data", "x_data"]
    adequacy: Literal["coverage_days", "sample_size", "none"]
    records: str
    formula: str
    outcome: bool = False


class Band(_Frozen, kw_only=True):
    """One band of a threshold table: meeting ``bound`` (≥ or ≤ by direction) gives ``level``."""

    level: int
    bound: float


class ThresholdTable(_Frozen, kw_only=True):
    """Maps a metric value to a level; says which cells it is evidence for and where it came from.

    ``bands`` run from the best level down; a value meeting none of them is level 1. A table with
    no ``dimensions`` only bands an experience outcome (its metric is ``outcome: true``).
    """

    metric: str
    direction: Literal["higher_is_better", "lower_is_better"]
    bands: tuple[Band, ...]
    dimensions: tuple[str, ...] = ()
    stages: AllStages | tuple[str, ...] = "all"
    benchmark: str | None = None
    source: str | None = None
    default: bool = False
    note: str | None = None


class QuestionnaireItem(_Frozen, kw_only=True):
    """An assessment question with five anchored answers; answer k means level k."""

    id: str
    dimension: str
    stages: AllStages | tuple[str, ...] = "all"
    wording: str
    answers: tuple[str, ...]
    dont_know_allowed: bool = True


class ExpectedKpi(_Frozen, kw_only=True):
    """The KPI movement a recommendation is expected to bring, and the source that says so.

    ``source: default`` marks a cxsuite assumption; its ``movement`` must then read as one.
    """

    kpi: str
    movement: str
    source: str


class Recommendation(_Frozen, kw_only=True):
    """A library action that closes a gap in one dimension at the stages and levels it fits."""

    id: str
    dimension: str
    stages: AllStages | tuple[str, ...] = "all"
    levels: tuple[int, ...] = (1, 2, 3, 4)
    title: str
    description: str
    effort: int
    horizon: Horizon
    owner_role: str
    needs_integrated_data: bool
    expected_kpi: ExpectedKpi


class Benchmark(_Frozen, kw_only=True):
    """A published figure a report may cite, always with its population, year and caveat."""

    id: str
    metric: str
    value: float
    value_high: float | None = None
    unit: str
    population: str
    year: str
    source: str
    caveat: str


class OpportunityRules(_Frozen, kw_only=True):
    """Cut-offs for opportunity scoring (NN/g quadrants, contact-share boost)."""

    value_cut: float
    effort_cut: int
    contact_share_boost: float


class ScoringModel(_Frozen, kw_only=True):
    """A complete, versioned scoring model: everything a score run needs besides the client's data."""

    version: str
    name: str
    derived_from: str | None = None
    dimensions: tuple[Dimension, ...]
    levels: tuple[Level, ...]
    level_bands: tuple[LevelBand, ...]
    stages: tuple[Stage, ...]
    class_weights: ClassWeights
    questionnaire_only_cap: float
    contested_gap: int
    default_target_level: int
    confidence: ConfidenceRules
    opportunity_rules: OpportunityRules
    metrics: tuple[MetricDefinition, ...]
    thresholds: tuple[ThresholdTable, ...]
    questionnaire: tuple[QuestionnaireItem, ...]
    recommendations: tuple[Recommendation, ...]
    benchmarks: tuple[Benchmark, ...]


def applies_to(stages: AllStages | tuple[str, ...], stage: str) -> bool:
    """Whether a stage list (or ``"all"``) covers ``stage``."""
    return stages == "all" or stage in stages
