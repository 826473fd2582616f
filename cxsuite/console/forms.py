"""Reading a submitted form and turning an API refusal into errors next to the fields."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from litestar import Request

from cxsuite.console.api import ApiError

if TYPE_CHECKING:
    from cxsuite.console.context import Console


async def form_of(request: Request) -> dict[str, str]:
    """The submitted fields as plain strings (the CSRF field left out)."""
    form = await request.form()
    return {k: v.strip() if isinstance(v, str) else v for k, v in form.items() if k != "_csrf_token"}


@dataclass
class FormState:
    """What a form shows again after a refusal: the values sent, and why each was refused."""

    values: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    summary: str = ""

    @classmethod
    def refused(cls, values: dict[str, Any], error: ApiError, *, known: tuple[str, ...] = ()) -> FormState:
        """Field reasons go next to their field; the rest (and the detail) on top."""
        errors = {}
        loose = []
        for name, reason in error.fields.items():
            if name in known or name in values:
                errors[name] = reason
            else:
                loose.append(reason)
        summary = "; ".join([error.detail, *loose]) if (loose or not errors) else ""
        safe = {k: v for k, v in values.items() if "password" not in k}
        return cls(safe, errors, summary.strip("; "))


def refusable(error: ApiError) -> bool:
    """Errors the person can fix in the form itself (the rest get an error page)."""
    return error.status in (400, 401, 409, 422, 429)


@dataclass
class Refused:
    """Why a form was not taken: the status to answer with, and the form to show again."""

    status: int
    form: FormState


async def send_file(c: Console, method: str, path: str) -> Refused | None:
    """Send the form's ``file`` to the API as it was uploaded; ``None`` once the API took it,
    else the refusal (no file chosen, or the API's reasons, a size limit included) for the
    file field."""
    upload = (await c.request.form()).get("file")
    if upload is None or isinstance(upload, str) or not upload.filename:
        return Refused(400, FormState(errors={"file": c.translate("Choose a file to upload.")}))
    content = await upload.read()
    try:
        await c.api.call(method, path, files={"file": (upload.filename, content, upload.content_type)})
    except ApiError as error:
        if not refusable(error) and error.status != 413:
            raise
        reasons = "; ".join([error.detail, *error.fields.values()]).strip("; ")
        return Refused(error.status, FormState(errors={"file": reasons}))
    return None
