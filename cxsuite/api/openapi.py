"""Corrections applied to the app after Litestar builds it, so the served contract is exact.

Each exists because of a gap between Litestar 2.25 and what clients (and schemathesis) rely
on; each is small and says which gap it closes, so it can go when Litestar closes it.
"""

from __future__ import annotations

from dataclasses import replace
from http import HTTPStatus

import msgspec
from litestar import Litestar
from litestar.openapi.spec import OpenAPIMediaType, OpenAPIResponse, Operation, Reference
from litestar.routes import HTTPRoute

from cxsuite.api.problems import PROBLEM_MEDIA_TYPE


def strict_struct_names() -> set[str]:
    """Names of every request Struct that refuses unknown fields."""
    names: set[str] = set()
    pending = list(msgspec.Struct.__subclasses__())
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        if cls.__struct_config__.forbid_unknown_fields:
            names.add(cls.__name__)
    return names


def declare_closed_request_bodies(app: Litestar) -> None:
    """Mark strict request bodies ``additionalProperties: false`` in the schema.

    msgspec refuses unknown fields when a Struct says ``forbid_unknown_fields``, but Litestar
    does not say so in the OpenAPI document, so clients would believe extra fields are fine.
    """
    strict = strict_struct_names()
    schemas = app.openapi_schema.components.schemas or {}
    for name, schema in schemas.items():
        if name.rsplit("_", 1)[-1] in strict or name in strict:
            schema.additional_properties = False


def repair_options_allow(app: Litestar) -> None:
    """Make automatic ``OPTIONS`` answers list every method of their path.

    Litestar builds the automatic OPTIONS handler on the first route object it makes for a
    path and keeps it when it merges handlers into the final route, so a path with GET and POST
    answered ``Allow: GET, OPTIONS``. Rebinding the handler to the final route fixes ``Allow``.
    """
    for route in app.routes:
        if not isinstance(route, HTTPRoute) or "OPTIONS" not in route.route_handler_map:
            continue
        handler, _ = route.route_handler_map["OPTIONS"]
        for cell in handler.fn.__closure__ or ():
            if isinstance(cell.cell_contents, HTTPRoute):
                cell.cell_contents = route


def declare_input_problems(app: Litestar) -> None:
    """Document on every operation the problems the input limits can answer.

    Every request passes :mod:`cxsuite.api.input_limits` before its handler, so any operation
    can answer 400 (too deep, too long) or 422 (a NUL character), and any operation with a body
    413, as problem details (also where the handler's own answer for that status is HTML);
    handlers list only the errors of their own logic, so the schema would otherwise contradict
    the server.
    """
    problem = OpenAPIResponse(description="", content={PROBLEM_MEDIA_TYPE: OpenAPIMediaType(
        schema=Reference(ref="#/components/schemas/Problem"))})
    for item in (app.openapi_schema.paths or {}).values():
        for method in ("get", "put", "post", "delete", "patch"):
            operation: Operation | None = getattr(item, method, None)
            if operation is None:
                continue
            responses = operation.responses = operation.responses or {}
            statuses = (400, 422, 413) if operation.request_body else (400, 422)
            for status in statuses:
                documented = responses.setdefault(str(status), replace(
                    problem, description=HTTPStatus(status).phrase, content=dict(problem.content or {})))
                if isinstance(documented, OpenAPIResponse):  # e.g. the OAuth callback's HTML 422
                    documented.content = {**(documented.content or {}), **(problem.content or {})}
