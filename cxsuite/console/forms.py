"""Reading a submitted form and turning an API refusal into errors next to the fields."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from litestar import Request

from cxsuite.console.api import ApiError


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
