"""File-import endpoints on a ``file_import`` connection: upload a kind's file, preview it,
confirm its column mapping, start the import. Thin: each calls :mod:`cxsuite.imports.service`."""

from __future__ import annotations

from functools import partial
from typing import Annotated
from uuid import UUID

from litestar import Controller, Request, Response, get, post, put
from litestar.datastructures import State
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, MultipartBody, PathParameter

from cxsuite.access.permissions import Action
from cxsuite.access.principal import Principal
from cxsuite.api.guards import requires
from cxsuite.api.problems import errors
from cxsuite.api.types import UploadForm
from cxsuite.audit.service import Actor
from cxsuite.db.session import Database
from cxsuite.imports import service
from cxsuite.imports.schemas import FileOut, MappingIn, PreviewIn, PreviewOut
from cxsuite.jobs.controllers import start_once
from cxsuite.jobs.idempotency import IdempotencyKeyHeader
from cxsuite.jobs.schemas import JobOut
from cxsuite.settings import Settings

Kind = Annotated[
    str,
    PathParameter(description="customers, deals (orders), tickets, interactions or feedback", max_length=20),
]


class FileImportController(Controller):
    """The files of a file-import connection and their import."""

    path = "/connections/{connection_id:uuid}"
    tags = ["file import"]

    @get("/files", guards=[requires(Action.CONNECTION_READ)], responses=errors(401, 403, 404, 422))
    async def list_files(
        self,
        connection_id: FromPath[UUID],
        db: NamedDependency[Database],
        settings: NamedDependency[Settings],
        principal: NamedDependency[Principal],
    ) -> list[FileOut]:
        """The uploaded files, one per kind, and whether each one's column mapping is confirmed."""
        return await service.list_files(db, settings, principal, connection_id)

    @put(
        "/files/{kind:str}",
        status_code=200,
        guards=[requires(Action.CONNECTION_MANAGE)],
        opt={"max_body_setting": "upload_max_bytes"},
        responses=errors(400, 401, 403, 404, 413, 422),
    )
    async def upload(
        self,
        connection_id: FromPath[UUID],
        kind: Kind,
        data: MultipartBody[UploadForm],
        db: NamedDependency[Database],
        settings: NamedDependency[Settings],
        principal: NamedDependency[Principal],
        actor: NamedDependency[Actor],
    ) -> FileOut:
        """Upload (or replace) the CSV or XLSX export of one kind (up to 20 MB by default).

        A workbook that would unpack beyond the configured limits (a zip or shared-strings
        bomb) is refused with 422 naming the limit; nothing is read into records yet."""
        content = await data.file.read()
        return await service.upload_file(
            db, settings, principal, actor, connection_id, kind, data.file.filename or "upload", content
        )

    @post(
        "/files/{kind:str}/preview",
        status_code=200,
        guards=[requires(Action.CONNECTION_MANAGE)],
        responses=errors(400, 401, 403, 404, 422),
    )
    async def preview(
        self,
        connection_id: FromPath[UUID],
        kind: Kind,
        data: JSONBody[PreviewIn],
        db: NamedDependency[Database],
        settings: NamedDependency[Settings],
        principal: NamedDependency[Principal],
    ) -> PreviewOut:
        """The detected column mapping and the first rows read with it, each row's problems
        naming its row, column and field; ``columns`` and ``settings`` try other choices.
        Nothing is written."""
        return await service.preview(db, settings, principal, connection_id, kind, data)

    @put(
        "/files/{kind:str}/mapping",
        status_code=200,
        guards=[requires(Action.CONNECTION_MANAGE)],
        responses=errors(400, 401, 403, 404, 422),
    )
    async def confirm_mapping(
        self,
        connection_id: FromPath[UUID],
        kind: Kind,
        data: JSONBody[MappingIn],
        db: NamedDependency[Database],
        settings: NamedDependency[Settings],
        principal: NamedDependency[Principal],
        actor: NamedDependency[Actor],
    ) -> PreviewOut:
        """Confirm which column fills which field, and the time zone, date format and separators
        to read with; saved for the workspace, so the next file of this kind starts from it."""
        return await service.confirm_mapping(db, settings, principal, actor, connection_id, kind, data)

    @post(
        "/import",
        status_code=202,
        guards=[requires(Action.SYNC_RUN)],
        responses=errors(401, 403, 404, 409, 422),
    )
    async def start(
        self,
        connection_id: FromPath[UUID],
        request: Request,
        state: State,
        db: NamedDependency[Database],
        settings: NamedDependency[Settings],
        principal: NamedDependency[Principal],
        actor: NamedDependency[Actor],
        idempotency_key: IdempotencyKeyHeader = None,
    ) -> Response[JobOut]:
        """Import every uploaded file (a sync job; follow it at ``Location``). A file whose
        mapping is not confirmed answers 422 naming it, unless the workspace's saved mapping
        for its kind fits it. Re-importing the same files changes nothing."""
        return await start_once(
            request,
            db,
            principal,
            idempotency_key,
            partial(service.start_import, db, settings, state.queue, principal, actor, connection_id),
        )
