"""Scoring tables. DDL lives in ``migrations/m0005_scoring.py``; these classes only query them.

JSON payloads are TEXT holding canonical JSON (see the migration): a stored result must give
back the exact bytes the engine produced.
"""

from piccolo.columns import UUID, Date, DoublePrecision, Integer, Text, Timestamptz, Varchar
from piccolo.table import Table


class ScoringModelRow(Table, tablename="scoring_model"):
    """A tenant's derived scoring model: the overrides and the full model they produce."""

    id = UUID(primary_key=True)
    tenant_id = UUID()
    name = Varchar(length=200)
    version = Varchar(length=100)
    model_hash = Varchar(length=64)
    base_version = Varchar(length=100)
    overrides = Text()
    model = Text()
    created_by = UUID(null=True, default=None)
    created_at = Timestamptz()


class JourneyVersion(Table, tablename="journey_version"):
    """One immutable version of a project's journey (stages, touchpoints, targets, model)."""

    id = UUID(primary_key=True)
    tenant_id = UUID()
    project_id = UUID()
    version = Integer()
    model_id = UUID(null=True, default=None)
    stages = Text()
    created_by = UUID(null=True, default=None)
    created_at = Timestamptz()


class QuestionnaireAnswer(Table, tablename="questionnaire_answer"):
    """The current answer to one item at one stage of a project, with who gave it and when."""

    id = UUID(primary_key=True)
    tenant_id = UUID()
    project_id = UUID()
    item_id = Varchar(length=100)
    stage = Varchar(length=60)
    answer = Integer(null=True, default=None)
    answered_by = UUID()
    answered_at = Timestamptz()


class ScoreRunRow(Table, tablename="score_run"):
    """One score run: what it scored (journey and model versions, inputs) and what it found."""

    id = UUID(primary_key=True)
    tenant_id = UUID()
    project_id = UUID()
    workspace_id = UUID()
    journey_version_id = UUID(null=True, default=None)
    journey_version = Integer(null=True, default=None)
    model_id = UUID(null=True, default=None)
    model_version = Varchar(length=100, default="")
    model_hash = Varchar(length=64, default="")
    status = Varchar(length=20, default="queued")
    job_id = UUID(null=True, default=None)
    period_start = Date(null=True, default=None)
    period_end = Date(null=True, default=None)
    as_of = Timestamptz()
    inputs = Text(null=True, default=None)
    result = Text(null=True, default=None)
    opportunities = Text(null=True, default=None)
    overall_score = DoublePrecision(null=True, default=None)
    overall_level = Integer(null=True, default=None)
    error = Text(default="")
    created_by = UUID(null=True, default=None)
    created_at = Timestamptz()
    finished_at = Timestamptz(null=True, default=None)



class ProjectInput(Table, tablename="project_input"):
    """One consultant document of a project (``kind``: value, narrative or journey_mapping).

    DDL in ``migrations/m0017_priorities.py``; the payload is canonical JSON text.
    """

    tenant_id = UUID(primary_key=True)
    project_id = UUID()
    kind = Varchar(length=40)
    payload = Text()
    updated_by = UUID(null=True, default=None)
    updated_at = Timestamptz()
