"""Request and response types of the scoring endpoints (unknown fields are refused).

A journey stage is stored exactly as the API writes it (:class:`JourneyStage`), so a journey
version read back years later has the shape it was written in.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any
from uuid import UUID

import msgspec

from cxsuite.scoring.model import ModelOverrides

StageKey = Annotated[str, msgspec.Meta(pattern="^[a-z][a-z0-9_]{0,39}$", description=(
    "Lower-case letters, digits and underscores, starting with a letter; records name their "
    "journey stage with it"))]
Label = Annotated[str, msgspec.Meta(min_length=1, max_length=200, pattern="^[^<>\\x00-\\x1f]+$")]
Channel = Annotated[str, msgspec.Meta(min_length=1, max_length=40, pattern="^[a-z][a-z0-9_]*$")]
ItemId = Annotated[str, msgspec.Meta(min_length=1, max_length=100)]


class _In(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """Base of request bodies: unknown fields refused."""


class Touchpoint(_In):
    """A place where the customer meets the company at a stage, on one channel."""

    name: Label
    channel: Channel


class JourneyStage(_In):
    """One stage: its key and name, applicability and target overrides, touchpoints.

    ``applicability`` maps a dimension to 2 (primary), 1 (normal) or 0 (not scored);
    ``targets`` maps a dimension to a target level 1–5. Dimensions left out keep the model's.
    """

    key: StageKey
    name: Label
    applicability: dict[str, int] = {}
    targets: dict[str, int] = {}
    touchpoints: list[Touchpoint] = []


class JourneyIn(_In):
    """A new version of the journey, written over ``version`` (the version the editor read)."""

    version: Annotated[int, msgspec.Meta(ge=0)]
    stages: Annotated[list[JourneyStage], msgspec.Meta(min_length=1, max_length=30)]
    model_id: UUID | None = None


class JourneyOut(msgspec.Struct, kw_only=True):
    """One version of a project's journey and the scoring model it uses."""

    project_id: UUID
    version: int
    model_id: UUID | None
    model_version: str
    stages: list[JourneyStage]
    created_by: UUID | None
    created_at: datetime


class AnswerIn(_In):
    """An answer 1–5 (the level anchors) or ``null`` for "don't know"."""

    item_id: ItemId
    stage: Annotated[str, msgspec.Meta(min_length=1, max_length=60)]
    answer: Annotated[int, msgspec.Meta(ge=1, le=5)] | None


class AnswersIn(_In):
    """A batch of answers, written together or not at all."""

    answers: Annotated[list[AnswerIn], msgspec.Meta(min_length=1, max_length=500)]


class CurrentAnswer(msgspec.Struct, kw_only=True):
    """The answer given at one stage, by whom and when."""

    stage: str
    answer: int | None
    answered_by: UUID
    answered_at: datetime


class QuestionOut(msgspec.Struct, kw_only=True):
    """A questionnaire item with its anchors, the journey stages it is asked for and the answers."""

    item_id: str
    dimension: str
    wording: str
    anchors: list[str]
    dont_know_allowed: bool
    stages: list[str]
    answers: list[CurrentAnswer]


class QuestionnaireOut(msgspec.Struct, kw_only=True):
    """The model's questionnaire for the project's current journey."""

    project_id: UUID
    journey_version: int
    model_version: str
    items: list[QuestionOut]


class ModelIn(_In):
    """A tenant model: a name and the overrides applied to the shipped model."""

    name: Label
    overrides: ModelOverrides


class ModelOut(msgspec.Struct, kw_only=True):
    """A tenant's derived model."""

    id: UUID
    name: str
    version: str
    model_hash: str
    base_version: str
    created_by: UUID | None
    created_at: datetime


class JobOut(msgspec.Struct, kw_only=True):
    """The job that runs (or ran) a score run."""

    id: UUID
    kind: str
    status: str


class ScoreRunSummary(msgspec.Struct, kw_only=True):
    """A score run in a list: what it scored and its headline."""

    id: UUID
    project_id: UUID
    status: str
    journey_version: int | None
    model_version: str
    model_hash: str
    period_start: date | None
    period_end: date | None
    overall_score: float | None
    overall_level: int | None
    error: str
    created_by: UUID | None
    created_at: datetime
    finished_at: datetime | None


class ScoreRunAccepted(msgspec.Struct, kw_only=True):
    """A started score run and the job behind it; follow ``run.id`` for the result."""

    run: ScoreRunSummary
    job: JobOut | None


class ScoreRunOut(msgspec.Struct, kw_only=True):
    """A score run with its grid (cells with evidence, dimensions, overall), opportunities and
    the inputs it scored."""

    run: ScoreRunSummary
    result: dict[str, Any] | None
    opportunities: list[dict[str, Any]]
    inputs: dict[str, Any] | None
    # Data-quality notes of the run (cxsuite.scoring.quality): check, metric, count, record ids, text.
    quality_notes: list[dict[str, Any]] = []


class DimensionDelta(msgspec.Struct, kw_only=True):
    """A dimension's score in both runs and the change (``None`` where either is unscored)."""

    key: str
    name: str
    before: float | None
    after: float | None
    delta: float | None


class CellChange(msgspec.Struct, kw_only=True):
    """A cell whose level differs between the runs (including scored ↔ not scored)."""

    stage: str
    dimension: str
    level_before: int | None
    level_after: int | None
    score_before: float | None
    score_after: float | None


class CompareOut(msgspec.Struct, kw_only=True):
    """The trend from ``baseline_run_id`` to ``run_id``: deltas are run − baseline."""

    run_id: UUID
    baseline_run_id: UUID
    overall_before: float | None
    overall_after: float | None
    overall_delta: float | None
    dimensions: list[DimensionDelta]
    changed_cells: list[CellChange]
