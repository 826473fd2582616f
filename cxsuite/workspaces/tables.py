"""Workspace tables."""

from piccolo.columns import UUID, Text, Timestamptz, Varchar
from piccolo.table import Table


class Workspace(Table, tablename="workspace"):
    """One client company under audit, inside one tenant."""

    id = UUID(primary_key=True)
    tenant_id = UUID()
    name = Varchar(length=200)
    description = Text(default="")
    created_at = Timestamptz()
    updated_at = Timestamptz()


class WorkspaceMembership(Table, tablename="workspace_membership"):
    """A client user's role in one workspace: ``client_admin`` or ``client_viewer``."""

    id = UUID(primary_key=True)
    tenant_id = UUID()
    workspace_id = UUID()
    user_id = UUID()
    role = Varchar(length=20)
    created_at = Timestamptz()
