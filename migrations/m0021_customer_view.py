"""One customer view: the resolved identity graph of each workspace.

- ``customer_view``: one row per workspace: the phone region numbers without ``+`` are read
  in, when the graph was last resolved, and the fragmentation summary the report prints.
- ``customer_member``: one row per customer record: which resolved customer it belongs to and
  which kinds of key joined it there (the explanation of the merge).
- ``customer_key``: the email keys of each resolved customer, so scoring can link a ticket or a
  survey response whose customer reference is an email address, in SQL.
- ``record_customer.web_user_id``: a web analytics (GA4) user id a CRM or export file carries.

Tenant-first keys and forced row-level security like every tenant table. The member rows
refer to record rows by their natural key but have no foreign key to them: the graph is
rebuilt as a whole from the records, never edited row by row, so a deleted record only has
to disappear at the next resolution.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from cxsuite.db.migrate import raw_step

ID = "2026-12-03T15:20:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Customer identity graph per workspace (one customer view)"

FORWARDS = [
    "ALTER TABLE record_customer ADD COLUMN web_user_id VARCHAR(255)",
    """CREATE TABLE customer_view (
        tenant_id UUID NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
        workspace_id UUID NOT NULL,
        phone_region VARCHAR(2) NOT NULL DEFAULT '',
        resolved_at TIMESTAMPTZ,
        summary {json} NOT NULL DEFAULT '{}',
        PRIMARY KEY (tenant_id, workspace_id),
        FOREIGN KEY (tenant_id, workspace_id) REFERENCES workspace (tenant_id, id) ON DELETE CASCADE)""",
    """CREATE TABLE customer_member (
        tenant_id UUID NOT NULL,
        workspace_id UUID NOT NULL,
        connection_id UUID NOT NULL,
        external_id VARCHAR(255) NOT NULL,
        customer_id UUID NOT NULL,
        source VARCHAR(60) NOT NULL,
        matched_on {json} NOT NULL DEFAULT '[]',
        PRIMARY KEY (tenant_id, workspace_id, connection_id, external_id),
        FOREIGN KEY (tenant_id, workspace_id) REFERENCES customer_view (tenant_id, workspace_id)
            ON DELETE CASCADE)""",
    "CREATE INDEX customer_member_customer ON customer_member (tenant_id, workspace_id, customer_id)",
    """CREATE TABLE customer_key (
        tenant_id UUID NOT NULL,
        workspace_id UUID NOT NULL,
        kind VARCHAR(20) NOT NULL,
        value VARCHAR(320) NOT NULL,
        customer_id UUID NOT NULL,
        PRIMARY KEY (tenant_id, workspace_id, kind, value),
        FOREIGN KEY (tenant_id, workspace_id) REFERENCES customer_view (tenant_id, workspace_id)
            ON DELETE CASCADE)""",
]

BACKWARDS = [
    "DROP TABLE IF EXISTS customer_key",
    "DROP TABLE IF EXISTS customer_member",
    "DROP TABLE IF EXISTS customer_view",
    "ALTER TABLE record_customer DROP COLUMN web_user_id",
]


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="cxsuite", description=DESCRIPTION)
    manager.add_raw(raw_step(FORWARDS, rls={"customer_view": False, "customer_member": False,
                                            "customer_key": False}))
    manager.add_raw_backwards(raw_step(BACKWARDS))
    return manager
