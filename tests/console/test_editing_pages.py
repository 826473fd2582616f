"""The consultant's editing pages: each form posts a change through the console, and the API
reads it back; a refusal shows the API's reason next to the field it names."""

from __future__ import annotations

import re

import httpx
import pytest

from tests.support.parties import PASSWORD

pytestmark = pytest.mark.anyio


async def _signed_in(http: httpx.AsyncClient, email: str) -> None:
    page = await http.get("/signin")
    token = re.search(r'name="_csrf_token" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
    signed = await http.post("/signin", data={"_csrf_token": token, "email": email, "password": PASSWORD})
    assert signed.status_code == 303


async def _form(http: httpx.AsyncClient, path: str) -> tuple[str, str]:
    page = await http.get(path)
    assert page.status_code == 200, page.text[:500]
    token = re.search(r'name="_csrf_token" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
    return token, page.text


@pytest.fixture
async def editing(server, parties):
    owner = await parties.owner()
    workspace = await parties.workspace(owner)
    project = await parties.project(owner, workspace)
    async with httpx.AsyncClient(base_url=server.base_url) as http:
        await _signed_in(http, owner.email)
        api = owner.headers
        yield http, project, api


async def test_project_page_links_the_editing_pages(editing) -> None:
    http, project, _ = editing
    page = (await http.get(f"/p/{project}")).text
    for part in ("value-inputs", "report-text", "journey-mapping", "journey"):
        assert f'href="/p/{project}/{part}"' in page
    assert "comes with a later release" not in page


async def test_value_inputs_form_saves_and_refuses_next_to_the_field(editing) -> None:
    http, project, api = editing
    token, page = await _form(http, f"/p/{project}/value-inputs")
    stage = re.search(r'name="stages\[0\]\.stage" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    saved = await http.post(f"/p/{project}/value-inputs", data={
        "_csrf_token": token, "currency": "eur", "stages[0].stage": stage, "stages[0].revenue": "1200000",
        "stages[0].judgement": "4", "stages[0].reason": "Board says so"})
    assert saved.status_code == 303, saved.text[:800]
    stored = (await http.get(f"/api/v1/projects/{project}/value-inputs", headers=api)).json()["inputs"]
    assert stored["currency"] == "EUR"
    assert stored["stages"] == [{**stored["stages"][0], "stage": stage, "revenue": 1200000, "judgement": 4,
                                 "reason": "Board says so"}]
    kept = {"recommendation_id": "d1_link_records", "stage": None, "effort": 2, "reason": "set through the API"}
    put = await http.put(f"/api/v1/projects/{project}/value-inputs", headers=api,
                         json={**stored, "opportunities": [kept]})
    assert put.status_code == 200, put.text
    token, _ = await _form(http, f"/p/{project}/value-inputs")  # not scored: no opportunity rows shown
    await http.post(f"/p/{project}/value-inputs", data={"_csrf_token": token, "stages[0].stage": stage,
                                                        "stages[0].revenue": "1200000"})
    after = (await http.get(f"/api/v1/projects/{project}/value-inputs", headers=api)).json()["inputs"]
    assert after["opportunities"] == [{**kept, "confidence": None}], "an override the form did not show survives"
    again = await _form(http, f"/p/{project}/value-inputs")
    assert 'value="1200000"' in again[1]
    refused = await http.post(f"/p/{project}/value-inputs", data={
        "_csrf_token": again[0], "stages[0].stage": stage, "stages[0].margin": "7"})
    assert refused.status_code == 422
    assert 'id="f-stages[0].margin-error"' in refused.text and 'aria-invalid="true"' in refused.text


async def test_report_text_form_saves(editing) -> None:
    http, project, api = editing
    token, page = await _form(http, f"/p/{project}/report-text")
    stage = re.search(r'name="stage_commentary\.([a-z_0-9]+)"', page).group(1)  # type: ignore[union-attr]
    saved = await http.post(f"/p/{project}/report-text", data={
        "_csrf_token": token, "executive_summary": "Service is strong.\n\nSales is weak.",
        f"stage_commentary.{stage}": "Start here."})
    assert saved.status_code == 303, saved.text[:800]
    text = (await http.get(f"/api/v1/projects/{project}/report-text", headers=api)).json()["text"]
    assert text["executive_summary"] == "Service is strong.\n\nSales is weak."
    assert text["stage_commentary"] == {stage: "Start here."}
    put = await http.put(f"/api/v1/projects/{project}/report-text", headers=api,
                         json={**text, "opportunity_notes": {"d1_link_records": "Kept."}})
    assert put.status_code == 200, put.text
    await http.post(f"/p/{project}/report-text", data={"_csrf_token": token, "executive_summary": "Short."})
    text = (await http.get(f"/api/v1/projects/{project}/report-text", headers=api)).json()["text"]
    assert text["opportunity_notes"] == {"d1_link_records": "Kept."}, "a note the form did not show survives"
    refused = await http.post(f"/p/{project}/report-text", data={
        "_csrf_token": token, "executive_summary": "x" * 4001})
    assert refused.status_code == 422 and 'id="f-executive_summary-error"' in refused.text


async def test_stage_mapping_form_saves(editing) -> None:
    http, project, api = editing
    token, page = await _form(http, f"/p/{project}/journey-mapping")
    stage = re.search(r'name="rules\[0\]\.stage".*?<option value="([a-z_0-9]+)"', page, re.S).group(1)  # type: ignore[union-attr]
    saved = await http.post(f"/p/{project}/journey-mapping", data={
        "_csrf_token": token, "rules[0].stage": "", "rules[1].stage": stage, "rules[1].source": "interaction",
        "rules[1].channel": "phone", "rules[1].linked_ticket": ""})
    assert saved.status_code == 303, saved.text[:800]
    rules = (await http.get(f"/api/v1/projects/{project}/journey-mapping", headers=api)).json()["rules"]
    assert rules == [{"stage": stage, "source": "interaction", "channel": "phone"}]
    refused = await http.post(f"/p/{project}/journey-mapping", data={
        "_csrf_token": token, "rules[3].stage": "nowhere"})
    assert refused.status_code == 422 and 'id="f-rules[3].stage-error"' in refused.text, refused.text[-3000:]


async def test_journey_form_saves_a_new_version_and_refuses_a_stale_one(editing) -> None:
    http, project, api = editing
    before = (await http.get(f"/api/v1/projects/{project}/journey", headers=api)).json()
    token, _ = await _form(http, f"/p/{project}/journey")
    data = {"_csrf_token": token, "version": str(before["version"])}
    for i, stage in enumerate(before["stages"]):
        data[f"stages[{i}].key"] = stage["key"]
        data[f"stages[{i}].name"] = stage["name"]
    data["stages[0].name"] = "First contact"
    data["stages[0].touchpoints"] = "Web form:web; Hotline:phone"
    saved = await http.post(f"/p/{project}/journey", data=data)
    assert saved.status_code == 303, saved.text[-3000:]
    after = (await http.get(f"/api/v1/projects/{project}/journey", headers=api)).json()
    assert after["version"] == before["version"] + 1
    assert after["stages"][0]["name"] == "First contact"
    assert after["stages"][0]["touchpoints"] == [{"name": "Web form", "channel": "web"},
                                                 {"name": "Hotline", "channel": "phone"}]
    stale = await http.post(f"/p/{project}/journey", data=data)
    assert stale.status_code == 409 and 'role="alert"' in stale.text
    data.update(version=str(after["version"]), **{"stages[1].key": "Bad Key"})
    refused = await http.post(f"/p/{project}/journey", data=data)
    assert refused.status_code in (400, 422) and 'f-stages[1].key-error' in refused.text, refused.text[-3000:]
