"""RFC 9457 problem details for every error, naming the field and the reason.

One mapping for the whole app: cxsuite's own errors, Litestar's validation and HTTP errors,
and anything unexpected (a generic 500 with no stack trace or internals in the body).
"""

from __future__ import annotations

import logging
from typing import Any

import msgspec
from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException, ValidationException
from litestar.openapi.datastructures import ResponseSpec
from litestar.status_codes import HTTP_413_REQUEST_ENTITY_TOO_LARGE, HTTP_500_INTERNAL_SERVER_ERROR

from cxsuite.access.principal import Principal
from cxsuite.access.wording import for_reader
from cxsuite.errors import CxsuiteError, FieldProblem, TooManyRequests

log = logging.getLogger("cxsuite.api")

PROBLEM_MEDIA_TYPE = "application/problem+json"
TYPE_BASE = "https://cxsuite.dev/problems/"


class ChoiceOut(msgspec.Struct):
    """A value the field may take and its name (``{"value": "<tenant id>", "label": "Acme"}``)."""

    value: str
    label: str


class FieldError(msgspec.Struct, omit_defaults=True):
    """One invalid input; ``limit`` is the configured bound it crossed, when there is one;
    ``choices`` the values it may take, each with its name, when the caller must pick one."""

    field: str
    reason: str
    limit: int | None = None
    choices: list[ChoiceOut] | None = None


class Problem(msgspec.Struct, omit_defaults=True):
    """The body of every error response (``application/problem+json``)."""

    type: str
    title: str
    status: int
    detail: str = ""
    instance: str = ""
    errors: list[FieldError] = msgspec.field(default_factory=list)


def problem_response(request: Request, status: int, title: str, detail: str,
                     errors: list[FieldProblem] | None = None,
                     headers: dict[str, str] | None = None) -> Response[Problem]:
    """Build the response; ``type`` is a stable slug per status."""
    slug = title.lower().replace(" ", "-")
    body = Problem(type=TYPE_BASE + slug, title=title, status=status, detail=detail,
                   instance=request.url.path,
                   errors=[FieldError(e.field, e.reason, e.limit,
                                      [ChoiceOut(c.value, c.label) for c in e.choices] or None)
                           for e in errors or []])
    return Response(body, status_code=status, media_type=PROBLEM_MEDIA_TYPE, headers=headers)


def handle_cxsuite_error(request: Request, exc: CxsuiteError) -> Response[Problem]:
    """Our own errors carry their status, title, detail and field problems."""
    headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, TooManyRequests) else None
    if exc.status_code >= 500:
        log.error("request failed: %s", exc.detail)
    reader = request.scope.get("user")
    detail = for_reader(exc.detail, reader if isinstance(reader, Principal) else None)
    return problem_response(request, exc.status_code, exc.title, detail, exc.problems, headers)


def handle_validation_error(request: Request, exc: ValidationException) -> Response[Problem]:
    """Litestar's decode and parameter errors: each becomes ``{field, reason}``."""
    errors = [_field_problem(item) for item in exc.extra or []] if isinstance(exc.extra, list) else []
    if not errors:
        errors = [FieldProblem("body", exc.detail)]
    return problem_response(request, 400, "Invalid request", "the request does not match the "
                            "schema; see errors", errors)


def _field_problem(item: Any) -> FieldProblem:
    """``{field, reason}`` from one Litestar error entry, locating the field from msgspec's path."""
    if not isinstance(item, dict):
        return FieldProblem("body", str(item))
    raw_source = item.get("source") or "body"
    source = str(getattr(raw_source, "value", raw_source))  # Litestar passes a ParamType enum
    key = "" if item.get("key") in (None, "data") else str(item["key"])
    message = str(item.get("message", "invalid value"))
    if "at `$." in message:
        message, _, path = message.partition(" - at `$.")
        key = path.rstrip("`")
    if "unknown field `" in message:
        key = message.split("unknown field `", 1)[1].rsplit("`", 1)[0]
        message = "unknown field; this object accepts only the documented fields"
    return FieldProblem(f"{source}.{key}" if key else source, _plain(message))


def _plain(message: str) -> str:
    """msgspec's reasons, with regular expressions replaced by words a person can act on."""
    if "matching regex" in message:
        return "contains characters or a format that is not allowed (see the field's description)"
    return message


def handle_http_error(request: Request, exc: HTTPException) -> Response[Problem]:
    """Routing errors (404, 405), body too large (413, naming the route's limit) and the like."""
    headers = dict(exc.headers) if exc.headers else None
    problems = None
    if exc.status_code == HTTP_413_REQUEST_ENTITY_TOO_LARGE:
        limit = request.route_handler.resolve_request_max_body_size()
        problems = [FieldProblem("body", f"larger than {limit:,} bytes (CXSUITE_REQUEST_MAX_BODY_BYTES, "
                                 "or CXSUITE_UPLOAD_MAX_BYTES for uploads)", limit)]
    return problem_response(request, exc.status_code, _title(exc.status_code), exc.detail,
                            problems, headers=headers)


def handle_unexpected(request: Request, exc: Exception) -> Response[Problem]:
    """A bug: logged with its traceback, answered without internals."""
    log.exception("unhandled error on %s %s", request.method, request.url.path)
    return problem_response(request, HTTP_500_INTERNAL_SERVER_ERROR, "Internal error",
                            "something went wrong on our side; it has been logged")


def _title(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


EXCEPTION_HANDLERS = {
    CxsuiteError: handle_cxsuite_error,
    ValidationException: handle_validation_error,
    HTTPException: handle_http_error,
    Exception: handle_unexpected,
}


def errors(*statuses: int) -> dict[int, ResponseSpec]:
    """OpenAPI entries for the problem responses a handler can give, so clients see them."""
    return {status: ResponseSpec(data_container=Problem, media_type=PROBLEM_MEDIA_TYPE,
                                 description=_title(status)) for status in statuses}


__all__ = ["EXCEPTION_HANDLERS", "MediaType", "Problem", "errors", "problem_response"]
