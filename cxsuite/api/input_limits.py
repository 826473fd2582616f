"""Bounds every request passes before a handler decodes it: JSON nesting depth, string length
and characters no database can store.

Why at the edge, once, for every route: msgspec has no depth limit of its own and a 6 KB body
nested 1,000 deep makes it raise ``RecursionError`` (a 500); PostgreSQL refuses U+0000 in text
and JSON (another 500) while SQLite stores it, so the two databases would disagree. Checking
the raw request here covers every present and future route, query parameters included, with
a problem naming the field and the limit. Lone UTF-16 surrogates, the other character a
database cannot store, never get this far: msgspec refuses them as malformed JSON.

The checks are cheap when nothing is wrong: the depth is scanned only when the body holds more
brackets than the limit, and the decoded body is walked only when it could hold a NUL (a
``\\u0000`` escape) or a string over the limit (a body longer than the limit).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import msgspec
from litestar import Litestar, Request
from litestar.routes import HTTPRoute

from cxsuite.errors import BadRequest, FieldProblem, ValidationFailed
from cxsuite.settings import Settings

JSON_MEDIA = re.compile(r"^application/(?:[\w.+-]+\+)?json\b", re.IGNORECASE)
STRINGS = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"')
NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")
NUL_ESCAPE = re.compile(rb"\\u0000")
UNSTORABLE = "\x00"
MULTIPART_SLACK = 100_000  # part headers and boundaries around an uploaded file


def apply_body_limits(app: Litestar, settings: Settings) -> None:
    """Give routes marked ``opt={"max_body_setting": "upload_max_bytes"}`` that setting's limit.

    A handler's ``request_max_body_size`` is fixed when the module is imported, before
    settings exist; the upload route's limit is a setting, so it is applied here, before the
    first request resolves (and caches) it.
    """
    for route in app.routes:
        if isinstance(route, HTTPRoute):
            for handler in route.route_handlers:
                if name := handler.opt.get("max_body_setting"):
                    handler.request_max_body_size = getattr(settings, name) + MULTIPART_SLACK


async def check_request_input(request: Request) -> None:
    """Litestar ``before_request`` hook: refuse input over the limits before any decoding."""
    settings: Settings = request.app.state.settings
    for source, values in (("query", request.query_params.items()), ("path", request.path_params.items())):
        for name, value in values:
            for text in (name, value):
                if isinstance(text, str):
                    check_text(f"{source}.{printable(name)}", text, settings.json_max_string_chars)
    if JSON_MEDIA.match(request.headers.get("content-type", "")):
        check_json_body(await request.body(), settings)


def check_json_body(body: bytes, settings: Settings) -> None:
    """Depth first (decoding a too-deep body is the danger), then strings, on the raw body."""
    depth_limit = settings.json_max_depth
    if body.count(b"[") + body.count(b"{") > depth_limit and json_depth(body, depth_limit) > depth_limit:
        raise BadRequest("the JSON body is nested too deeply", problems=[FieldProblem(
            "body", f"objects and arrays nested more than {depth_limit} deep "
            "(CXSUITE_JSON_MAX_DEPTH)", depth_limit)])
    length_limit = settings.json_max_string_chars
    if len(body) <= length_limit and not NUL_ESCAPE.search(body):
        return
    try:
        decoded = msgspec.json.decode(body)
    except msgspec.DecodeError:
        return  # malformed: the handler's own decoding says where
    for where, text in strings_in(decoded, "body"):
        check_text(where, text, length_limit)


def json_depth(body: bytes, stop_above: int) -> int:
    """The deepest nesting of objects and arrays (brackets inside strings ignored), counted
    no further than one level past ``stop_above``."""
    depth = deepest = 0
    for bracket in STRINGS.sub(b"", body).translate(None, NOT_BRACKETS):
        depth += 1 if bracket in b"[{" else -1
        deepest = max(deepest, depth)
        if deepest > stop_above:
            break
    return deepest


def strings_in(value: Any, where: str) -> Iterator[tuple[str, str]]:
    """Every string of a decoded JSON value (keys too) with its path as problems name it
    (``body.config.columns.score``, ``body.items[2]``)."""
    pending = [(where, value)]
    while pending:
        path, item = pending.pop()
        if isinstance(item, str):
            yield path, item
        elif isinstance(item, dict):
            for key, child in item.items():
                yield f"{path}.{printable(key)}", key
                pending.append((f"{path}.{printable(key)}", child))
        elif isinstance(item, list):
            pending.extend((f"{path}[{index}]", child) for index, child in enumerate(item))


def printable(name: str) -> str:
    """A field name fit for a problem body even when the name itself is the bad input."""
    return name.replace(UNSTORABLE, "\\u0000")[:100]


def check_text(field: str, text: str, length_limit: int) -> None:
    """A string no database can store is 422; one over the length limit is 400."""
    if UNSTORABLE in text:
        raise ValidationFailed("the input holds a character that cannot be stored", problems=[
            FieldProblem(field, "contains a NUL character (U+0000), which cannot be stored")])
    if len(text) > length_limit:
        raise BadRequest("the input holds a string that is too long", problems=[FieldProblem(
            field, f"longer than {length_limit:,} characters (CXSUITE_JSON_MAX_STRING_CHARS)",
            length_limit)])
