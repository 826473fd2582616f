"""Audit table; the app role may only INSERT and SELECT it (granted in migrations)."""

from piccolo.columns import JSON, UUID, Timestamptz, Varchar
from piccolo.table import Table


class AuditEvent(Table, tablename="audit_event"):
    """One security-relevant action: who, what, on which object, from where, with what outcome."""

    id = UUID(primary_key=True)
    tenant_id = UUID()
    occurred_at = Timestamptz()
    actor_user_id = UUID(null=True, default=None)
    action = Varchar(length=80)
    object_type = Varchar(length=40, default="")
    object_id = Varchar(length=64, default="")
    outcome = Varchar(length=10, default="success")
    ip = Varchar(length=64, default="")
    details = JSON(default="{}")
