"""Every operation the served OpenAPI schema lists is documented for a reader of the schema:
a summary, a description and an example (of the answer, or of the request where the answer
has no body). Routes added later are checked without anyone listing them here; the failure
names every offender, so whoever merges a route sees at once what it lacks."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.anyio

METHODS = ("get", "put", "post", "delete", "patch")


def _has_example(media: dict) -> bool:
    return "example" in media or bool(media.get("examples")) or bool((media.get("schema") or {}).get("examples"))


def example_of(operation: dict) -> bool:
    """Whether a 2xx answer (or, when no answer has a body, the request) carries an example; an
    operation with neither input nor answer body shows the example call in its description."""
    answers = [r for status, r in operation.get("responses", {}).items() if status.startswith("2")]
    bodies = [m for r in answers for m in (r.get("content") or {}).values()]
    if bodies:
        return any(_has_example(m) for m in bodies)
    request = [m for m in ((operation.get("requestBody") or {}).get("content") or {}).values()]
    return any(_has_example(m) for m in request) or any(p.get("example") is not None or p.get("examples")
                                                        for p in operation.get("parameters", [])) or (
        "Example: `" in operation.get("description", ""))


async def test_every_operation_has_a_summary_a_description_and_an_example(client):
    schema = (await client.get("/schema/openapi.json")).json()
    lacking: dict[str, list[str]] = {"summary": [], "description": [], "example": []}
    count = 0
    for path, item in schema["paths"].items():
        for method in METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            count += 1
            name = f"{method.upper()} {path}"
            if not (operation.get("summary") or "").strip():
                lacking["summary"].append(name)
            if not (operation.get("description") or "").strip():
                lacking["description"].append(name)
            if not example_of(operation):
                lacking["example"].append(name)
    assert count > 50
    offenders = {what: names for what, names in lacking.items() if names}
    assert not offenders, "operations missing documentation:\n" + "\n".join(
        f"  no {what}: {', '.join(names)}" for what, names in offenders.items())


async def test_a_summary_is_a_short_phrase_not_the_handler_name(client):
    """Litestar's default summary is the handler's name ("GetRun"); ours is the first sentence
    of the handler's docstring."""
    schema = (await client.get("/schema/openapi.json")).json()
    unpublish = schema["paths"]["/api/v1/reports/{report_id}/unpublish"]["post"]
    assert unpublish["summary"] == "Take a published report back"
    assert "no longer see or\ndownload it" in unpublish["description"]
    example = unpublish["responses"]["200"]["content"]["application/json"]["example"]
    assert {"id", "published", "published_at"} <= set(example)
