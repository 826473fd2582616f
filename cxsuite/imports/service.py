"""File import as plain service functions: upload a kind's file, preview it with a mapping,
confirm the mapping (saved for the workspace), start the import. The API calls these, and so
will the console.

A file-import connection is an ordinary connection of the ``file_import`` connector: the
connection routes create, list and delete it, its imports are sync jobs, and its rejected rows
are its sync issues. Permissions are the connection's: whoever may manage connections (owner,
consultant, client admin) uploads, previews and confirms; whoever may run syncs imports.
"""

from __future__ import annotations

import asyncio
import itertools
import json
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import msgspec

from cxsuite.access.permissions import Action
from cxsuite.access.principal import Principal
from cxsuite.audit.service import Actor, record
from cxsuite.connections.credentials import open_credentials, store_credentials
from cxsuite.connections.jobs import start_sync
from cxsuite.connections.service import load as load_connection
from cxsuite.connections.tables import Connection
from cxsuite.connections.uploads import load_upload, store_file
from cxsuite.connectors.files import FileLimits, file_rows, is_xlsx
from cxsuite.db.session import Database
from cxsuite.errors import FieldProblem, ValidationFailed
from cxsuite.imports.config import FileImportConfig, FileMapping
from cxsuite.imports.connector import CONNECTOR_KEY
from cxsuite.imports.detect import Detected, Source, detect, metric_from_wording
from cxsuite.imports.fields import FIELDS, RECORD_KIND, field_names
from cxsuite.imports.rows import RowMapper, Table, shape
from cxsuite.imports.schemas import (
    ColumnOut,
    FileOut,
    MappingIn,
    PreviewIn,
    PreviewOut,
    PreviewRow,
    ProblemOut,
)
from cxsuite.imports.tables import ImportMapping
from cxsuite.imports.values import ReadSettings, settings_problems
from cxsuite.settings import Settings

NO_ID_WARNING = (
    "no id column is mapped: rows are identified by their content, so re-importing the "
    "same file changes nothing but an edited row is imported as a new record"
)


@dataclass(frozen=True)
class _Connection:
    """A file-import connection the caller may act on, with its files and configuration."""

    row: dict[str, Any]
    files: dict[str, dict[str, Any]]
    config: FileImportConfig

    @property
    def workspace_id(self) -> UUID:
        return self.row["workspace_id"]


async def _open(
    settings: Settings, principal: Principal, connection_id: UUID, action: Action, kind: str | None = None
) -> _Connection:
    """The connection (404/403 as for any connection), refused unless it imports files."""
    row = await load_connection(principal, connection_id, action)
    if row["connector"] != CONNECTOR_KEY:
        raise ValidationFailed(
            "this connection does not import files",
            problems=[
                FieldProblem(
                    "path.connection_id",
                    f"a {row['connector']} connection; create a {CONNECTOR_KEY} connection",
                )
            ],
        )
    if kind is not None and kind not in RECORD_KIND:
        raise ValidationFailed(
            "unknown kind of file",
            problems=[FieldProblem("path.kind", f"must be one of: {', '.join(RECORD_KIND)}")],
        )
    stored = (
        await Connection.select(Connection.credentials)
        .where((Connection.tenant_id == principal.tenant_id) & (Connection.id == connection_id))
        .first()
        .run()
    )
    secrets = open_credentials(
        settings, principal.tenant_id, connection_id, stored["credentials"] if stored else ""
    )
    return _Connection(row, dict(secrets.get("files") or {}), config_of(row))


def config_of(row: dict[str, Any]) -> FileImportConfig:
    """A file-import connection's configuration (stored as JSON text on SQLite)."""
    config = row["config"]
    return msgspec.convert(json.loads(config) if isinstance(config, str) else config or {}, FileImportConfig)


def _file_out(kind: str, meta: dict[str, Any], config: FileImportConfig) -> FileOut:
    mapping = config.files.get(kind)  # type: ignore[call-overload]
    confirmed = bool(mapping and mapping.columns and mapping.file_sha256 == meta.get("sha256"))
    return FileOut(
        kind,
        str(meta.get("upload_name", "")),
        int(meta.get("size", 0)),
        str(meta.get("sha256", "")),
        str(meta.get("uploaded_at", "")),
        confirmed,
        dict(mapping.columns) if confirmed and mapping else {},
    )


async def upload_file(
    db: Database,
    settings: Settings,
    principal: Principal,
    actor: Actor,
    connection_id: UUID,
    kind: str,
    name: str,
    content: bytes,
) -> FileOut:
    """Store (or replace) the connection's file of ``kind``, within every upload limit."""
    async with db.transaction(principal.tenant_id, principal.user_id):
        opened = await _open(settings, principal, connection_id, Action.CONNECTION_MANAGE, kind)
        meta = store_file(settings, principal.tenant_id, connection_id, name, content, stream=kind)
        await store_credentials(
            settings,
            principal.tenant_id,
            connection_id,
            {"files": {**opened.files, kind: meta}},
            status="connected",
        )
        await record(
            principal.tenant_id,
            actor,
            "import.file_uploaded",
            object_type="connection",
            object_id=connection_id,
            details={"kind": kind, "size": meta["size"], "sha256": meta["sha256"]},
        )
    return _file_out(kind, meta, opened.config)


async def list_files(
    db: Database, settings: Settings, principal: Principal, connection_id: UUID
) -> list[FileOut]:
    """The connection's files, one per kind uploaded, and whether each mapping is confirmed."""
    async with db.transaction(principal.tenant_id, write=False):
        opened = await _open(settings, principal, connection_id, Action.CONNECTION_READ)
    return [
        _file_out(kind, opened.files[kind], opened.config) for kind in RECORD_KIND if kind in opened.files
    ]


def _head(content: bytes, name: str, limits: FileLimits, sheet: str | None, rows: int) -> Table:
    """The header row and the first ``rows`` data rows, read within the import limits."""
    lines = itertools.islice(file_rows(content, name, limits, sheet), rows + 50)
    table = shape(list(lines))
    return Table(table.headers, table.rows[:rows], table.header_line)


async def _saved(
    principal: Principal, workspace_id: UUID, kind: str
) -> tuple[dict[str, str], ReadSettings | None]:
    row = (
        await ImportMapping.select(ImportMapping.columns, ImportMapping.settings)
        .where(
            (ImportMapping.tenant_id == principal.tenant_id)
            & (ImportMapping.workspace_id == workspace_id)
            & (ImportMapping.kind == kind)
        )
        .first()
        .run()
    )
    if row is None:
        return {}, None
    columns, stored = (json.loads(v) if isinstance(v, str) else v for v in (row["columns"], row["settings"]))
    return dict(columns), msgspec.convert(stored, ReadSettings)


@dataclass(frozen=True)
class _Plan:
    """A file, the columns and settings to read it with, and where each pairing came from."""

    kind: str
    name: str
    sha256: str
    table: Table
    detected: Detected
    settings: ReadSettings
    confirmed: bool
    saved: dict[str, str]
    typed: bool = False

    def saved_fits(self) -> bool:
        """Whether the workspace's saved mapping applies to this file as a whole."""
        return (
            bool(self.saved)
            and all(h in self.table.headers for h in self.saved.values())
            and not _missing_required(self.kind, self.saved, self.settings)
        )


async def _plan(
    db: Database,
    settings: Settings,
    principal: Principal,
    connection_id: UUID,
    kind: str,
    overrides: dict[str, str],
    read: ReadSettings | None,
    rows: int,
    action: Action,
) -> _Plan:
    async with db.transaction(principal.tenant_id, write=False):
        opened = await _open(settings, principal, connection_id, action, kind)
        saved_columns, saved_settings = await _saved(principal, opened.workspace_id, kind)
    if read is not None and (wrong := settings_problems(read, "body.file_settings")):
        problems = [FieldProblem(field, reason) for field, reason in wrong]
        raise ValidationFailed("these settings cannot be used", problems=problems)
    meta = opened.files.get(kind)
    if meta is None:
        raise ValidationFailed(
            f"no {kind} file has been uploaded yet",
            problems=[FieldProblem("path.kind", f"upload the {kind} file first (PUT …/files/{kind})")],
        )
    content = load_upload(settings, principal.tenant_id, connection_id, kind)
    confirmed = opened.config.files.get(kind)  # type: ignore[call-overload]
    is_confirmed = bool(confirmed and confirmed.columns and confirmed.file_sha256 == meta["sha256"])
    chosen = read or (confirmed.settings if confirmed else None) or saved_settings or ReadSettings()
    table = await asyncio.to_thread(
        _head, content, str(meta["upload_name"]), FileLimits.from_settings(settings), chosen.sheet, rows
    )
    if is_confirmed and confirmed:
        detected = Detected(dict(confirmed.columns), dict.fromkeys(confirmed.columns, "confirmed"))
    else:
        detected = detect(kind, table.headers, saved_columns)
    if overrides:
        detected = _override(kind, table, detected, overrides)
        is_confirmed = False
    chosen = _with_metric(kind, detected, chosen)
    name = str(meta["upload_name"])
    return _Plan(
        kind,
        name,
        str(meta["sha256"]),
        table,
        detected,
        chosen,
        is_confirmed,
        saved_columns,
        is_xlsx(content, name),
    )


def _with_metric(kind: str, detected: Detected, read: ReadSettings) -> ReadSettings:
    """Feedback without a metric column: the metric the score column's wording names
    ("How likely are you to recommend …" is NPS) becomes the default the preview shows."""
    if kind != "feedback" or "metric" in detected.columns or read.defaults.get("metric"):
        return read
    metric = metric_from_wording(detected.columns.get("score", ""))
    if metric is None:
        return read
    return msgspec.structs.replace(read, defaults={**read.defaults, "metric": metric})


def _override(kind: str, table: Table, detected: Detected, overrides: dict[str, str]) -> Detected:
    """The detected mapping with a person's choices; unknown fields or headers are refused."""
    problems = _column_problems(kind, table, overrides, "body.columns")
    if problems:
        raise ValidationFailed("the mapping names fields or columns that do not exist", problems=problems)
    columns = dict(detected.columns)
    sources: dict[str, Source] = dict(detected.sources)
    for name, header in overrides.items():
        for other in [f for f, h in columns.items() if h == header and f != name]:
            columns.pop(other)
            sources.pop(other)
        if header:
            columns[name], sources[name] = header, "confirmed"
        else:
            columns.pop(name, None)
            sources.pop(name, None)
    ordered = {f: columns[f] for f in field_names(kind) if f in columns}
    return Detected(ordered, {f: sources[f] for f in ordered})


def _column_problems(kind: str, table: Table, columns: dict[str, str], where: str) -> list[FieldProblem]:
    known, headers = field_names(kind), set(table.headers)
    listed = ", ".join(h for h in table.headers if h)[:500]
    problems = []
    for name, header in columns.items():
        if name not in known:
            problems.append(
                FieldProblem(f"{where}.{name}", f"not a field of {kind} (fields: {', '.join(known)})")
            )
        elif header and header not in headers:
            problems.append(
                FieldProblem(f"{where}.{name}", f"the file has no column '{header[:80]}' (columns: {listed})")
            )
    seen: dict[str, str] = {}
    for name, header in columns.items():
        if header and header in seen:
            problems.append(
                FieldProblem(f"{where}.{name}", f"column '{header[:80]}' already fills {seen[header]}")
            )
        seen.setdefault(header, name)
    return problems


def _missing_required(kind: str, columns: dict[str, str], settings: ReadSettings) -> list[str]:
    needed = [spec.name for spec in FIELDS[kind] if spec.required]
    if kind == "feedback":
        needed.append("metric")
    return [name for name in needed if name not in columns and not settings.defaults.get(name)]


def _preview_value(value: Any) -> str | float | bool | list[str] | None:
    if isinstance(value, datetime):
        return value.isoformat()
    if value is None or isinstance(value, str | float | bool | list):
        return value
    return str(value) if not isinstance(value, int) else float(value)


def _rows_of(plan: _Plan) -> tuple[list[PreviewRow], list[ProblemOut]]:
    mapping = FileMapping(columns=plan.detected.columns, settings=plan.settings)
    mapper = RowMapper(plan.kind, plan.table, mapping, plan.name, plan.typed)
    rows, problems = [], []
    for line, cells in plan.table.rows:
        record_, found = mapper.map(line, cells)
        listed = [ProblemOut(p.row, p.column, p.field, p.reason) for p in found]
        values: dict[str, Any] = {}
        if record_ is not None:
            fields = ("external_id", *(f for f in field_names(plan.kind) if hasattr(record_, f)))
            values = {
                name: _preview_value(getattr(record_, name))
                for name in fields
                if getattr(record_, name) not in (None, [])
            }
        rows.append(PreviewRow(line, values, listed))
        problems += listed
    return rows, problems


def _preview_out(plan: _Plan, confirmed: bool) -> PreviewOut:
    rows, problems = _rows_of(plan)
    missing = _missing_required(plan.kind, plan.detected.columns, plan.settings)
    warnings = [] if "external_id" in plan.detected.columns else [NO_ID_WARNING]
    if not plan.table.headers:
        warnings.append("the file has no rows")
    mapping = [
        ColumnOut(name, header, plan.detected.sources[name]) for name, header in plan.detected.columns.items()
    ]
    return PreviewOut(
        plan.kind,
        plan.name,
        plan.sha256,
        [h for h in plan.table.headers],
        mapping,
        plan.detected.unmapped_headers(plan.table.headers),
        missing,
        plan.settings,
        rows,
        problems,
        len(rows),
        warnings,
        confirmed,
    )


async def preview(
    db: Database, settings: Settings, principal: Principal, connection_id: UUID, kind: str, data: PreviewIn
) -> PreviewOut:
    """The detected (or confirmed, or overridden) mapping and the first rows read with it, each
    with its problems naming row, column and field. Nothing is written."""
    plan = await _plan(
        db,
        settings,
        principal,
        connection_id,
        kind,
        dict(data.columns),
        data.file_settings,
        data.rows,
        Action.CONNECTION_MANAGE,
    )
    return _preview_out(plan, plan.confirmed)


async def confirm_mapping(
    db: Database,
    settings: Settings,
    principal: Principal,
    actor: Actor,
    connection_id: UUID,
    kind: str,
    data: MappingIn,
) -> PreviewOut:
    """Confirm the mapping of the connection's ``kind`` file and save it for the workspace."""
    plan = await _plan(
        db, settings, principal, connection_id, kind, {}, data.file_settings, 20, Action.CONNECTION_MANAGE
    )
    chosen = {name: header for name, header in data.columns.items() if header}
    problems = _column_problems(kind, plan.table, chosen, "body.columns")
    problems += [
        FieldProblem(f"body.columns.{name}", "required: map a column or give a file_settings default")
        for name in _missing_required(kind, chosen, data.file_settings)
    ]
    if problems:
        raise ValidationFailed("the mapping cannot be confirmed", problems=problems)
    ordered = {f: chosen[f] for f in field_names(kind) if f in chosen}
    confirmed = replace(
        plan,
        detected=Detected(ordered, dict.fromkeys(ordered, "confirmed")),
        settings=data.file_settings,
        confirmed=True,
    )
    await _save(db, principal, actor, connection_id, confirmed, "import.mapping_confirmed")
    return _preview_out(confirmed, True)


async def _save(
    db: Database, principal: Principal, actor: Actor, connection_id: UUID, plan: _Plan, action: str
) -> None:
    """Write the mapping into the connection's configuration and the workspace's saved one."""
    now = datetime.now(UTC)
    mapping = FileMapping(columns=plan.detected.columns, settings=plan.settings, file_sha256=plan.sha256)
    async with db.transaction(principal.tenant_id, principal.user_id):
        row = await load_connection(principal, connection_id, Action.CONNECTION_MANAGE)
        files = {**config_of(row).files, plan.kind: mapping}
        await (
            Connection.update(
                {
                    Connection.config: msgspec.json.encode(FileImportConfig(files=files)).decode(),
                    Connection.updated_at: now,
                }
            )
            .where((Connection.tenant_id == principal.tenant_id) & (Connection.id == connection_id))
            .run()
        )
        where = (
            (ImportMapping.tenant_id == principal.tenant_id)
            & (ImportMapping.workspace_id == row["workspace_id"])
            & (ImportMapping.kind == plan.kind)
        )
        columns = msgspec.json.encode(plan.detected.columns).decode()
        read = msgspec.json.encode(plan.settings).decode()
        await ImportMapping.delete().where(where).run()
        await ImportMapping.insert(
            ImportMapping(
                tenant_id=principal.tenant_id,
                workspace_id=row["workspace_id"],
                kind=plan.kind,
                columns=columns,
                settings=read,
                updated_by=principal.user_id,
                updated_at=now,
            )
        ).run()
        await record(
            principal.tenant_id,
            actor,
            action,
            object_type="connection",
            object_id=connection_id,
            details={"kind": plan.kind, "sha256": plan.sha256, "fields": sorted(plan.detected.columns)},
        )


async def start_import(
    db: Database, settings: Settings, queue: object, principal: Principal, actor: Actor, connection_id: UUID
) -> dict[str, Any]:
    """Start (or join) the import of every uploaded file as one sync job.

    A file whose mapping is not confirmed is imported with the workspace's saved mapping for
    its kind when that mapping fits it completely (every saved column present, every required
    field mapped); otherwise nothing starts and the answer names the files to confirm."""
    async with db.transaction(principal.tenant_id, write=False):
        opened = await _open(settings, principal, connection_id, Action.SYNC_RUN)
    if not opened.files:
        raise ValidationFailed(
            "no file has been uploaded yet",
            problems=[FieldProblem("files", "upload at least one file (PUT …/files/{kind})")],
        )
    problems = []
    for kind, meta in opened.files.items():
        if _file_out(kind, meta, opened.config).confirmed:
            continue
        plan = await _plan(db, settings, principal, connection_id, kind, {}, None, 1, Action.SYNC_RUN)
        if plan.saved_fits():
            saved = Detected(plan.saved, dict.fromkeys(plan.saved, "saved"))
            reused = replace(plan, detected=saved, confirmed=True)
            await _save(db, principal, actor, connection_id, reused, "import.mapping_reused")
        else:
            problems.append(
                FieldProblem(
                    f"files.{kind}",
                    f"confirm the column mapping of this file first (PUT …/files/{kind}/mapping)",
                )
            )
    if problems:
        raise ValidationFailed("some files have no confirmed column mapping", problems=problems)
    return await start_sync(db, queue, principal, connection_id)
