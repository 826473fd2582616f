"""An index per tenant in list order, so a page of workspaces is read from the index instead
of sorting the tenant's every row on each request.

``GET /api/v1/workspaces`` orders by ``(created_at, id)`` within the tenant. Without this index
PostgreSQL sorted all 10,000 workspaces of a tenant for each first page (3.3 ms) and each page
at offset 9,950 (12 ms); with it a first page or an ``after`` (keyset) page reads 50 index
entries (0.03 ms) and an offset page at 9,950 walks 10,000 entries (2.2 ms). Tenant-first, like
every key here, so it stays local to one shard when the table is distributed by tenant.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from cxsuite.db.migrate import raw_step

ID = "2026-12-03T13:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Workspace list index in list order"

FORWARDS = ["CREATE INDEX workspace_list ON workspace (tenant_id, created_at, id)"]

BACKWARDS = ["DROP INDEX IF EXISTS workspace_list"]


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="cxsuite", description=DESCRIPTION)
    manager.add_raw(raw_step(FORWARDS))
    manager.add_raw_backwards(raw_step(BACKWARDS))
    return manager
