"""Identity tables; users are global (one person may work with several tenants), tokens are per tenant."""

from piccolo.columns import UUID, Timestamptz, Varchar
from piccolo.table import Table


class User(Table, tablename="app_user"):
    """A person. ``password_hash`` is empty until an invited user sets a password."""

    id = UUID(primary_key=True)
    email = Varchar(length=320)
    password_hash = Varchar(length=255, default="")
    display_name = Varchar(length=200, default="")
    created_at = Timestamptz()
    email_verified_at = Timestamptz(null=True, default=None)


class ApiToken(Table, tablename="api_token"):
    """A bearer token, stored only as its SHA-256; ``kind`` is ``session`` or ``personal``."""

    id = UUID(primary_key=True)
    tenant_id = UUID()
    user_id = UUID()
    kind = Varchar(length=20)
    name = Varchar(length=200)
    token_hash = Varchar(length=64)
    created_at = Timestamptz()
    expires_at = Timestamptz(null=True, default=None)
    revoked_at = Timestamptz(null=True, default=None)
    last_used_at = Timestamptz(null=True, default=None)


class Invitation(Table, tablename="invitation"):
    """A pending invitation to set a password (the token itself is never stored)."""

    id = UUID(primary_key=True)
    tenant_id = UUID()
    user_id = UUID()
    token_hash = Varchar(length=64)
    created_by = UUID(null=True, default=None)
    created_at = Timestamptz()
    expires_at = Timestamptz()
    accepted_at = Timestamptz(null=True, default=None)
    revoked_at = Timestamptz(null=True, default=None)


class AccountToken(Table, tablename="account_token"):
    """A single-use secret mailed to a person (password reset, email verification); stored
    only as its SHA-256. Global like :class:`User`: it proves control of an address, not a
    role in a tenant."""

    id = UUID(primary_key=True)
    user_id = UUID()
    purpose = Varchar(length=20)
    token_hash = Varchar(length=64)
    created_at = Timestamptz()
    expires_at = Timestamptz()
    used_at = Timestamptz(null=True, default=None)
