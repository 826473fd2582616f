"""Files uploaded to file-upload connections (survey exports and the like).

The file is client data: it is stored encrypted (bound to its tenant and connection) under the
data folder, and its name, size and digest go into the connection's encrypted credentials, so
the connector gets it back exactly as uploaded. A new upload replaces the previous one.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from pathlib import Path
from uuid import UUID

from cxsuite.connections import crypto
from cxsuite.connections.credentials import store_credentials
from cxsuite.connectors.files import FileLimits, check_upload
from cxsuite.errors import FieldProblem, ValidationFailed
from cxsuite.settings import Settings


def _path(settings: Settings, tenant_id: UUID, connection_id: UUID) -> Path:
    return settings.data_dir / "uploads" / str(tenant_id) / f"{connection_id}.bin"


def _aad(tenant_id: UUID, connection_id: UUID) -> str:
    return f"{tenant_id}|{connection_id}|upload"


async def save_upload(settings: Settings, tenant_id: UUID, connection_id: UUID, name: str,
                      content: bytes) -> dict[str, object]:
    """Store the file and mark the connection connected (inside the caller's transaction).

    A file over the size limit, or a workbook whose declared contents cross the unpacking
    limits (a zip or shared-strings bomb), is refused here, before it is stored or parsed."""
    if not content:
        raise ValidationFailed("the file is empty", problems=[FieldProblem("body.file", "empty file")])
    if "\x00" in name:  # the name travels into imported records, which PostgreSQL must store
        raise ValidationFailed("the file name cannot be stored", problems=[FieldProblem(
            "body.file", "the file name contains a NUL character (U+0000), which cannot be stored")])
    check_upload(content, name, FileLimits.from_settings(settings))
    path = _path(settings, tenant_id, connection_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(crypto.encrypt(settings, content, _aad(tenant_id, connection_id)))
    meta = {"upload_name": Path(name).name[:200] or "upload", "size": len(content),
            "sha256": hashlib.sha256(content).hexdigest(), "uploaded_at": datetime.now(UTC).isoformat()}
    await store_credentials(settings, tenant_id, connection_id, meta, status="connected")
    return meta


def load_upload(settings: Settings, tenant_id: UUID, connection_id: UUID) -> bytes:
    """The uploaded bytes (a clear error when nothing was uploaded yet)."""
    path = _path(settings, tenant_id, connection_id)
    if not path.exists():
        raise ValidationFailed("no file has been uploaded to this connection yet")
    return crypto.decrypt(settings, path.read_text(), _aad(tenant_id, connection_id))


def delete_upload(settings: Settings, tenant_id: UUID, connection_id: UUID) -> None:
    """Remove the stored file with its connection."""
    _path(settings, tenant_id, connection_id).unlink(missing_ok=True)
