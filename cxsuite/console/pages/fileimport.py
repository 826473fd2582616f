"""File import on a ``file_import`` connection: upload a file per kind, preview it with the
detected mapping and each row's problems, confirm or override the mapping, start the import.
Every step is the /api/v1 file-import route (docs/file-import.md); nothing is decided here."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Controller, Request, Response, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath

from cxsuite.console.api import ApiError
from cxsuite.console.context import Console, redirect, shown
from cxsuite.console.forms import FormState, form_of, refusable, send_file
from cxsuite.imports.fields import FIELDS, field_names

KINDS = tuple(FIELDS)


class FileImportPages(Controller):
    """The files of one file-import connection and their import."""

    @get("/c/{connection_id:uuid}/files")
    async def files(self, request: Request, connection_id: FromPath[UUID]) -> Response[Any]:
        """One row per kind: the uploaded file, whether its mapping is confirmed, an upload form."""
        return await shown(request, _files_page, connection_id)

    @post("/c/{connection_id:uuid}/files/{kind:str}", opt={"max_body_setting": "upload_max_bytes"})
    async def upload(self, request: Request, connection_id: FromPath[UUID],
                     kind: FromPath[str]) -> Response[Any]:
        """Upload (or replace) one kind's file, then show its preview."""
        async with await Console.open(request) as c:
            refused = await send_file(c, "PUT", f"/connections/{connection_id}/files/{kind}")
            if refused:
                return await _files_page(c, connection_id, refused.status, kind, refused.form)
            return redirect(f"/c/{connection_id}/files/{kind}")

    @get("/c/{connection_id:uuid}/files/{kind:str}")
    async def preview(self, request: Request, connection_id: FromPath[UUID],
                      kind: FromPath[str]) -> Response[Any]:
        """The detected (or saved, or confirmed) mapping and the first rows read with it."""
        return await shown(request, _preview_page, connection_id, kind)

    @post("/c/{connection_id:uuid}/files/{kind:str}/mapping")
    async def confirm(self, request: Request, connection_id: FromPath[UUID],
                      kind: FromPath[str]) -> Response[Any]:
        """Confirm the mapping as chosen in the form (``col.<field>``: a header or empty)."""
        values = await form_of(request)
        columns = {k.removeprefix("col."): v for k, v in values.items() if k.startswith("col.") and v}
        _known(kind)
        async with await Console.open(request) as c:
            try:
                await c.api.call("PUT", f"/connections/{connection_id}/files/{kind}/mapping",
                                 json={"columns": columns})
            except ApiError as error:
                if not refusable(error):
                    raise
                errors = {k.removeprefix("columns."): v for k, v in error.fields.items()}
                state = FormState(values=values, errors=errors,
                                  summary=error.detail if not errors else "")
                # The preview shows the file as detected; the selects keep the person's choices.
                return await _preview_page(c, connection_id, kind, status=error.status, form=state)
            return redirect(f"/c/{connection_id}/files", "mapping-confirmed")

    @post("/c/{connection_id:uuid}/import")
    async def start(self, request: Request, connection_id: FromPath[UUID]) -> Response[Any]:
        """Import every uploaded file and watch the job live."""
        async with await Console.open(request) as c:
            try:
                job = await c.api.post(f"/connections/{connection_id}/import")
            except ApiError as error:
                if not refusable(error):
                    raise
                return await _files_page(c, connection_id, status=error.status, import_form=FormState(
                    errors={k.removeprefix("files."): v for k, v in error.fields.items()},
                    summary=error.detail))
            return redirect(f"/jobs/{job['id']}?back=/c/{connection_id}/files")


async def _files_page(c: Console, connection_id: UUID, status: int = 200, kind: str = "",
                      form: FormState | None = None, import_form: FormState | None = None) -> Response[str]:
    connection = await c.api.get(f"/connections/{connection_id}")
    uploaded = {f["kind"]: f for f in await c.api.get(f"/connections/{connection_id}/files")}
    return c.page("files.html", status_code=status, connection=connection, kinds=KINDS, uploaded=uploaded,
                  failed_kind=kind, form=form or FormState(), import_form=import_form or FormState(),
                  role=c.role_in(connection["workspace_id"]))


def _known(kind: str) -> str:
    """A kind of file the import reads; any other path is a page that does not exist."""
    if kind not in KINDS:
        raise NotFoundException()
    return kind


async def _preview_page(c: Console, connection_id: UUID, kind: str, status: int = 200,
                        form: FormState | None = None) -> Response[str]:
    _known(kind)
    connection = await c.api.get(f"/connections/{connection_id}")
    preview = await c.api.post(f"/connections/{connection_id}/files/{kind}/preview", {})
    chosen = {m["field"]: m["header"] for m in preview["mapping"]}
    return c.page("file_preview.html", status_code=status, connection=connection, kind=kind, preview=preview,
                  fields=field_names(kind), chosen=chosen, form=form or FormState())
