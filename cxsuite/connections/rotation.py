"""``cxsuite keys rotate``: re-encrypt every stored credential under the newest key.

Rotation procedure: put the new key first in ``CXSUITE_ENCRYPTION_KEYS`` (keep the old one
after it), run the command, then remove the old key. Each tenant is visited in its own
row-level-security scope; rows already under the newest key are left alone, so the command
can be interrupted and run again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from cxsuite.connections import crypto
from cxsuite.connections.tables import Connection, OAuthState
from cxsuite.db.session import Database
from cxsuite.settings import Settings
from cxsuite.tenancy.directory import all_tenant_ids


@dataclass
class RotationReport:
    """How many ciphertexts were re-encrypted and how many were already current."""

    rotated: int = 0
    current: int = 0


async def rotate_all(db: Database, settings: Settings,
                     on_tenant: Callable[[int, int], None] = lambda done, total: None,
                     ) -> RotationReport:
    """Re-encrypt credentials and pending PKCE verifiers of every tenant."""
    report = RotationReport()
    tenants = await all_tenant_ids(db)
    for done, tenant_id in enumerate(tenants, start=1):
        async with db.transaction(tenant_id):
            await _rotate_connections(settings, tenant_id, report)
            await _rotate_states(settings, tenant_id, report)
        on_tenant(done, len(tenants))
    return report


async def _rotate_connections(settings: Settings, tenant_id: object, report: RotationReport) -> None:
    rows = await Connection.select(Connection.id, Connection.credentials).where(
        (Connection.tenant_id == tenant_id) & (Connection.credentials != "")).run()
    for row in rows:
        aad = f"{tenant_id}|{row['id']}|credentials"
        if not crypto.needs_rotation(settings, row["credentials"]):
            report.current += 1
            continue
        rotated = crypto.rotate(settings, row["credentials"], aad)
        await Connection.update({Connection.credentials: rotated}).where(
            (Connection.tenant_id == tenant_id) & (Connection.id == row["id"])).run()
        report.rotated += 1


async def _rotate_states(settings: Settings, tenant_id: object, report: RotationReport) -> None:
    rows = await OAuthState.select(
        OAuthState.nonce, OAuthState.connection_id, OAuthState.pkce_verifier).where(
        (OAuthState.tenant_id == tenant_id) & (OAuthState.pkce_verifier != "")).run()
    for row in rows:
        if not crypto.needs_rotation(settings, row["pkce_verifier"]):
            report.current += 1
            continue
        aad = f"{tenant_id}|{row['connection_id']}|pkce"
        rotated = crypto.rotate(settings, row["pkce_verifier"], aad)
        await OAuthState.update({OAuthState.pkce_verifier: rotated}).where(
            (OAuthState.tenant_id == tenant_id) & (OAuthState.nonce == row["nonce"])).run()
        report.rotated += 1
