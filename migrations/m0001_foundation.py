"""Foundation: tenants, users, memberships, workspaces, projects, tokens, audit log, jobs.

Keys are tenant-first (``PRIMARY KEY (tenant_id, id)``, composite foreign keys) so that the
schema can be distributed by ``tenant_id`` and so that no unique or foreign-key check can leak
another tenant's rows past row-level security.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from cxsuite.db.migrate import raw_step

ID = "2026-11-22T14:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Foundation tables with tenant-first keys and row-level security"

FORWARDS = [
    """CREATE TABLE tenant (
        id UUID PRIMARY KEY,
        name VARCHAR(200) NOT NULL,
        created_at TIMESTAMPTZ NOT NULL)""",
    # Tenant ids only, readable without a tenant setting: what maintenance (key rotation, the
    # job sweep) iterates over before opening one tenant-scoped transaction per tenant.
    """CREATE TABLE tenant_directory (
        id UUID PRIMARY KEY REFERENCES tenant (id) ON DELETE CASCADE,
        created_at TIMESTAMPTZ NOT NULL)""",
    """CREATE TABLE app_user (
        id UUID PRIMARY KEY,
        email VARCHAR(320) NOT NULL UNIQUE,
        password_hash VARCHAR(255) NOT NULL DEFAULT '',
        display_name VARCHAR(200) NOT NULL DEFAULT '',
        created_at TIMESTAMPTZ NOT NULL)""",
    """CREATE TABLE tenant_membership (
        tenant_id UUID NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
        id UUID NOT NULL,
        user_id UUID NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
        role VARCHAR(20) NOT NULL CHECK (role IN ('owner', 'consultant')),
        created_at TIMESTAMPTZ NOT NULL,
        PRIMARY KEY (tenant_id, id),
        UNIQUE (tenant_id, user_id))""",
    "CREATE INDEX tenant_membership_user ON tenant_membership (user_id)",
    """CREATE TABLE workspace (
        tenant_id UUID NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
        id UUID NOT NULL,
        name VARCHAR(200) NOT NULL,
        description TEXT NOT NULL DEFAULT '',
        created_at TIMESTAMPTZ NOT NULL,
        updated_at TIMESTAMPTZ NOT NULL,
        PRIMARY KEY (tenant_id, id))""",
    """CREATE TABLE workspace_membership (
        tenant_id UUID NOT NULL,
        id UUID NOT NULL,
        workspace_id UUID NOT NULL,
        user_id UUID NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
        role VARCHAR(20) NOT NULL CHECK (role IN ('client_admin', 'client_viewer')),
        created_at TIMESTAMPTZ NOT NULL,
        PRIMARY KEY (tenant_id, id),
        UNIQUE (tenant_id, workspace_id, user_id),
        FOREIGN KEY (tenant_id, workspace_id) REFERENCES workspace (tenant_id, id) ON DELETE CASCADE)""",
    "CREATE INDEX workspace_membership_user ON workspace_membership (user_id)",
    """CREATE TABLE project (
        tenant_id UUID NOT NULL,
        id UUID NOT NULL,
        workspace_id UUID NOT NULL,
        name VARCHAR(200) NOT NULL,
        description TEXT NOT NULL DEFAULT '',
        period_start DATE,
        period_end DATE,
        industry VARCHAR(100) NOT NULL DEFAULT '',
        created_at TIMESTAMPTZ NOT NULL,
        updated_at TIMESTAMPTZ NOT NULL,
        PRIMARY KEY (tenant_id, id),
        FOREIGN KEY (tenant_id, workspace_id) REFERENCES workspace (tenant_id, id) ON DELETE CASCADE,
        CHECK (period_end IS NULL OR period_start IS NULL OR period_end >= period_start))""",
    "CREATE INDEX project_workspace ON project (tenant_id, workspace_id)",
    """CREATE TABLE api_token (
        tenant_id UUID NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
        id UUID NOT NULL,
        user_id UUID NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
        kind VARCHAR(20) NOT NULL CHECK (kind IN ('session', 'personal')),
        name VARCHAR(200) NOT NULL,
        token_hash VARCHAR(64) NOT NULL,
        created_at TIMESTAMPTZ NOT NULL,
        expires_at TIMESTAMPTZ,
        revoked_at TIMESTAMPTZ,
        last_used_at TIMESTAMPTZ,
        PRIMARY KEY (tenant_id, id),
        UNIQUE (tenant_id, token_hash))""",
    """CREATE TABLE audit_event (
        tenant_id UUID NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
        id UUID NOT NULL,
        occurred_at TIMESTAMPTZ NOT NULL,
        actor_user_id UUID,
        action VARCHAR(80) NOT NULL,
        object_type VARCHAR(40) NOT NULL DEFAULT '',
        object_id VARCHAR(64) NOT NULL DEFAULT '',
        outcome VARCHAR(10) NOT NULL DEFAULT 'success',
        ip VARCHAR(64) NOT NULL DEFAULT '',
        details {json} NOT NULL DEFAULT '{}',
        PRIMARY KEY (tenant_id, id))""",
    "CREATE INDEX audit_event_time ON audit_event (tenant_id, occurred_at)",
    """CREATE TABLE job (
        tenant_id UUID NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
        id UUID NOT NULL,
        workspace_id UUID,
        kind VARCHAR(20) NOT NULL,
        subject_type VARCHAR(40) NOT NULL,
        subject_id UUID NOT NULL,
        status VARCHAR(20) NOT NULL DEFAULT 'queued'
            CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
        progress REAL NOT NULL DEFAULT 0,
        counts {json} NOT NULL DEFAULT '{}',
        attempts INTEGER NOT NULL DEFAULT 0,
        max_attempts INTEGER NOT NULL DEFAULT 5,
        error TEXT NOT NULL DEFAULT '',
        result_ref VARCHAR(200) NOT NULL DEFAULT '',
        dedupe_key VARCHAR(200),
        cancel_requested BOOLEAN NOT NULL DEFAULT FALSE,
        created_by UUID,
        created_at TIMESTAMPTZ NOT NULL,
        run_after TIMESTAMPTZ,
        started_at TIMESTAMPTZ,
        heartbeat_at TIMESTAMPTZ,
        finished_at TIMESTAMPTZ,
        PRIMARY KEY (tenant_id, id),
        FOREIGN KEY (tenant_id, workspace_id) REFERENCES workspace (tenant_id, id) ON DELETE CASCADE)""",
    "CREATE INDEX job_status ON job (status, created_at)",
    "CREATE INDEX job_workspace ON job (tenant_id, workspace_id, created_at)",
    """CREATE UNIQUE INDEX job_active_dedupe ON job (tenant_id, dedupe_key)
        WHERE dedupe_key IS NOT NULL AND status IN ('queued', 'running')""",
]

TENANT_TABLES = {
    "tenant_membership": True, "workspace": False, "workspace_membership": True,
    "project": False, "api_token": False, "audit_event": False, "job": False,
}

BACKWARDS = [f"DROP TABLE IF EXISTS {t}" for t in (
    "job", "audit_event", "api_token", "project", "workspace_membership", "workspace",
    "tenant_membership", "app_user", "tenant_directory", "tenant")]


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="cxsuite", description=DESCRIPTION)
    manager.add_raw(raw_step(FORWARDS, rls=TENANT_TABLES, tenant_table="tenant"))
    manager.add_raw_backwards(raw_step(
        BACKWARDS, postgres_first=["DROP POLICY IF EXISTS member_tenants ON tenant"]))
    return manager
