"""File import of every record kind, and feedback counted once per source and response id.

- ``import_mapping``: the column mapping a person confirmed for one kind of file (customers,
  deals, tickets, interactions, feedback) in one workspace, with the reading settings (time
  zone, date format, decimal and thousands separators). The next file of the same kind in the
  workspace starts from it (``docs/file-import.md``). Tenant-first key, forced row-level
  security, and removed with its workspace.
- ``record_feedback_response``: scoring keeps one answer per (source, response id) across the
  connections of a workspace (``first_of_response`` in ``cxsuite/scoring/metrics/scope.py``);
  this index makes that check one index probe per answer instead of a scan of the workspace.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from cxsuite.db.migrate import raw_step

ID = "2026-12-03T14:20:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Saved file-import column mappings; feedback response index"

FORWARDS = [
    """CREATE TABLE import_mapping (
        tenant_id UUID NOT NULL,
        workspace_id UUID NOT NULL,
        kind VARCHAR(20) NOT NULL,
        columns {json} NOT NULL DEFAULT '{}',
        settings {json} NOT NULL DEFAULT '{}',
        updated_by UUID,
        updated_at TIMESTAMPTZ NOT NULL,
        PRIMARY KEY (tenant_id, workspace_id, kind),
        FOREIGN KEY (tenant_id, workspace_id) REFERENCES workspace (tenant_id, id) ON DELETE CASCADE)""",
    "CREATE INDEX record_feedback_response ON record_feedback (tenant_id, workspace_id, external_id, source)",
]

BACKWARDS = [
    "DROP INDEX IF EXISTS record_feedback_response",
    "DROP TABLE IF EXISTS import_mapping",
]


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="cxsuite", description=DESCRIPTION)
    manager.add_raw(raw_step(FORWARDS, rls={"import_mapping": False}))
    manager.add_raw_backwards(raw_step(BACKWARDS))
    return manager
