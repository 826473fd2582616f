"""The configuration a file-import connection keeps: per kind of file, the confirmed column
mapping and the settings the file is read with.

The mapping names columns by their header exactly as the file writes it, and remembers which
file it was confirmed for (its SHA-256): a different file of the same kind needs its own
confirmation, or a saved workspace mapping that fits it (``service.start_import``).
"""

from __future__ import annotations

from typing import Annotated

import msgspec

from cxsuite.imports.fields import FileKind
from cxsuite.imports.values import ReadSettings

Header = Annotated[str, msgspec.Meta(min_length=1, max_length=300)]


class FileMapping(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """One kind's confirmed mapping: field → header, the reading settings, the file's digest."""

    columns: Annotated[dict[str, Header], msgspec.Meta(max_length=60)] = {}
    settings: ReadSettings = msgspec.field(default_factory=ReadSettings)
    file_sha256: Annotated[str, msgspec.Meta(max_length=64)] = ""


class FileImportConfig(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A file-import connection's configuration; written by the mapping confirmation, not by
    hand (creating the connection with ``{}`` is the normal case)."""

    files: dict[FileKind, FileMapping] = {}
