"""Key rotation: `cxsuite keys rotate` re-encrypts every credential under the new key, after
which the old key can be removed."""

from __future__ import annotations

import dataclasses
import os
import sys
from pathlib import Path
from uuid import UUID

import anyio
import pytest

from cxsuite.connections import crypto
from cxsuite.connections.credentials import open_credentials, store_credentials
from cxsuite.db.session import Database
from cxsuite.db.sql import execute
from tests.support.records import make_connection_owner

pytestmark = pytest.mark.anyio
CXSUITE = str(Path(sys.executable).with_name("cxsuite"))


async def stored(db: Database, tenant_id: UUID, connection_id: UUID) -> str:
    async with db.transaction(tenant_id, write=False):
        rows = await execute(db.engine, "SELECT credentials FROM connection WHERE tenant_id = {} AND id = {}",
                             tenant_id, connection_id)
    return rows[0]["credentials"]


async def test_rotate_command_reencrypts_and_the_old_key_can_be_retired(settings):
    db = Database.from_url(settings.database_url)
    tenant_id, _, connection_id = await make_connection_owner(db)
    async with db.transaction(tenant_id):
        await store_credentials(settings, tenant_id, connection_id, {"api_key": "k-123"}, "connected")
    before = await stored(db, tenant_id, connection_id)
    new_key = crypto.generate_key()
    env = {**os.environ, "CXSUITE_DATABASE_URL": settings.database_url,
           "CXSUITE_DATA_DIR": str(settings.data_dir), "CXSUITE_SECRET_KEY": settings.secret_key,
           "CXSUITE_ENCRYPTION_KEYS": f"{new_key},{settings.encryption_keys[0]}"}
    result = await anyio.run_process([CXSUITE, "keys", "rotate"], env=env, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert b"re-encrypted 1" in result.stdout
    after = await stored(db, tenant_id, connection_id)
    assert after != before
    new_only = dataclasses.replace(settings, encryption_keys=(new_key,))
    assert open_credentials(new_only, tenant_id, connection_id, after) == {"api_key": "k-123"}
    with pytest.raises(crypto.DecryptionFailed):
        open_credentials(new_only, tenant_id, connection_id, before)
    again = await anyio.run_process([CXSUITE, "keys", "rotate"], env=env, check=False)
    assert b"re-encrypted 0" in again.stdout
