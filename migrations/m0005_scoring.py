"""Scoring: tenant models, versioned journeys, questionnaire answers, score runs.

Journeys are immutable snapshots (one row per version), so a score run can point at exactly
the journey it scored. Result, inputs and opportunities are stored as TEXT holding canonical
JSON bytes, not JSONB: JSONB normalises key order and numbers, and a stored run must give back
the very bytes the engine produced. Two indexes on the record tables serve the scoring joins
that look for a customer's next contact (first-contact resolution, inner loop, channel
switching, speed to lead).
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from cxsuite.db.migrate import raw_step

ID = "2026-11-22T18:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Scoring models, journey versions, questionnaire answers, score runs"

PROJECT_FK = "FOREIGN KEY (tenant_id, project_id) REFERENCES project (tenant_id, id) ON DELETE CASCADE"

FORWARDS = [
    """CREATE TABLE scoring_model (
        tenant_id UUID NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
        id UUID NOT NULL,
        name VARCHAR(200) NOT NULL,
        version VARCHAR(100) NOT NULL,
        model_hash VARCHAR(64) NOT NULL,
        base_version VARCHAR(100) NOT NULL,
        overrides TEXT NOT NULL,
        model TEXT NOT NULL,
        created_by UUID,
        created_at TIMESTAMPTZ NOT NULL,
        PRIMARY KEY (tenant_id, id),
        UNIQUE (tenant_id, version))""",
    f"""CREATE TABLE journey_version (
        tenant_id UUID NOT NULL,
        id UUID NOT NULL,
        project_id UUID NOT NULL,
        version INTEGER NOT NULL CHECK (version >= 1),
        model_id UUID,
        stages TEXT NOT NULL,
        created_by UUID,
        created_at TIMESTAMPTZ NOT NULL,
        PRIMARY KEY (tenant_id, id),
        UNIQUE (tenant_id, project_id, version),
        {PROJECT_FK},
        FOREIGN KEY (tenant_id, model_id) REFERENCES scoring_model (tenant_id, id))""",
    f"""CREATE TABLE questionnaire_answer (
        tenant_id UUID NOT NULL,
        id UUID NOT NULL,
        project_id UUID NOT NULL,
        item_id VARCHAR(100) NOT NULL,
        stage VARCHAR(60) NOT NULL,
        answer INTEGER CHECK (answer IS NULL OR answer BETWEEN 1 AND 5),
        answered_by UUID NOT NULL,
        answered_at TIMESTAMPTZ NOT NULL,
        PRIMARY KEY (tenant_id, id),
        UNIQUE (tenant_id, project_id, item_id, stage),
        {PROJECT_FK})""",
    f"""CREATE TABLE score_run (
        tenant_id UUID NOT NULL,
        id UUID NOT NULL,
        project_id UUID NOT NULL,
        workspace_id UUID NOT NULL,
        journey_version_id UUID,
        journey_version INTEGER,
        model_id UUID,
        model_version VARCHAR(100) NOT NULL DEFAULT '',
        model_hash VARCHAR(64) NOT NULL DEFAULT '',
        status VARCHAR(20) NOT NULL DEFAULT 'queued'
            CHECK (status IN ('queued', 'running', 'succeeded', 'failed')),
        job_id UUID,
        period_start DATE,
        period_end DATE,
        as_of TIMESTAMPTZ NOT NULL,
        inputs TEXT,
        result TEXT,
        opportunities TEXT,
        overall_score DOUBLE PRECISION,
        overall_level INTEGER,
        error TEXT NOT NULL DEFAULT '',
        created_by UUID,
        created_at TIMESTAMPTZ NOT NULL,
        finished_at TIMESTAMPTZ,
        PRIMARY KEY (tenant_id, id),
        {PROJECT_FK},
        FOREIGN KEY (tenant_id, journey_version_id) REFERENCES journey_version (tenant_id, id),
        FOREIGN KEY (tenant_id, model_id) REFERENCES scoring_model (tenant_id, id))""",
    "CREATE INDEX score_run_project ON score_run (tenant_id, project_id, created_at)",
    """CREATE INDEX record_ticket_customer ON record_ticket
        (tenant_id, workspace_id, connection_id, customer_external_id, created_at)""",
    """CREATE INDEX record_interaction_customer ON record_interaction
        (tenant_id, workspace_id, connection_id, customer_external_id, occurred_at)""",
]

TENANT_TABLES = {name: False for name in (
    "scoring_model", "journey_version", "questionnaire_answer", "score_run")}

BACKWARDS = [
    "DROP INDEX IF EXISTS record_interaction_customer",
    "DROP INDEX IF EXISTS record_ticket_customer",
    *(f"DROP TABLE IF EXISTS {t}" for t in (
        "score_run", "questionnaire_answer", "journey_version", "scoring_model")),
]


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="cxsuite", description=DESCRIPTION)
    manager.add_raw(raw_step(FORWARDS, rls=TENANT_TABLES))
    manager.add_raw_backwards(raw_step(BACKWARDS))
    return manager
