"""Upload bombs and oversized imports: refused early, measured for real, stopped cleanly.

The bombs are real files (a 4-million-row sheet and a 4-million-entry shared-strings part that
zip to a few hundred KB). The import of each runs in a child process whose peak memory
(``ru_maxrss``) and time are measured, so these tests fail if a reader starts inflating.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import logging
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from cxsuite_survey_import.connector import SurveyImportConnector

from cxsuite.connectors import ConnectorContext
from cxsuite.connectors.files import FileLimits, FileRefused
from cxsuite.mail.transport import outbox_dir
from tests.connectors.survey_import.files import csv_bytes, nps_export
from tests.connectors.survey_import.test_api import feedback_rows, survey_connection
from tests.connectors.survey_import.workbooks import shared_strings_bomb, sheet_rows, write_workbook, zip_bomb
from tests.support.jobs import finished_job
from tests.support.parties import Parties
from tests.support.server import start_server

pytestmark = pytest.mark.anyio

SECONDS, PEAK_MB = 5.0, 200
CHILD = """
import asyncio, json, sys, time
from cxsuite_survey_import.connector import SurveyImportConnector
from cxsuite.connectors import ConnectorContext

async def main(path):
    context = ConnectorContext(config=None, http=None, upload=open(path, "rb").read(), upload_name="export.xlsx")
    started, outcome = time.monotonic(), "imported"
    try:
        async for _ in SurveyImportConnector(context).read("responses", None):
            pass
    except Exception as exc:
        outcome = f"{type(exc).__name__}: {exc}"
    # VmHWM is this interpreter's own peak; ru_maxrss would carry the forking test process's
    # size across exec (Linux keeps the larger of the two), so a big parent failed the check.
    peak_kb = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:"))
    print(json.dumps({"seconds": time.monotonic() - started, "outcome": outcome, "peak_mb": peak_kb / 1024}))

asyncio.run(main(sys.argv[1]))
"""


@pytest.fixture(scope="module")
def bombs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, str]]:
    """Each bomb with the setting that must refuse it."""
    folder = tmp_path_factory.mktemp("bombs")
    return {"zip": (zip_bomb(folder / "zip-bomb.xlsx"), "CXSUITE_UPLOAD_MAX_UNPACKED_BYTES"),
            "shared strings": (shared_strings_bomb(folder / "sst-bomb.xlsx"),
                               "CXSUITE_UPLOAD_MAX_SHARED_STRINGS_BYTES")}


def _cap_memory() -> None:
    """The child may not take the machine down if a reader inflates after all (1.5 GB)."""
    resource.setrlimit(resource.RLIMIT_AS, (1_500_000_000, 1_500_000_000))


def import_in_child(path: Path) -> dict:
    """Run the connector over ``path`` in a fresh interpreter; its time, peak RSS and outcome."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    try:
        done = subprocess.run([sys.executable, "-c", CHILD, str(path)], capture_output=True, text=True,  # noqa: S603
                              env=env, timeout=60, preexec_fn=_cap_memory, check=False)
    except subprocess.TimeoutExpired:
        pytest.fail(f"importing {path.name} ran for more than 60 s")
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("bomb", ["zip", "shared strings"])
def test_a_bomb_is_refused_by_the_import_within_5_s_and_200_mb(bombs, bomb):
    path, setting = bombs[bomb]
    assert path.stat().st_size < 1_000_000
    measured = import_in_child(path)
    assert measured["outcome"].startswith("FileRefused") and setting in measured["outcome"], measured
    assert measured["seconds"] < SECONDS and measured["peak_mb"] < PEAK_MB, measured


@pytest.mark.parametrize("bomb", ["zip", "shared strings"])
async def test_a_bomb_is_refused_at_upload_naming_the_limit(client, parties, settings, bombs, bomb):
    path, setting = bombs[bomb]
    owner, connection_id = await survey_connection(client, parties, {})
    started = time.monotonic()
    response = await client.post(f"/api/v1/connections/{connection_id}/upload", headers=owner.headers,
                                 files={"file": ("survey.xlsx", path.read_bytes(), "application/octet-stream")})
    assert time.monotonic() - started < SECONDS
    assert response.status_code == 422, response.text
    [error] = response.json()["errors"]
    limit = {"CXSUITE_UPLOAD_MAX_UNPACKED_BYTES": settings.upload_max_unpacked_bytes,
             "CXSUITE_UPLOAD_MAX_SHARED_STRINGS_BYTES": settings.upload_max_shared_strings_bytes}[setting]
    assert (error["field"], error["limit"]) == ("body.file", limit) and setting in error["reason"], error
    connection = (await client.get(f"/api/v1/connections/{connection_id}", headers=owner.headers)).json()
    assert connection["status"] != "connected"  # nothing was stored


async def test_a_nul_in_the_uploaded_file_name_is_422(client, parties):
    owner, connection_id = await survey_connection(client, parties, {})
    body = (b'--b\r\nContent-Disposition: form-data; name="file"; filename="nps\x00.csv"\r\n'
            b"Content-Type: text/csv\r\n\r\n" + csv_bytes(nps_export(2)) + b"\r\n--b--\r\n")
    response = await client.post(f"/api/v1/connections/{connection_id}/upload", content=body,
                                 headers={**owner.headers, "content-type": "multipart/form-data; boundary=b"})
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["field"] == "body.file" and "NUL" in response.text


async def read_all(content: bytes, name: str, limits: FileLimits) -> tuple[list, FileRefused | None]:
    """The batches the connector yields before it stops, and the error it stops with."""
    context = ConnectorContext(config=None, http=None, upload=content, upload_name=name, file_limits=limits)
    batches = []
    try:
        async for batch in SurveyImportConnector(context).read("responses", None):
            batches.append(batch)
    except FileRefused as exc:
        return batches, exc
    return batches, None


def imported(batches) -> list[str]:
    return [r.external_id for b in batches for r in b.records]


async def test_a_csv_cell_over_128_kib_names_its_row_column_and_limit():
    rows = nps_export(4)
    rows[4][6] = "x" * 200_000  # line 5, the comment column (G)
    batches, refused = await read_all(csv_bytes(rows), "export.csv", FileLimits())
    assert refused is not None
    assert "row 5, column 7 (G)" in refused.detail and "CXSUITE_IMPORT_MAX_CELL_CHARS" in refused.detail
    assert refused.problems[0].limit == 32_767
    assert imported(batches) == ["R00000", "R00001"]  # the rows before it
    assert not batches[-1].checkpoint["done"]


async def test_an_xlsx_cell_over_the_limit_and_a_nul_in_csv_name_row_and_column(tmp_path):
    long_cell = write_workbook(tmp_path / "long.xlsx", sheet_rows(
        [["Respondent ID", "How likely are you to recommend us? (0-10)", "Why?"], ["a", 9, "fine"],
         ["b", 7, "y" * 40_000]])).read_bytes()
    batches, refused = await read_all(long_cell, "export.xlsx", FileLimits())
    assert refused is not None and "row 3, column 3 (C)" in refused.detail, refused
    assert imported(batches) == ["a"]
    nul = csv_bytes([["Respondent ID", "How likely are you to recommend us?"], ["a", "9"], ["b\x00", "8"]])
    batches, refused = await read_all(nul, "export.csv", FileLimits())
    assert refused is not None and "row 3" in refused.detail and "NUL" in refused.detail, refused
    assert imported(batches) == ["a"]


async def test_a_limit_crossed_before_the_layout_can_be_read_is_what_the_import_says():
    first_row_too_long = csv_bytes([["Respondent ID", "How likely are you to recommend us?"], ["a", "9" * 100]])
    batches, refused = await read_all(first_row_too_long, "export.csv", FileLimits(max_cell_chars=50))
    assert refused is not None and "row 2, column 2 (B)" in refused.detail and batches == []
    header_too_long = csv_bytes([["Respondent ID", "x" * 200_000], ["a", "9"]])
    _, refused = await read_all(header_too_long, "export.csv", FileLimits())
    assert refused is not None and "row 1, column 2 (B)" in refused.detail


async def test_rows_and_columns_over_their_limits_stop_the_import_naming_them():
    wide = csv_bytes([["Respondent ID", "How likely are you to recommend us?", *(f"c{n}" for n in range(20))],
                      ["a", "9", *("" for _ in range(20))]])
    _, refused = await read_all(wide, "wide.csv", FileLimits(max_columns=10))
    assert refused is not None and "row 1, column 11 (K)" in refused.detail and "COLUMNS" in refused.detail
    batches, refused = await read_all(csv_bytes(nps_export(30)), "long.csv", FileLimits(max_rows=20))
    assert refused is not None and "row 21" in refused.detail and "CXSUITE_IMPORT_MAX_ROWS" in refused.detail
    assert imported(batches) == [f"R{n:05d}" for n in range(18)]  # lines 3-20
    batches, refused = await read_all(csv_bytes(nps_export(30)), "long.csv", FileLimits(max_cells=7 * 12))
    assert refused is not None and "row 13" in refused.detail and "CXSUITE_IMPORT_MAX_CELLS" in refused.detail
    assert imported(batches) == [f"R{n:05d}" for n in range(10)]  # lines 3-12, 7 cells each


@pytest.fixture
async def strict_server(settings):
    """A second server on the same database whose import allows 1,000 rows and whose uploads
    150 KB."""
    with start_server(dataclasses.replace(settings, import_max_rows=1_000, upload_max_bytes=150_000)) as live:
        yield live


async def test_an_import_over_the_row_limit_keeps_the_rows_before_and_names_the_row(strict_server, settings):
    async with httpx.AsyncClient(base_url=strict_server.base_url, timeout=30) as client:
        owner, connection_id = await survey_connection(client, Parties(client, outbox_dir(settings)), {})
        uploaded = await client.post(f"/api/v1/connections/{connection_id}/upload", headers=owner.headers,
                                     files={"file": ("nps.csv", csv_bytes(nps_export(1_500)), "text/csv")})
        assert uploaded.status_code == 200, uploaded.text
        started = await client.post(f"/api/v1/connections/{connection_id}/sync", headers=owner.headers)
        job = await finished_job(client, owner.headers, started.json()["id"], seconds=30)
    assert job["status"] == "failed", job
    assert "row 1,001" in job["error"] and "CXSUITE_IMPORT_MAX_ROWS" in job["error"], job
    kept = await feedback_rows(settings, owner, connection_id)
    assert [r["external_id"] for r in kept] == [f"R{n:05d}" for n in range(998)]  # lines 3-1,000


async def test_an_upload_over_the_size_limit_is_413_naming_the_limit(strict_server, settings):
    async with httpx.AsyncClient(base_url=strict_server.base_url, timeout=30) as client:
        owner, connection_id = await survey_connection(client, Parties(client, outbox_dir(settings)), {})
        for size, limit in ((160_000, 150_000), (400_000, 250_000)):  # the file; the whole multipart body
            response = await client.post(f"/api/v1/connections/{connection_id}/upload", headers=owner.headers,
                                         files={"file": ("nps.csv", b"x" * size, "text/csv")})
            assert response.status_code == 413, response.text
            [error] = response.json()["errors"]
            assert error["limit"] == limit and f"{limit:,}" in error["reason"], error


async def test_bad_rows_are_summarised_in_one_log_line(client, parties, caplog):
    owner, connection_id = await survey_connection(client, parties, {})
    caplog.set_level(logging.INFO, logger="cxsuite")
    content = csv_bytes(nps_export(20, bad=300))
    await client.post(f"/api/v1/connections/{connection_id}/upload", headers=owner.headers,
                      files={"file": ("nps.csv", content, "text/csv")})
    started = await client.post(f"/api/v1/connections/{connection_id}/sync", headers=owner.headers)
    job = await finished_job(client, owner.headers, started.json()["id"], seconds=30)
    assert job["counts"]["failed"] == 300, job
    rejected = [r.getMessage() for r in caplog.records if "rejected" in r.getMessage()]
    assert len(rejected) == 1, rejected[:5]
    assert "300 rejected" in rejected[0] and "×300" in rejected[0] and "BAD0" in rejected[0], rejected


async def test_a_cancel_takes_effect_within_5_s_while_a_large_workbook_is_read(client, parties, tmp_path):
    owner, connection_id = await survey_connection(client, parties, {})
    header = [["Respondent ID", "How likely are you to recommend us? (0-10)", "Why?"]]
    answers = ([f"R{n}", n % 11, "because of the long reason someone typed"] for n in range(150_000))
    content = write_workbook(tmp_path / "large.xlsx", sheet_rows([*header, *answers])).read_bytes()
    uploaded = await client.post(f"/api/v1/connections/{connection_id}/upload", headers=owner.headers,
                                 files={"file": ("large.xlsx", content, "application/octet-stream")})
    assert uploaded.status_code == 200, uploaded.text
    job_id = (await client.post(f"/api/v1/connections/{connection_id}/sync", headers=owner.headers)).json()["id"]
    for _ in range(100):
        if (await client.get(f"/api/v1/jobs/{job_id}", headers=owner.headers)).json()["status"] == "running":
            break
        await asyncio.sleep(0.05)
    await asyncio.sleep(1.0)  # well into reading the sheet
    asked = time.monotonic()
    cancel = await client.post(f"/api/v1/jobs/{job_id}/cancel", headers=owner.headers)
    assert cancel.status_code == 202, cancel.text
    job = await finished_job(client, owner.headers, job_id, seconds=60)
    took = time.monotonic() - asked
    assert job["status"] == "cancelled", job
    assert took < SECONDS, f"cancel took {took:.1f} s"
