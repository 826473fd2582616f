"""Encrypting a connection's credentials, bound to the tenant, the connection and a purpose.

The associated data makes a ciphertext copied into another row (or another purpose) fail to
decrypt. Deleting a connection deletes the row, and with it the only copy of its credentials.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import msgspec

from cxsuite.connections import crypto
from cxsuite.connections.tables import Connection
from cxsuite.connectors.contract import TokenSet
from cxsuite.settings import Settings


def _aad(tenant_id: UUID, connection_id: UUID, purpose: str) -> str:
    return f"{tenant_id}|{connection_id}|{purpose}"


def encrypt_text(settings: Settings, tenant_id: UUID, connection_id: UUID, purpose: str,
                 text: str) -> str:
    """Ciphertext of ``text`` for this connection and purpose."""
    return crypto.encrypt(settings, text.encode(), _aad(tenant_id, connection_id, purpose))


def decrypt_text(settings: Settings, tenant_id: UUID, connection_id: UUID, purpose: str,
                 ciphertext: str) -> str:
    """The text back; raises when the ciphertext belongs elsewhere or no key opens it."""
    return crypto.decrypt(settings, ciphertext, _aad(tenant_id, connection_id, purpose)).decode()


async def store_credentials(settings: Settings, tenant_id: UUID, connection_id: UUID,
                            credentials: TokenSet | dict[str, Any], status: str) -> None:
    """Encrypt and save credentials (inside the caller's transaction) and set the status."""
    plain = msgspec.json.encode(credentials).decode()
    await Connection.update({
        Connection.credentials: encrypt_text(settings, tenant_id, connection_id, "credentials", plain),
        Connection.status: status, Connection.status_detail: "",
        Connection.updated_at: datetime.now(UTC)}).where(
        (Connection.tenant_id == tenant_id) & (Connection.id == connection_id)).run()


def open_credentials(settings: Settings, tenant_id: UUID, connection_id: UUID,
                     ciphertext: str) -> dict[str, Any]:
    """The decrypted credentials as a dict (a TokenSet's fields, or ``{"api_key": ...}``)."""
    if not ciphertext:
        return {}
    return msgspec.json.decode(decrypt_text(settings, tenant_id, connection_id, "credentials",
                                            ciphertext))
