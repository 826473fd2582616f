"""Security headers, the request id and the API explorer, against the served app: JSON and
HTML responses, errors and unknown routes; HSTS only over HTTPS and only from a trusted proxy
(real `cxsuite serve` processes); Swagger UI served from the package with nothing external."""

from __future__ import annotations

import logging
import re
from urllib.parse import urlsplit

import anyio
import httpx
import pytest

from tests.ops.served import deployed, deployment_env

pytestmark = pytest.mark.anyio

COMMON = {"x-content-type-options": "nosniff", "referrer-policy": "no-referrer", "x-frame-options": "DENY"}


def assert_common(response: httpx.Response) -> None:
    for name, value in COMMON.items():
        assert response.headers.get(name) == value, (name, response.request.url)
    assert "strict-transport-security" not in response.headers  # plain HTTP
    assert re.fullmatch(r"[0-9a-f]{32}", response.headers["x-request-id"])


async def test_an_authenticated_json_response_is_not_stored_and_not_framed(client, parties):
    owner = await parties.owner()
    me = await client.get("/api/v1/me", headers=owner.headers)
    assert me.status_code == 200
    assert_common(me)
    assert me.headers["cache-control"] == "no-store"
    assert "content-security-policy" not in me.headers  # JSON is not rendered


async def test_errors_and_unknown_routes_carry_the_headers_too(client, parties):
    owner = await parties.owner()
    for response in (await client.get("/api/v1/no-such-thing"), await client.get("/api/v1/me"),
                     await client.delete("/api/v1/me", headers=owner.headers)):
        assert response.status_code in (401, 404, 405)
        assert_common(response)
        assert response.headers["cache-control"] == "no-store"


async def test_html_gets_a_policy_without_inline_scripts_or_framing(client):
    page = await client.get("/api/v1/oauth/callback", params={"state": "garbage", "code": "x"})
    assert page.headers["content-type"].startswith("text/html")
    assert_common(page)
    policy = directives(page.headers["content-security-policy"])
    assert policy["script-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["default-src"] == ["'none'"]


async def test_the_branding_preview_keeps_its_own_stricter_policy(client, parties):
    owner = await parties.owner()
    preview = await client.get("/api/v1/branding/preview", headers=owner.headers)
    assert preview.status_code == 200
    policy = directives(preview.headers["content-security-policy"])
    assert "script-src" not in policy and policy["default-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert preview.headers["cache-control"] == "no-store"
    assert_common(preview)


async def test_a_sane_request_id_is_kept_and_anything_else_replaced(client, caplog):
    caplog.set_level(logging.INFO, logger="cxsuite.request")
    kept = await client.get("/health", headers={"X-Request-ID": "lb-7f3a:42"})
    assert kept.headers["x-request-id"] == "lb-7f3a:42"
    for bad in ("x" * 129, "two words", "<script>", "", "id\u00e9"):
        replaced = await client.get("/health", headers=[("X-Request-ID", bad.encode())])
        assert re.fullmatch(r"[0-9a-f]{32}", replaced.headers["x-request-id"]), bad
    line = await request_line(caplog, 200)
    assert line["route"] == "/health" and line["method"] == "GET" and line["duration_ms"] >= 0


async def test_an_unknown_route_is_logged_with_its_status_and_without_its_path(client, caplog):
    caplog.set_level(logging.INFO, logger="cxsuite.request")
    response = await client.get("/api/v1/reset/cxs_secret-in-a-path?token=abc")
    assert response.status_code == 404
    line = await request_line(caplog, 404)
    assert line["route"] is None and line["query"] == "token=[redacted]"
    assert "secret-in-a-path" not in str(line)


async def request_line(caplog, status: int) -> dict:
    """The request log's event for a response with ``status`` (written just after it is sent)."""
    for _ in range(100):
        for record in caplog.records:
            if record.name == "cxsuite.request" and isinstance(record.msg, dict) and record.msg["status"] == status:
                return record.msg
        await anyio.sleep(0.02)
    raise AssertionError(f"no request line with status {status}")


def directives(policy: str) -> dict[str, list[str]]:
    parsed = {}
    for directive in filter(None, (d.strip() for d in policy.split(";"))):
        name, *values = directive.split()
        parsed[name] = values
    return parsed


# -- the API explorer -------------------------------------------------------------------------

async def test_swagger_ui_is_served_from_the_app_with_nothing_external(client):
    page = await client.get("/schema/swagger")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert directives(page.headers["content-security-policy"])["script-src"] == ["'self'"]
    references = re.findall(r"""(?:src|href)=['"]([^'"]+)['"]""", page.text)
    assert len(references) == 5  # stylesheet, icon, bundle, preset, start-up script
    assert not re.search(r"https?://|//[a-z]", page.text), "the page names an external URL"
    assert "<script>" not in page.text.replace(" ", "")  # no inline script
    for reference in references:
        assert not urlsplit(reference).netloc, reference
        asset = await client.get(reference)
        assert asset.status_code == 200, reference
        assert asset.headers["content-type"].split(";")[0] in ("text/javascript", "text/css", "image/png")
        assert len(asset.content) > 100
    bundle = await client.get("/schema/assets/swagger-ui-bundle.js")
    assert b"SwaggerUIBundle" in bundle.content
    start = (await client.get("/schema/assets/swagger-start.js")).text
    assert "validatorUrl: null" in start and not re.search(r"https?://", start)
    spec = page.text.split("data-spec='", 1)[1].split("'", 1)[0]
    assert (await client.get(spec)).json()["info"]["title"] == "cxsuite API"


async def test_only_the_listed_assets_and_no_cdn_backed_pages_are_served(client):
    for path in ("/schema/assets/index.html", "/schema/assets/oauth2-redirect.html",
                 "/schema/assets/..%2Fswagger-ui-bundle.js", "/schema/redoc", "/schema/elements",
                 "/schema/rapidoc", "/schema/oauth2-redirect.html"):
        assert (await client.get(path)).status_code == 404, path


# -- HSTS behind a proxy: real `cxsuite serve` processes ----------------------------------------

async def test_hsts_over_https_from_a_trusted_proxy(client):
    """The test server trusts its loopback peer, as `cxsuite serve` does by default."""
    forwarded = await client.get("/health", headers={"X-Forwarded-Proto": "https"})
    assert forwarded.headers["strict-transport-security"] == "max-age=31536000; includeSubDomains"
    assert "strict-transport-security" not in (await client.get("/health")).headers


def test_no_hsts_when_the_forwarded_scheme_comes_from_an_untrusted_peer(settings, cxsuite_sandbox, tmp_path):
    env = deployment_env(settings, cxsuite_sandbox, CXSUITE_TRUSTED_PROXIES="192.0.2.10")
    with deployed(env, tmp_path, worker=False) as web:
        forwarded = httpx.get(f"{web.base_url}/health", headers={"X-Forwarded-Proto": "https"})
    assert forwarded.status_code == 200
    assert "strict-transport-security" not in forwarded.headers
    assert forwarded.headers["x-frame-options"] == "DENY"
