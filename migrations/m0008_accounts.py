"""Account lifecycle: verified emails, revocable invitations, and single-use account tokens
(password reset, email verification).

``account_token`` belongs to a person, not to a tenant (users are global), so like
``app_user`` it has no ``tenant_id`` and no row-level security: it is only ever read by the
SHA-256 of a secret that was mailed to the address, or written for a user the request already
identified.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from cxsuite.db.migrate import raw_step

ID = "2026-12-03T10:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Verified emails, revocable invitations, password-reset and verification tokens"

FORWARDS = [
    "ALTER TABLE app_user ADD COLUMN email_verified_at TIMESTAMPTZ",
    "ALTER TABLE invitation ADD COLUMN revoked_at TIMESTAMPTZ",
    "CREATE INDEX invitation_user ON invitation (tenant_id, user_id)",
    """CREATE TABLE account_token (
        id UUID PRIMARY KEY,
        user_id UUID NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
        purpose VARCHAR(20) NOT NULL CHECK (purpose IN ('password_reset', 'verify_email')),
        token_hash VARCHAR(64) NOT NULL UNIQUE,
        created_at TIMESTAMPTZ NOT NULL,
        expires_at TIMESTAMPTZ NOT NULL,
        used_at TIMESTAMPTZ)""",
    "CREATE INDEX account_token_user ON account_token (user_id, purpose)",
]

BACKWARDS = [
    "DROP TABLE IF EXISTS account_token",
    "DROP INDEX IF EXISTS invitation_user",
    "ALTER TABLE invitation DROP COLUMN revoked_at",
    "ALTER TABLE app_user DROP COLUMN email_verified_at",
]


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="cxsuite", description=DESCRIPTION)
    manager.add_raw(raw_step(FORWARDS))
    manager.add_raw_backwards(raw_step(BACKWARDS))
    return manager
