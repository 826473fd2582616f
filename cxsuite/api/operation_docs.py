"""Every operation of the OpenAPI schema documented from its handler: summary, description, example.

Litestar names an operation after its handler ("GetRun") and leaves the description empty
unless told otherwise, and shows no example. A reader of the schema (and of Swagger UI) needs
to know what an operation is for and what its answer looks like, and the handlers already say
the first in their docstrings. So, once the app is built:

- the **summary** is the docstring's first sentence (a handler may still set ``summary=``);
- the **description** is the whole docstring;
- the **example** of each 2xx JSON answer is built from its schema — a field's own
  ``examples`` first, else a value of its type and format within its bounds — and other
  media types (PDF, XLSX, HTML, server-sent events) get a short sample of what they carry.
  Where no answer has a body (204), the request body, or else the path parameters, get one;
  an operation with neither input nor answer body gets the example call in its description.

``tests/api/test_openapi_documented.py`` fails naming every operation that still lacks one.
"""

from __future__ import annotations

import inspect
import re
from typing import Any

from litestar import Litestar
from litestar.openapi.spec import OpenAPIMediaType, Operation, Reference
from litestar.routes import HTTPRoute

METHODS = ("get", "put", "post", "delete", "patch")
MAX_SUMMARY = 120
SHORT_SUMMARY, MIN_SUMMARY = 80, 15
MIN_WORDS = 3
MAX_DEPTH = 6
FORMAT_EXAMPLES: dict[str, Any] = {
    "uuid": "3fa85f64-5717-4562-b3fc-2c963f66afa6", "date-time": "2026-01-15T09:30:00Z",
    "date": "2026-01-15", "time": "09:30:00", "email": "ada@example.com", "uri": "https://example.com/",
    "duration": "P1D", "ipv4": "192.0.2.10", "ipv6": "2001:db8::10",
}
MEDIA_EXAMPLES = {
    "application/pdf": "%PDF-1.7 … (the rendered report)",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "PK… (the evidence workbook)",
    "text/html": "<!doctype html><html lang='en'>…</html>",
    "text/event-stream": 'event: progress\ndata: {"status": "running", "progress": 0.4}\n\n',
    "text/plain": "ok",
    "text/csv": "id,name\n1,Example\n",
}


def document_operations(app: Litestar) -> None:
    """Fill in the summary, description and example of every operation (see the module)."""
    schema = app.openapi_schema
    components = {name: s.to_schema() for name, s in ((schema.components.schemas or {}).items())}
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        item = (schema.paths or {}).get(route.path_format)
        for method, (handler, _) in route.route_handler_map.items():
            operation: Operation | None = getattr(item, method.lower(), None) if item else None
            if operation is None or method.lower() not in METHODS:
                continue
            doc = inspect.getdoc(handler.fn) or ""
            if doc and handler.summary is None:
                operation.summary = summary_of(handler.fn.__name__, doc)
            if doc and not operation.description:
                operation.description = doc
            if not add_example(operation, components):
                operation.description = (f"{operation.description or ''}\n\nExample: `{method.upper()} "
                                         f"{route.path_format}` answers {_success(operation)} with no body.")


def _success(operation: Operation) -> str:
    return next((str(status) for status in (operation.responses or {}) if str(status).startswith("2")), "2xx")


def summary_of(name: str, doc: str) -> str:
    """The docstring's first sentence; one too short to say what the operation does alone
    ("Newest first", "The tenant") follows the handler's name ("List events: newest first",
    "Read the tenant")."""
    sentence = first_sentence(doc)
    if len(sentence.split()) >= MIN_WORDS:
        return sentence
    action = name.strip("_").replace("_", " ").capitalize()
    joint = ": " if " " in action else " "
    return f"{action}{joint}{sentence[:1].lower()}{sentence[1:]}"


def first_sentence(doc: str) -> str:
    """The docstring's first sentence without its full stop; a long one up to its first colon,
    semicolon or parenthesis; at most ``MAX_SUMMARY`` characters."""
    paragraph = " ".join(doc.split("\n\n", 1)[0].split()).replace("``", "")
    sentence = re.split(r"(?<!e\.g\.)(?<!i\.e\.)(?<=[.!?])\s", paragraph, maxsplit=1)[0].rstrip(".")
    if len(sentence) > SHORT_SUMMARY:
        head = re.split(r"[:;]\s| \(| — ", sentence, maxsplit=1)[0]
        sentence = head if len(head) >= MIN_SUMMARY else sentence
    return sentence if len(sentence) <= MAX_SUMMARY else sentence[: MAX_SUMMARY - 1].rstrip() + "…"


def add_example(operation: Operation, components: dict[str, dict[str, Any]]) -> bool:
    """Examples for the 2xx answers; where none has a body, for the request or its path
    parameters. ``False`` when there is nothing to give one to."""
    answered = False
    for status, response in (operation.responses or {}).items():
        if not str(status).startswith("2") or isinstance(response, Reference):
            continue
        for media_type, media in (response.content or {}).items():
            answered = True
            _fill(media, media_type, components)
    if answered:
        return True
    body = operation.request_body
    if body is not None and not isinstance(body, Reference) and body.content:
        for media_type, media in body.content.items():
            _fill(media, media_type, components)
        return True
    parameters = [p for p in operation.parameters or [] if not isinstance(p, Reference)]
    for parameter in parameters:
        if parameter.example is None and not parameter.examples:
            schema = parameter.schema.to_schema() if parameter.schema is not None else {}
            parameter.example = sample(schema, components)
    return bool(parameters)


def _fill(media: OpenAPIMediaType, media_type: str, components: dict[str, dict[str, Any]]) -> None:
    if media.example is not None or media.examples:
        return
    if "json" in media_type:
        schema = media.schema.to_schema() if media.schema is not None else {}
        media.example = sample(schema, components)
    else:
        media.example = MEDIA_EXAMPLES.get(media_type.split(";")[0], f"(the {media_type} content)")


def sample(schema: dict[str, Any], components: dict[str, dict[str, Any]], depth: int = 0) -> Any:
    """A value that satisfies ``schema``: its own example first, else one made from its type."""
    if "$ref" in schema:
        if depth > MAX_DEPTH:
            return None
        return sample(components.get(schema["$ref"].rsplit("/", 1)[-1], {}), components, depth + 1)
    for key in ("examples", "enum"):
        if schema.get(key):
            return schema[key][0]
    for key in ("example", "const", "default"):
        if key in schema and schema[key] is not None:
            return schema[key]
    for key in ("oneOf", "anyOf", "allOf"):
        options = [s for s in schema.get(key, []) if s.get("type") != "null"]
        if options:
            return sample(options[0], components, depth)
    kind = schema.get("type", "object" if "properties" in schema else "string")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "null")
    return _of_type(kind, schema, components, depth)


def _of_type(kind: str, schema: dict[str, Any], components: dict[str, dict[str, Any]], depth: int) -> Any:
    if kind == "object":
        if depth > MAX_DEPTH:
            return {}
        properties = schema.get("properties", {})
        return {name: sample(sub, components, depth + 1) for name, sub in properties.items()}
    if kind == "array":
        return [] if depth > MAX_DEPTH else [sample(schema.get("items", {}), components, depth + 1)]
    if kind == "integer":
        return max(int(schema.get("minimum", 1)), min(1, int(schema.get("maximum", 1))))
    if kind == "number":
        return float(max(schema.get("minimum", 1.5), min(1.5, schema.get("maximum", 1.5))))
    if kind == "boolean":
        return True
    if kind == "null":
        return None
    if schema.get("format") in FORMAT_EXAMPLES:
        return FORMAT_EXAMPLES[schema["format"]]
    text = "example"
    low, high = int(schema.get("minLength", 0)), int(schema.get("maxLength", 10_000))
    return (text * (low // len(text) + 1))[: max(low, min(len(text), high))]
