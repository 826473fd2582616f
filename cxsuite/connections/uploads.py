"""Files uploaded to file-upload connections (survey exports and the like).

The file is client data: it is stored encrypted (bound to its tenant and connection) under the
data folder, and its name, size and digest go into the connection's encrypted credentials, so
the connector gets it back exactly as uploaded. A new upload replaces the previous one.

A connection may instead hold one file per stream (the file import: a customers file, a
tickets file …): each is stored and bound the same way under its stream's name, and its
name, size and digest are kept in the credentials under ``files``.
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


def _path(settings: Settings, tenant_id: UUID, connection_id: UUID, stream: str = "") -> Path:
    suffix = f".{stream}" if stream else ""
    return settings.data_dir / "uploads" / str(tenant_id) / f"{connection_id}{suffix}.bin"


def _aad(tenant_id: UUID, connection_id: UUID, stream: str = "") -> str:
    return f"{tenant_id}|{connection_id}|upload" + (f"|{stream}" if stream else "")


async def save_upload(settings: Settings, tenant_id: UUID, connection_id: UUID, name: str,
                      content: bytes) -> dict[str, object]:
    """Store the file and mark the connection connected (inside the caller's transaction).

    A file over the size limit, or a workbook whose declared contents cross the unpacking
    limits (a zip or shared-strings bomb), is refused here, before it is stored or parsed."""
    meta = store_file(settings, tenant_id, connection_id, name, content)
    await store_credentials(settings, tenant_id, connection_id, meta, status="connected")
    return meta


def store_file(settings: Settings, tenant_id: UUID, connection_id: UUID, name: str, content: bytes,
               stream: str = "") -> dict[str, object]:
    """Check the file against the upload limits, store it encrypted, and return its metadata
    (name, size, SHA-256, when); ``stream`` names one file of a file-per-stream connection."""
    if not content:
        raise ValidationFailed("the file is empty", problems=[FieldProblem("body.file", "empty file")])
    if "\x00" in name:  # the name travels into imported records, which PostgreSQL must store
        raise ValidationFailed("the file name cannot be stored", problems=[FieldProblem(
            "body.file", "the file name contains a NUL character (U+0000), which cannot be stored")])
    check_upload(content, name, FileLimits.from_settings(settings))
    path = _path(settings, tenant_id, connection_id, stream)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(crypto.encrypt(settings, content, _aad(tenant_id, connection_id, stream)))
    return {"upload_name": Path(name).name[:200] or "upload", "size": len(content),
            "sha256": hashlib.sha256(content).hexdigest(), "uploaded_at": datetime.now(UTC).isoformat()}


def load_upload(settings: Settings, tenant_id: UUID, connection_id: UUID, stream: str = "") -> bytes:
    """The uploaded bytes (a clear error when nothing was uploaded yet)."""
    path = _path(settings, tenant_id, connection_id, stream)
    if not path.exists():
        raise ValidationFailed("no file has been uploaded to this connection yet")
    return crypto.decrypt(settings, path.read_text(), _aad(tenant_id, connection_id, stream))


def load_stream_uploads(settings: Settings, tenant_id: UUID, connection_id: UUID,
                        credentials: dict[str, object]) -> dict[str, tuple[str, bytes]]:
    """Every stream's file of a file-per-stream connection: ``{stream: (name, content)}``."""
    files = credentials.get("files")
    if not isinstance(files, dict):
        return {}
    return {stream: (str(meta.get("upload_name", "upload")), load_upload(settings, tenant_id, connection_id,
                                                                         stream))
            for stream, meta in files.items() if isinstance(meta, dict)}


def delete_upload(settings: Settings, tenant_id: UUID, connection_id: UUID) -> None:
    """Remove the stored file (and every per-stream file) with its connection."""
    _path(settings, tenant_id, connection_id).unlink(missing_ok=True)
    folder = settings.data_dir / "uploads" / str(tenant_id)
    if folder.is_dir():
        for path in folder.glob(f"{connection_id}.*.bin"):
            path.unlink(missing_ok=True)
