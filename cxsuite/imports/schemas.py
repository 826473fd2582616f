"""Request and response types of the file-import endpoints (and of the console that will call
the same service functions)."""

from __future__ import annotations

from typing import Annotated

import msgspec

from cxsuite.imports.values import ReadSettings

PREVIEW_ROWS = 20
MAX_PREVIEW_ROWS = 500


class PreviewIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """What to preview: overrides of the detected mapping (field → header, ``""`` to leave a
    field unmapped), the settings to read with, and how many rows.

    The settings field is ``file_settings``, not ``settings``: Litestar reports an invalid body
    field named like a dependency (``settings`` is one) as a failed dependency, a 500."""

    columns: Annotated[
        dict[str, Annotated[str, msgspec.Meta(max_length=300)]],
        msgspec.Meta(max_length=60, examples=[{"email": "E-pasts", "segments": ""}]),
    ] = {}
    file_settings: ReadSettings | None = None
    rows: Annotated[int, msgspec.Meta(ge=1, le=MAX_PREVIEW_ROWS)] = PREVIEW_ROWS


class MappingIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """The mapping a person confirms: every field to import with its header (``""`` or absent:
    not imported), and the settings."""

    columns: Annotated[
        dict[str, Annotated[str, msgspec.Meta(max_length=300)]],
        msgspec.Meta(
            max_length=60,
            examples=[{"external_id": "Customer ID", "email": "E-mail", "created_at": "Created"}],
        ),
    ]
    file_settings: ReadSettings = msgspec.field(default_factory=ReadSettings)


class ColumnOut(msgspec.Struct):
    """One field and the column that fills it (``source``: saved, detected or confirmed)."""

    field: str
    header: str
    source: str


class ProblemOut(msgspec.Struct):
    """Why a cell (or a row, ``column`` empty) would not be imported."""

    row: int
    column: str
    field: str
    reason: str


class PreviewRow(msgspec.Struct):
    """A row as it would be imported: the fields' values as text, or the problems with it."""

    row: int
    values: dict[str, str | float | bool | list[str] | None]
    problems: list[ProblemOut]


class PreviewOut(msgspec.Struct):
    """The first rows of a file read with a mapping, before anything is written."""

    kind: str
    file_name: str
    file_sha256: str
    headers: list[str]
    mapping: list[ColumnOut]
    unmapped_headers: list[str]
    missing_required: list[str]
    file_settings: ReadSettings
    rows: list[PreviewRow]
    problems: list[ProblemOut]
    rows_previewed: int
    warnings: list[str]
    confirmed: bool


class FileOut(msgspec.Struct):
    """One kind's file on a file-import connection and whether its mapping is confirmed."""

    kind: str
    file_name: str
    size: int
    sha256: str
    uploaded_at: str
    confirmed: bool
    columns: dict[str, str]
