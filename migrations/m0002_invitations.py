"""Invitations: a single-use, expiring token with which an invited user sets a password."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from cxsuite.db.migrate import raw_step

ID = "2026-11-22T14:30:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Invitations to set a password"

FORWARDS = [
    """CREATE TABLE invitation (
        tenant_id UUID NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
        id UUID NOT NULL,
        user_id UUID NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
        token_hash VARCHAR(64) NOT NULL,
        created_by UUID,
        created_at TIMESTAMPTZ NOT NULL,
        expires_at TIMESTAMPTZ NOT NULL,
        accepted_at TIMESTAMPTZ,
        PRIMARY KEY (tenant_id, id),
        UNIQUE (tenant_id, token_hash))""",
]


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="cxsuite", description=DESCRIPTION)
    manager.add_raw(raw_step(FORWARDS, rls={"invitation": False}))
    manager.add_raw_backwards(raw_step(["DROP TABLE IF EXISTS invitation"]))
    return manager
