"""The column mapping a workspace last confirmed for each kind of file (migration m0015)."""

from piccolo.columns import JSON, UUID, Timestamptz, Varchar
from piccolo.table import Table


class ImportMapping(Table, tablename="import_mapping"):
    """Field → header and the reading settings, per (tenant, workspace, kind); the next file of
    the kind starts from it. The primary key is ``(tenant_id, workspace_id, kind)``; Piccolo is
    told only ``workspace_id`` and always queries with all three."""

    workspace_id = UUID(primary_key=True)
    tenant_id = UUID()
    kind = Varchar(length=20)
    columns = JSON(default="{}")
    settings = JSON(default="{}")
    updated_by = UUID(null=True, default=None)
    updated_at = Timestamptz()
