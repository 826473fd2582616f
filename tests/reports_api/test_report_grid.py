"""Client admins and viewers read the maturity grid of a published report (through the
report, never the score run itself): a draft or an unpublished report is a 404 for them, another
tenant's report a 404, and the score run stays 403."""

from __future__ import annotations

import re

import httpx
import pytest

from cxsuite.reports.i18n import load_translations
from cxsuite.reports.render import TEMPLATES_DIR
from tests.reports_api.test_reports import render, scored
from tests.support.parties import PASSWORD

pytestmark = pytest.mark.anyio


async def test_clients_see_the_grid_of_a_published_report_only(eng, other, client) -> None:
    run = await scored(eng, client)
    report = await render(eng, client)
    url = f"/api/v1/reports/{report['id']}/grid"
    viewer, admin = await eng.client_viewer(), await eng.client_admin()
    for headers in (viewer, admin):
        assert (await client.get(url, headers=headers)).status_code == 404  # a draft
    owner_view = await client.get(url, headers=eng.owner.headers)
    journey = (await client.get(f"{eng.base}/journey", headers=eng.owner.headers)).json()
    journey_stages = [{"key": s["key"], "name": s["name"]} for s in journey["stages"]]
    assert owner_view.status_code == 200 and owner_view.json()["score_run_id"] == run["id"]
    assert (await client.post(f"/api/v1/reports/{report['id']}/publish", headers=eng.owner.headers)).status_code == 200
    for headers in (viewer, admin):
        seen = await client.get(url, headers=headers)
        assert seen.status_code == 200, seen.text
        body = seen.json()
        assert body["result"] == owner_view.json()["result"] and set(body) == {
            "report_id", "score_run_id", "language", "result", "stages"}
        assert body["stages"] == journey_stages and [s["key"] for s in body["stages"]] == body["result"]["stages"]
        assert (await client.get(f"/api/v1/score-runs/{run['id']}", headers=headers)).status_code == 403
    assert (await client.get(url, headers=other.owner.headers)).status_code == 404
    assert (await client.post(f"/api/v1/reports/{report['id']}/unpublish", headers=eng.owner.headers)).status_code == 200
    assert (await client.get(url, headers=viewer)).status_code == 404



async def test_a_viewer_opens_the_grid_page_of_a_published_report(eng, client, parties, server) -> None:
    await scored(eng, client)
    report = await render(eng, client)
    await client.post(f"/api/v1/reports/{report['id']}/publish", headers=eng.owner.headers)
    viewer = await parties.client_user(eng.owner, str(eng.workspace_id), "client_viewer")
    async with httpx.AsyncClient(base_url=server.base_url, timeout=30) as http:
        page = await http.get("/signin")
        token = re.search(r'name="_csrf_token" value="([^"]+)"', page.text).group(1)
        await http.post("/signin", data={"_csrf_token": token, "email": viewer.email, "password": PASSWORD})
        assert f'href="/r/{report["id"]}/grid"' in (await http.get(f"/p/{eng.project_id}")).text
        shown = await http.get(f"/r/{report['id']}/grid")
        assert shown.status_code == 200 and 'class="grid"' in shown.text
        # Stages and dimensions by their names in the page's language, as the report names them.
        http.cookies.set("cxsuite_lang", "lt")
        lithuanian = (await http.get(f"/r/{report['id']}/grid")).text
    term = load_translations(TEMPLATES_DIR, "lt").gettext
    grid = (await client.get(f"/api/v1/reports/{report['id']}/grid", headers=eng.owner.headers)).json()
    for stage in grid["stages"]:
        assert f'<th scope="col">{term(stage["name"])}</th>' in lithuanian, stage
        assert term(stage["name"]) != stage["name"] and f'<th scope="col">{stage["key"]}</th>' not in lithuanian
    for dimension in grid["result"]["dimensions"]:
        assert f'<th scope="row">{term(dimension["name"])}</th>' in lithuanian, dimension
