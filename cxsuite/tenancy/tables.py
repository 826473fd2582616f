"""Tenant tables. DDL lives in ``migrations/`` (composite keys and RLS are beyond Piccolo's DDL)."""

from piccolo.columns import UUID, Timestamptz, Varchar
from piccolo.table import Table


class Tenant(Table, tablename="tenant"):
    """A consultancy firm: the SaaS customer. Its ``id`` is every tenant row's ``tenant_id``."""

    id = UUID(primary_key=True)
    name = Varchar(length=200)
    created_at = Timestamptz()


class TenantDirectory(Table, tablename="tenant_directory"):
    """Every tenant's id (nothing else), visible without a tenant setting, so maintenance can
    visit each tenant through its own row-level-security scope."""

    id = UUID(primary_key=True)
    created_at = Timestamptz()


class TenantMembership(Table, tablename="tenant_membership"):
    """A user's role across one tenant: ``owner`` or ``consultant``."""

    id = UUID(primary_key=True)
    tenant_id = UUID()
    user_id = UUID()
    role = Varchar(length=20)
    created_at = Timestamptz()
