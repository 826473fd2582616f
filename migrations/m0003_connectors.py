"""Connector platform: connections, OAuth state, sync checkpoints and issues, canonical records.

Canonical record tables are keyed by (tenant, workspace, connection, external id): a re-sync
upserts the same rows, and two connections to the same vendor never collide. The DDL is
written out here, not generated from the record Structs, so that this migration stays what
it was when later code changes.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from cxsuite.db.migrate import raw_step

ID = "2026-11-22T15:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Connections, OAuth state, checkpoints, sync issues and canonical record tables"

RECORD_KEY = "tenant_id, workspace_id, connection_id, external_id"
COMMON = """
        tenant_id UUID NOT NULL,
        workspace_id UUID NOT NULL,
        connection_id UUID NOT NULL,
        external_id VARCHAR(255) NOT NULL,
        source VARCHAR(60) NOT NULL,
        updated_at TIMESTAMPTZ,
        archived BOOLEAN NOT NULL DEFAULT FALSE,
        content_hash VARCHAR(32) NOT NULL,
        synced_at TIMESTAMPTZ NOT NULL,
        raw {json} NOT NULL DEFAULT '{}',"""
RECORD_TAIL = f"""
        PRIMARY KEY ({RECORD_KEY}),
        FOREIGN KEY (tenant_id, connection_id) REFERENCES connection (tenant_id, id) ON DELETE CASCADE)"""

RECORD_COLUMNS = {
    "customer": """
        email VARCHAR(320), phone VARCHAR(64), name VARCHAR(300), company_external_id VARCHAR(255),
        lifecycle_stage VARCHAR(100), segment VARCHAR(100), created_at TIMESTAMPTZ,""",
    "company": """
        name VARCHAR(300), domain VARCHAR(255), industry VARCHAR(100), created_at TIMESTAMPTZ,""",
    "deal": """
        name VARCHAR(300), pipeline VARCHAR(100), stage VARCHAR(100), amount DOUBLE PRECISION,
        currency VARCHAR(8), created_at TIMESTAMPTZ, closed_at TIMESTAMPTZ, won BOOLEAN,
        customer_external_id VARCHAR(255), company_external_id VARCHAR(255),
        stage_history {json} NOT NULL DEFAULT '[]',""",
    "ticket": """
        subject VARCHAR(500), channel VARCHAR(40), status VARCHAR(60), priority VARCHAR(40),
        created_at TIMESTAMPTZ, first_response_at TIMESTAMPTZ, resolved_at TIMESTAMPTZ,
        reopened BOOLEAN NOT NULL DEFAULT FALSE, satisfaction DOUBLE PRECISION,
        satisfaction_scale INTEGER, customer_external_id VARCHAR(255),""",
    "interaction": """
        type VARCHAR(40) NOT NULL, channel VARCHAR(40), journey_stage VARCHAR(40),
        direction VARCHAR(20), automated BOOLEAN NOT NULL DEFAULT FALSE, occurred_at TIMESTAMPTZ,
        customer_external_id VARCHAR(255),""",
    "feedback": """
        metric VARCHAR(10) NOT NULL, score DOUBLE PRECISION NOT NULL, scale_min INTEGER NOT NULL,
        scale_max INTEGER NOT NULL, question TEXT, comment TEXT, touchpoint VARCHAR(100),
        channel VARCHAR(40), journey_stage VARCHAR(40), submitted_at TIMESTAMPTZ,
        customer_external_id VARCHAR(255), ticket_external_id VARCHAR(255),""",
    "web_metric": """
        date DATE NOT NULL, channel_group VARCHAR(100), device VARCHAR(40), landing_page VARCHAR(1000),
        sessions INTEGER NOT NULL DEFAULT 0, engaged_sessions INTEGER NOT NULL DEFAULT 0,
        conversions DOUBLE PRECISION NOT NULL DEFAULT 0, revenue DOUBLE PRECISION NOT NULL DEFAULT 0,""",
}

# Indexes the scoring aggregations scan by: time within a workspace.
RECORD_TIME_COLUMN = {"customer": "created_at", "company": "created_at", "deal": "created_at",
                      "ticket": "created_at", "interaction": "occurred_at",
                      "feedback": "submitted_at", "web_metric": "date"}

FORWARDS = [
    """CREATE TABLE connection (
        tenant_id UUID NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
        id UUID NOT NULL,
        workspace_id UUID NOT NULL,
        connector VARCHAR(60) NOT NULL,
        name VARCHAR(200) NOT NULL,
        auth_kind VARCHAR(20) NOT NULL CHECK (auth_kind IN ('oauth2', 'api_key', 'file_upload')),
        config {json} NOT NULL DEFAULT '{}',
        credentials TEXT NOT NULL DEFAULT '',
        status VARCHAR(20) NOT NULL DEFAULT 'pending'
            CHECK (status IN ('pending', 'connected', 'error', 'revoked')),
        status_detail TEXT NOT NULL DEFAULT '',
        schedule VARCHAR(40) NOT NULL DEFAULT '',
        created_by UUID,
        created_at TIMESTAMPTZ NOT NULL,
        updated_at TIMESTAMPTZ NOT NULL,
        last_sync_at TIMESTAMPTZ,
        PRIMARY KEY (tenant_id, id),
        FOREIGN KEY (tenant_id, workspace_id) REFERENCES workspace (tenant_id, id) ON DELETE CASCADE)""",
    "CREATE INDEX connection_workspace ON connection (tenant_id, workspace_id)",
    """CREATE TABLE oauth_state (
        tenant_id UUID NOT NULL,
        nonce VARCHAR(64) NOT NULL,
        connection_id UUID NOT NULL,
        user_id UUID NOT NULL,
        pkce_verifier TEXT NOT NULL DEFAULT '',
        expires_at TIMESTAMPTZ NOT NULL,
        used_at TIMESTAMPTZ,
        PRIMARY KEY (tenant_id, nonce),
        FOREIGN KEY (tenant_id, connection_id) REFERENCES connection (tenant_id, id) ON DELETE CASCADE)""",
    """CREATE TABLE sync_checkpoint (
        tenant_id UUID NOT NULL,
        connection_id UUID NOT NULL,
        stream VARCHAR(60) NOT NULL,
        checkpoint {json} NOT NULL,
        complete BOOLEAN NOT NULL DEFAULT FALSE,
        updated_at TIMESTAMPTZ NOT NULL,
        PRIMARY KEY (tenant_id, connection_id, stream),
        FOREIGN KEY (tenant_id, connection_id) REFERENCES connection (tenant_id, id) ON DELETE CASCADE)""",
    """CREATE TABLE sync_issue (
        tenant_id UUID NOT NULL,
        id UUID NOT NULL,
        connection_id UUID NOT NULL,
        job_id UUID,
        stream VARCHAR(60) NOT NULL,
        external_id VARCHAR(255) NOT NULL DEFAULT '',
        reason TEXT NOT NULL,
        excerpt TEXT NOT NULL DEFAULT '',
        occurred_at TIMESTAMPTZ NOT NULL,
        PRIMARY KEY (tenant_id, id),
        FOREIGN KEY (tenant_id, connection_id) REFERENCES connection (tenant_id, id) ON DELETE CASCADE)""",
    "CREATE INDEX sync_issue_connection ON sync_issue (tenant_id, connection_id, occurred_at)",
] + [
    f"CREATE TABLE {'record_' + kind} ({COMMON}{columns}{RECORD_TAIL}"
    for kind, columns in RECORD_COLUMNS.items()
] + [
    f"CREATE INDEX record_{kind}_time ON record_{kind} (tenant_id, workspace_id, {column})"
    for kind, column in RECORD_TIME_COLUMN.items()
]

TENANT_TABLES = {name: False for name in (
    "connection", "oauth_state", "sync_checkpoint", "sync_issue",
    *(f"record_{kind}" for kind in RECORD_COLUMNS))}

BACKWARDS = [f"DROP TABLE IF EXISTS {t}" for t in (
    *(f"record_{kind}" for kind in RECORD_COLUMNS), "sync_issue", "sync_checkpoint", "oauth_state",
    "connection")]


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="cxsuite", description=DESCRIPTION)
    manager.add_raw(raw_step(FORWARDS, rls=TENANT_TABLES))
    manager.add_raw_backwards(raw_step(BACKWARDS))
    return manager
