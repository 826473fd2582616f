"""Reports over HTTP: render a real score run (202 + job), read how it was made, publish it to
the client, download it — and who may not see it. The PDFs are real and their text is read."""

from __future__ import annotations

import hashlib
import html
import re
from io import BytesIO
from pathlib import Path

import openpyxl
import pytest
from pypdf import PdfReader

from cxsuite.reports.controllers import XLSX
from cxsuite.reports.i18n import localiser
from cxsuite.reports.render import TEMPLATES_DIR
from cxsuite.scoring import shipped_model
from tests.reports.conftest import ARTIFACTS, missing_phrases, squash
from tests.reports.pdfcheck import web_links
from tests.support.engagement import Engagement, answer_all, seed, start
from tests.support.jobs import finished_job
from tests.support.parties import PASSWORD

pytestmark = pytest.mark.anyio


async def scored(eng: Engagement, client) -> dict:
    """The engagement with records, answers and one succeeded score run."""
    await seed(eng, reply_hours=30)
    await answer_all(eng, client, 2)
    run = await start(eng, client)
    assert run["run"]["status"] == "succeeded"
    return run["run"]


async def render(eng: Engagement, client, **body) -> dict:
    """Ask for a report, follow its job to the end and return the report as it ended."""
    response = await client.post(f"{eng.base}/reports", headers=eng.owner.headers, json=body)
    assert response.status_code == 202, response.text
    accepted = response.json()
    assert accepted["report"]["status"] == "queued" and accepted["job"]["kind"] == "report"
    job = await finished_job(client, eng.owner.headers, accepted["job"]["id"])
    assert job["status"] == "succeeded", job
    report = await client.get(f"/api/v1/reports/{accepted['report']['id']}", headers=eng.owner.headers)
    return report.json()


def expected_phrases(run: dict, language: str) -> list[str]:
    """Client name, overall level name, every stage and the top recommendations, translated."""
    model = shipped_model()
    l10n = localiser(TEMPLATES_DIR, language)
    level = next(lv.name for lv in model.levels if lv.level == run["overall_level"])
    return ["Client", l10n.gettext(level), *(l10n.gettext(s.name) for s in model.stages)]


async def test_render_publish_download(eng, other, client, parties, tmp_path: Path):
    run = await scored(eng, client)
    hostile = "<img src='http://127.0.0.1/x'> {{ 7*7 }} url(file:///etc/passwd)"
    branded = await client.put("/api/v1/branding", headers=eng.owner.headers,
                               json={"footer_text": hostile, "confidentiality": "Strictly confidential"})
    assert branded.status_code == 200
    report = await render(eng, client)
    assert report["status"] == "rendered" and report["language"] == "en"
    assert report["score_run_id"] == run["id"] and report["model_hash"] == run["model_hash"]
    assert report["template_version"] and not report["published"]

    url = f"/api/v1/reports/{report['id']}"
    download = await client.get(f"{url}/download", headers=eng.owner.headers)
    assert download.status_code == 200 and download.headers["content-type"] == "application/pdf"
    assert hashlib.sha256(download.content).hexdigest() == report["sha256"] == download.headers["etag"].strip('"')
    details = (await client.get(f"/api/v1/score-runs/{run['id']}", headers=eng.owner.headers)).json()
    titles = [o["title"] for o in details["opportunities"][:3]]
    phrases = [*expected_phrases(run, "en"), *titles, hostile, "Strictly confidential"]
    missing = missing_phrases(download.content, phrases, False, tmp_path)
    assert not missing, f"not in the PDF: {missing}"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "api-report-en.pdf").write_bytes(download.content)

    viewer = await eng.client_viewer()
    assert (await client.get(url, headers=viewer)).status_code == 404  # a draft is not the client's
    assert (await client.get(f"{url}/download", headers=viewer)).status_code == 404
    assert (await client.get(f"{eng.base}/reports", headers=viewer)).json()["total"] == 0
    assert (await client.post(f"{url}/publish", headers=viewer)).status_code == 403

    published = await client.post(f"{url}/publish", headers=eng.owner.headers)
    assert published.status_code == 200 and published.json()["published"]
    assert (await client.get(f"{url}/download", headers=viewer)).content == download.content
    assert (await client.get(f"{eng.base}/reports", headers=viewer)).json()["total"] == 1

    # A viewer of another workspace of the same consultancy, another tenant's owner and viewer:
    # 404, published or not.
    elsewhere = await parties.client_user(eng.owner, await parties.workspace(eng.owner), "client_viewer")
    for headers in (elsewhere.headers, other.owner.headers, await other.client_viewer()):
        assert (await client.get(url, headers=headers)).status_code == 404
        assert (await client.get(f"{url}/download", headers=headers)).status_code == 404
        assert (await client.post(f"{url}/publish", headers=headers)).status_code in (403, 404)

    audit = (await client.get("/api/v1/audit-events?limit=100", headers=eng.owner.headers)).json()["items"]
    actions = [e["action"] for e in audit if e["object_id"] == report["id"]]
    assert {"report.rendered", "report.published", "report.downloaded"} <= set(actions)
    assert actions.count("report.downloaded") == 2


async def test_persian_report_of_the_same_run(eng, client, tmp_path: Path):
    run = await scored(eng, client)
    report = await render(eng, client, language="fa", score_run_id=run["id"])
    pdf = (await client.get(f"/api/v1/reports/{report['id']}/download", headers=eng.owner.headers)).content
    missing = missing_phrases(pdf, expected_phrases(run, "fa"), True, tmp_path)
    assert not missing, f"not in the PDF: {missing}"


async def test_rendering_needs_a_succeeded_run(eng, client):
    response = await client.post(f"{eng.base}/reports", headers=eng.owner.headers, json={})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "body.score_run_id"
    assert "run scoring first" in response.json()["errors"][0]["reason"]
    bad = await client.post(f"{eng.base}/reports", headers=eng.owner.headers, json={"language": "xx"})
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "body.language"


async def test_same_run_renders_the_same_content(eng, client):
    await scored(eng, client)
    first, second = await render(eng, client), await render(eng, client)
    assert first["id"] != second["id"] and first["sha256"] == second["sha256"]


def _figures_in(book: bytes, pdf: bytes, language: str) -> None:
    """The workbook opens with openpyxl and its summary is the PDF's evidence summary: every
    measure and every figure of its first sheet is printed in the PDF."""
    workbook = openpyxl.load_workbook(BytesIO(book), read_only=True)
    rows = list(workbook.worksheets[0].iter_rows(values_only=True))[1:]
    text = squash("".join(page.extract_text() or "" for page in PdfReader(BytesIO(pdf)).pages))
    l10n = localiser(TEMPLATES_DIR, language)
    assert rows and [row[0] for row in rows if squash(row[0]) not in text] == []
    figures = [l10n.measure(row[1], row[2] or "") for row in rows if isinstance(row[1], int | float)]
    assert figures and [f for f in figures if squash(f) not in text] == [], "workbook figures not in the PDF"


async def test_evidence_workbook_beside_the_pdf(eng, other, client):
    """The XLSX opens with openpyxl, repeats the report's evidence summary figure for figure,
    has one sheet per metric with the records behind it, and follows the download's rules."""
    await scored(eng, client)
    report = await render(eng, client)
    url = f"/api/v1/reports/{report['id']}/evidence.xlsx"
    response = await client.get(url, headers=eng.owner.headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
    book = openpyxl.load_workbook(BytesIO(response.content), read_only=True)
    summary, *metrics = book.worksheets
    rows = list(summary.iter_rows(values_only=True))
    assert rows[0][:2] == ("Measure", "Value")
    assert len(metrics) >= 3 and len(rows) > 3
    first = list(metrics[0].iter_rows(values_only=True))
    assert first[0][0] == "Stage" and any(row and row[0] == "Records behind this measure" for row in first)

    # The summary is the report's own evidence summary: same figures, same order.
    pdf = (await client.get(f"/api/v1/reports/{report['id']}/download", headers=eng.owner.headers)).content
    _figures_in(response.content, pdf, "en")
    text = squash("".join(page.extract_text() or "" for page in PdfReader(BytesIO(pdf)).pages))

    # The PDF names the workbook by its download name.
    filename = response.headers["content-disposition"].split("filename=")[1].strip('"')
    assert squash(filename) in text

    # Same rules as the PDF: a client viewer only once it is published; another tenant never.
    viewer = await eng.client_viewer()
    assert (await client.get(url, headers=viewer)).status_code == 404
    assert (await client.get(url, headers=other.owner.headers)).status_code == 404
    await client.post(f"/api/v1/reports/{report['id']}/publish", headers=eng.owner.headers)
    assert (await client.get(url, headers=viewer)).status_code == 200
    audit = (await client.get("/api/v1/audit-events?limit=100", headers=eng.owner.headers)).json()["items"]
    assert "report.evidence_downloaded" in {e["action"] for e in audit if e["object_id"] == report["id"]}


async def test_the_pdf_links_to_its_evidence_workbook(eng, other, client, settings):
    """The PDF carries one web link, in plain translated words, to an address naming only the run
    and the language (a second render of the run links to the same place and stays identical);
    following it with the right role gives the workbook of the report's figures, anyone else a
    401 or 404, the client once the report is published."""
    run = await scored(eng, client)
    report = await render(eng, client, language="lt")
    again = await render(eng, client, language="lt")
    assert again["sha256"] == report["sha256"]
    pdf = (await client.get(f"/api/v1/reports/{report['id']}/download", headers=eng.owner.headers)).content
    links = web_links(pdf)
    assert len(links) == 1, links
    url, words = links[0]
    path = f"/score-runs/{run['id']}/evidence.xlsx?language=lt"
    assert url == f"{settings.public_base_url}{path}", "the console's address: a reader signs in there"
    wording = localiser(TEMPLATES_DIR, "lt").gettext("Download the evidence workbook")
    assert wording != "Download the evidence workbook" and squash(wording) in squash(words)
    await _followed_in_a_browser(client, url, eng.owner.email, pdf)

    url = f"{settings.public_base_url}/api/v1{path}"  # the same workbook for API clients
    response = await client.get(url, headers=eng.owner.headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith(XLSX)
    _figures_in(response.content, pdf, "lt")
    assert response.content[:2] == b"PK"

    viewer = await eng.client_viewer()
    for headers in ({}, viewer, other.owner.headers, await other.client_viewer()):
        assert (await client.get(url, headers=headers)).status_code in (401, 404), headers
    assert (await client.get(url, headers={})).status_code == 401
    english = url.replace("language=lt", "language=en")  # no English report of this run yet
    assert (await client.get(english, headers=eng.owner.headers)).status_code == 404
    await client.post(f"/api/v1/reports/{again['id']}/publish", headers=eng.owner.headers)
    shared = await client.get(url, headers=viewer)
    assert shared.status_code == 200
    _figures_in(shared.content, pdf, "lt")
    audit = (await client.get("/api/v1/audit-events?limit=100", headers=eng.owner.headers)).json()["items"]
    downloads = [e["object_id"] for e in audit if e["action"] == "report.evidence_downloaded"]
    assert again["id"] in downloads, "the client's download is audited on the report they were given"


async def _followed_in_a_browser(client, url: str, email: str, pdf: bytes) -> None:
    """Clicking the PDF's link with no session leads to the console's sign-in page, and signing
    in there leads back to the workbook."""
    bounced = await client.get(url)
    assert bounced.status_code == 303 and bounced.headers["location"].startswith("/signin?next="), bounced
    form = await client.get(bounced.headers["location"])
    token = re.search(r'name="_csrf_token" value="([^"]+)"', form.text).group(1)
    target = url.removeprefix(str(client.base_url))
    assert target in {html.unescape(v) for v in re.findall(r'name="next" value="([^"]*)"', form.text)}
    signed_in = await client.post("/signin", data={"_csrf_token": token, "email": email, "password": PASSWORD,
                                                   "next": target})
    assert signed_in.status_code == 303 and signed_in.headers["location"] == target, signed_in.headers
    workbook = await client.get(target)
    assert workbook.status_code == 200 and workbook.content[:2] == b"PK", workbook
    _figures_in(workbook.content, pdf, "lt")
    client.cookies.clear()


async def test_a_published_report_can_be_unpublished(eng, client):
    """Published by mistake (or superseded): the consultant takes it back; the client no
    longer sees or downloads it, the audit log says who did it, and doing it twice is harmless.
    Neither the client admin nor a viewer may unpublish."""
    await scored(eng, client)
    report = await render(eng, client)
    url = f"/api/v1/reports/{report['id']}"
    viewer, admin = await eng.client_viewer(), await eng.client_admin()
    assert (await client.post(f"{url}/publish", headers=eng.owner.headers)).status_code == 200
    assert (await client.get(f"{url}/download", headers=viewer)).status_code == 200
    for headers in (viewer, admin):
        assert (await client.post(f"{url}/unpublish", headers=headers)).status_code == 403

    taken_back = await client.post(f"{url}/unpublish", headers=eng.owner.headers)
    assert taken_back.status_code == 200, taken_back.text
    assert not taken_back.json()["published"] and taken_back.json()["published_at"] is None
    assert (await client.get(url, headers=viewer)).status_code == 404
    assert (await client.get(f"{url}/download", headers=viewer)).status_code == 404
    assert (await client.get(f"{eng.base}/reports", headers=viewer)).json()["total"] == 0
    again = await client.post(f"{url}/unpublish", headers=eng.owner.headers)
    assert again.status_code == 200 and not again.json()["published"]

    audit = (await client.get("/api/v1/audit-events?limit=100", headers=eng.owner.headers)).json()["items"]
    actions = [e["action"] for e in audit if e["object_id"] == report["id"]]
    assert actions.count("report.unpublished") == 1 and actions.count("report.published") == 1
    assert (await client.post(f"{url}/publish", headers=eng.owner.headers)).json()["published"]
