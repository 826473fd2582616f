"""Reports: the tenant's branding, rendered reports and their PDF bytes.

The PDF lives in the database (``report_file``) rather than on a disk the web and worker
processes would have to share: it is written in the same transaction that marks the report
rendered, row-level security guards it like every other tenant row, and a backup of the
database is a backup of the reports. The bytes sit in their own table so listing reports
never reads them.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from cxsuite.db.migrate import raw_step

ID = "2026-11-22T19:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Tenant branding, reports and report files"

FORWARDS = [
    """CREATE TABLE tenant_branding (
        tenant_id UUID NOT NULL PRIMARY KEY REFERENCES tenant (id) ON DELETE CASCADE,
        primary_colour VARCHAR(7) NOT NULL,
        accent_colour VARCHAR(7) NOT NULL,
        heading_font VARCHAR(40) NOT NULL,
        body_font VARCHAR(40) NOT NULL,
        footer_text VARCHAR(300) NOT NULL DEFAULT '',
        confidentiality VARCHAR(300) NOT NULL DEFAULT '',
        default_language VARCHAR(8) NOT NULL DEFAULT 'en',
        section_order TEXT NOT NULL DEFAULT '[]',
        disabled_sections TEXT NOT NULL DEFAULT '[]',
        logo {bytes},
        logo_mime VARCHAR(20) NOT NULL DEFAULT '',
        updated_by UUID,
        updated_at TIMESTAMPTZ NOT NULL)""",
    """CREATE TABLE report (
        tenant_id UUID NOT NULL,
        id UUID NOT NULL,
        workspace_id UUID NOT NULL,
        project_id UUID NOT NULL,
        score_run_id UUID NOT NULL,
        language VARCHAR(8) NOT NULL,
        status VARCHAR(20) NOT NULL DEFAULT 'queued'
            CHECK (status IN ('queued', 'rendering', 'rendered', 'failed')),
        job_id UUID,
        sha256 VARCHAR(64) NOT NULL DEFAULT '',
        size_bytes INTEGER NOT NULL DEFAULT 0,
        template_version VARCHAR(100) NOT NULL DEFAULT '',
        model_version VARCHAR(100) NOT NULL DEFAULT '',
        model_hash VARCHAR(64) NOT NULL DEFAULT '',
        error TEXT NOT NULL DEFAULT '',
        published_at TIMESTAMPTZ,
        published_by UUID,
        created_by UUID,
        created_at TIMESTAMPTZ NOT NULL,
        rendered_at TIMESTAMPTZ,
        PRIMARY KEY (tenant_id, id),
        FOREIGN KEY (tenant_id, project_id) REFERENCES project (tenant_id, id) ON DELETE CASCADE,
        FOREIGN KEY (tenant_id, score_run_id) REFERENCES score_run (tenant_id, id) ON DELETE CASCADE)""",
    "CREATE INDEX report_project ON report (tenant_id, project_id, created_at)",
    """CREATE TABLE report_file (
        tenant_id UUID NOT NULL,
        report_id UUID NOT NULL,
        content {bytes} NOT NULL,
        PRIMARY KEY (tenant_id, report_id),
        FOREIGN KEY (tenant_id, report_id) REFERENCES report (tenant_id, id) ON DELETE CASCADE)""",
]

TENANT_TABLES = {name: False for name in ("tenant_branding", "report", "report_file")}

BACKWARDS = [f"DROP TABLE IF EXISTS {t}" for t in ("report_file", "report", "tenant_branding")]


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="cxsuite", description=DESCRIPTION)
    manager.add_raw(raw_step(FORWARDS, rls=TENANT_TABLES))
    manager.add_raw_backwards(raw_step(BACKWARDS))
    return manager
