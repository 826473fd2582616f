"""A score run's report as HTML before the PDF: the same document, in any of the five
languages, with a CSP that lets only its inline styles apply; consultants only, tenant-scoped."""

from __future__ import annotations

import re
from uuid import uuid4

import httpx
import pytest

from tests.reports_api.test_reports import expected_phrases, scored
from tests.support.parties import PASSWORD

pytestmark = pytest.mark.anyio


async def test_report_preview_as_html(eng, other, client, parties) -> None:
    run = await scored(eng, client)
    url = f"/api/v1/score-runs/{run['id']}/report-preview"
    for language in ("en", "fa"):
        answer = await client.get(url, headers=eng.owner.headers, params={"language": language})
        assert answer.status_code == 200, answer.text
        assert answer.headers["content-type"].startswith("text/html")
        policy = answer.headers["content-security-policy"]
        assert "script-src" not in policy and "default-src 'none'" in policy and "frame-ancestors 'none'" in policy
        assert all(phrase in answer.text for phrase in expected_phrases(run, language)), language
    assert (await client.get(url, headers=eng.owner.headers, params={"language": "de"})).status_code == 400
    admin = await parties.client_user(eng.owner, str(eng.workspace_id), "client_admin")
    assert (await client.get(url, headers=admin.headers)).status_code == 403
    assert (await client.get(url, headers=other.owner.headers)).status_code == 404
    unknown = f"/api/v1/score-runs/{uuid4()}/report-preview"
    assert (await client.get(unknown, headers=eng.owner.headers)).status_code == 404
    assert (await client.get(url)).status_code == 401


async def test_the_console_serves_the_preview_as_its_own_page(eng, client, server) -> None:
    run = await scored(eng, client)
    async with httpx.AsyncClient(base_url=server.base_url, timeout=30) as http:
        page = await http.get("/signin")
        token = re.search(r'name="_csrf_token" value="([^"]+)"', page.text).group(1)
        await http.post("/signin", data={"_csrf_token": token, "email": eng.owner.email, "password": PASSWORD})
        run_page = await http.get(f"/p/{eng.project_id}/runs/{run['id']}")
        assert 'for="f-preview-language"' in run_page.text
        preview = await http.get(f"/p/{eng.project_id}/runs/{run['id']}/preview", params={"language": "lt"})
        assert preview.status_code == 200 and "<style" in preview.text
        policy = preview.headers["content-security-policy"]
        assert "style-src 'unsafe-inline'" in policy and "script-src" not in policy
