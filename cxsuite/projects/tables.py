"""Project table."""

from piccolo.columns import UUID, Date, Text, Timestamptz, Varchar
from piccolo.table import Table


class Project(Table, tablename="project"):
    """An audit engagement: name, description, audit period and industry."""

    id = UUID(primary_key=True)
    tenant_id = UUID()
    workspace_id = UUID()
    name = Varchar(length=200)
    description = Text(default="")
    period_start = Date(null=True, default=None)
    period_end = Date(null=True, default=None)
    industry = Varchar(length=100, default="")
    created_at = Timestamptz()
    updated_at = Timestamptz()
