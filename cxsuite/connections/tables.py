"""Connection tables: a workspace's link to one vendor account, and pending OAuth states."""

from piccolo.columns import JSON, UUID, Text, Timestamptz, Varchar
from piccolo.table import Table


class Connection(Table, tablename="connection"):
    """A vendor account connected to a workspace. ``credentials`` is AES-GCM ciphertext bound
    to the tenant and connection; it is never returned by the API or written to a log."""

    id = UUID(primary_key=True)
    tenant_id = UUID()
    workspace_id = UUID()
    connector = Varchar(length=60)
    name = Varchar(length=200)
    auth_kind = Varchar(length=20)
    config = JSON(default="{}")
    credentials = Text(default="")
    status = Varchar(length=20, default="pending")
    status_detail = Text(default="")
    schedule = Varchar(length=40, default="")
    created_by = UUID(null=True, default=None)
    created_at = Timestamptz()
    updated_at = Timestamptz()
    last_sync_at = Timestamptz(null=True, default=None)


class OAuthState(Table, tablename="oauth_state"):
    """One issued OAuth ``state``: marked used on the callback, so a replay is refused."""

    nonce = Varchar(length=64, primary_key=True)
    tenant_id = UUID()
    connection_id = UUID()
    user_id = UUID()
    pkce_verifier = Text(default="")
    expires_at = Timestamptz()
    used_at = Timestamptz(null=True, default=None)
