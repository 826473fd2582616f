"""The file-import API: upload, preview, confirm the mapping, import — and what it refuses."""

from __future__ import annotations

from uuid import UUID

import httpx
import pytest

from cxsuite.db.sql import execute
from tests.connectors.survey_import.files import csv_bytes, xlsx_bytes
from tests.imports.flow import (
    FILES,
    confirm,
    import_all,
    new_connection,
    preview,
    snapshot,
    upload,
    upload_and_confirm_all,
)

pytestmark = pytest.mark.anyio

CUSTOMERS = csv_bytes([
    ["Kliento ID", "El. paštas", "Vardas", "Pavardė", "Sukurta", "Segmentai", "Būsena"],
    ["K1", "Ana@Example.lt", "Ana", "K", "05.03.2025 14:00", "VIP; Naujienlaiškis", "customer"],
    ["K2", "bo@example.lt", "Bo", "L", "31.02.2025", "", "lead"],
    ["K3", "ci@example.lt", "Ci", "M", "2025-04-01", "", "customer"],
    ["K1", "again@example.lt", "Dup", "D", "2025-04-02", "", "customer"],
], delimiter=";")


async def customers_confirmed(client: httpx.AsyncClient, headers: dict[str, str], workspace_id: UUID,
                              ) -> tuple[str, httpx.Response]:
    """A new file connection with CUSTOMERS uploaded and its proposed mapping confirmed:
    the connection's id and the confirmation's response."""
    connection_id = await new_connection(client, headers, workspace_id)
    await upload(client, headers, connection_id, "customers", CUSTOMERS)
    body = (await preview(client, headers, connection_id, "customers")).json()
    columns = {c["field"]: c["header"] for c in body["mapping"]}
    confirmed = await confirm(client, headers, connection_id, "customers", columns, {"timezone": "Europe/Vilnius"})
    return connection_id, confirmed


async def test_preview_proposes_a_mapping_and_names_each_bad_cell_before_anything_is_written(eng, client, db):
    headers = eng.owner.headers
    connection_id = await new_connection(client, headers, eng.workspace_id)
    uploaded = await upload(client, headers, connection_id, "customers", CUSTOMERS, "klientai.csv")
    assert uploaded.status_code == 200, uploaded.text
    assert uploaded.json()["confirmed"] is False and uploaded.json()["file_name"] == "klientai.csv"

    seen = await preview(client, headers, connection_id, "customers", file_settings={"timezone": "Europe/Vilnius"})
    assert seen.status_code == 200, seen.text
    body = seen.json()
    assert {c["field"]: (c["header"], c["source"]) for c in body["mapping"]} == {
        "external_id": ("Kliento ID", "detected"), "email": ("El. paštas", "detected"),
        "first_name": ("Vardas", "detected"), "last_name": ("Pavardė", "detected"),
        "lifecycle_stage": ("Būsena", "detected"), "segments": ("Segmentai", "detected"),
        "created_at": ("Sukurta", "detected")}
    first = body["rows"][0]
    assert first["row"] == 2 and first["problems"] == []
    assert first["values"]["email"] == "ana@example.lt" and first["values"]["segments"] == ["Naujienlaiškis", "VIP"]
    assert first["values"]["created_at"] == "2025-03-05T12:00:00+00:00"  # Vilnius winter time, UTC+2
    assert [(p["row"], p["column"], p["field"]) for p in body["problems"]] == [
        (3, "Sukurta", "created_at"), (5, "Kliento ID", "external_id")]
    assert "same id 'K1' as row 2" in body["problems"][1]["reason"]
    assert (await snapshot(db, eng.tenant_id, connection_id))["record_customer"] == []  # nothing written

    overridden = await preview(client, headers, connection_id, "customers", columns={"segments": "", "email": "Vardas"})
    assert overridden.status_code == 200, overridden.text
    mapped = {c["field"]: c["header"] for c in overridden.json()["mapping"]}
    assert mapped["email"] == "Vardas" and "first_name" not in mapped and "segments" not in mapped
    assert "Segmentai" in overridden.json()["unmapped_headers"]

    refused = await preview(client, headers, connection_id, "customers", columns={"email": "Nope", "colour": "Vardas"})
    assert refused.status_code == 422
    problems = {e["field"]: e["reason"] for e in refused.json()["errors"]}
    assert "the file has no column 'Nope'" in problems["body.columns.email"]
    assert "not a field of customers" in problems["body.columns.colour"]


async def test_import_reports_bad_rows_and_a_second_import_changes_nothing(eng, client, db):
    headers = eng.owner.headers
    connection_id, confirmed = await customers_confirmed(client, headers, eng.workspace_id)
    assert confirmed.status_code == 200 and confirmed.json()["confirmed"] is True
    job = await import_all(client, headers, connection_id)
    assert job["status"] == "succeeded", job
    assert (job["counts"]["written"], job["counts"]["failed"]) == (2, 2)
    issues = (await client.get(f"/api/v1/connections/{connection_id}/issues", headers=headers)).json()["items"]
    assert sorted(i["external_id"] for i in issues) == ["K1", "K2"]
    assert any("row 3, column 'Sukurta' (created_at)" in i["reason"] for i in issues)
    before = await snapshot(db, eng.tenant_id, connection_id)
    assert [r[0] for r in before["record_customer"]] == ["K1", "K3"]

    again = await import_all(client, headers, connection_id)  # the same file: done, nothing read
    assert again["status"] == "succeeded" and again["counts"]["written"] == 0
    await upload(client, headers, connection_id, "customers", CUSTOMERS, "copy.csv")
    third = await import_all(client, headers, connection_id)  # the file again, under another name
    assert third["status"] == "succeeded" and third["counts"]["written"] == 0, third
    assert await snapshot(db, eng.tenant_id, connection_id) == before  # same rows, same content hashes


async def test_the_workspace_reuses_a_confirmed_mapping_for_the_next_file_of_the_kind(eng, client, db):
    headers = eng.owner.headers
    first = await new_connection(client, headers, eng.workspace_id)
    await upload_and_confirm_all(client, headers, first)
    second = await new_connection(client, headers, eng.workspace_id, "Next month's exports")
    await upload(client, headers, second, "tickets")
    seen = (await preview(client, headers, second, "tickets")).json()
    assert {c["source"] for c in seen["mapping"]} == {"saved"}
    assert seen["file_settings"]["date_format"] == "DD.MM.YYYY" and seen["file_settings"]["timezone"] == "Europe/Riga"
    job = await import_all(client, headers, second)  # no confirmation needed: the saved mapping fits
    assert job["status"] == "succeeded" and job["counts"]["written"] == 420, job
    files = (await client.get(f"/api/v1/connections/{second}/files", headers=headers)).json()
    assert [(f["kind"], f["confirmed"]) for f in files] == [("tickets", True)]

    await upload(client, headers, second, "customers", CUSTOMERS)  # other headers than the saved mapping
    refused = await client.post(f"/api/v1/connections/{second}/import", headers=headers)
    assert refused.status_code == 422
    assert refused.json()["errors"] == [{"field": "files.customers", "reason": refused.json()["errors"][0]["reason"]}]
    assert "confirm the column mapping" in refused.json()["errors"][0]["reason"]


async def test_feedback_scales_and_metrics_are_checked_and_a_survey_question_is_a_score(eng, client):
    headers = eng.owner.headers
    connection_id = await new_connection(client, headers, eng.workspace_id)
    content = csv_bytes([["Response ID", "How likely are you to recommend us to a friend?", "Submitted At"],
                         ["r1", "9", "2025-03-01 10:00"], ["r2", "11", "2025-03-01 11:00"],
                         ["r3", "7,5", "2025-03-01 12:00"]])
    await upload(client, headers, connection_id, "feedback", content, "typeform.csv")
    body = (await preview(client, headers, connection_id, "feedback", file_settings={"decimal_separator": ","})).json()
    assert {c["field"]: c["header"] for c in body["mapping"]}["score"].startswith("How likely")
    assert body["file_settings"]["defaults"] == {"metric": "nps"} and body["missing_required"] == []
    assert body["rows"][0]["values"]["metric"] == "nps" and body["rows"][0]["values"]["scale_max"] == 10
    assert [(p["row"], p["field"], p["reason"]) for p in body["problems"]] == [
        (3, "score", "11 is not a whole point of 0-10"), (4, "score", "7.5 is not a whole point of 0-10")]
    no_metric = await confirm(client, headers, connection_id, "feedback", {"score": "Submitted At"})
    assert no_metric.status_code == 422
    assert {e["field"] for e in no_metric.json()["errors"]} == {"body.columns.metric"}


async def test_refusals_are_problem_details_with_field_and_reason(eng, client, parties):
    headers = eng.owner.headers
    connection_id = await new_connection(client, headers, eng.workspace_id)
    unknown = await preview(client, headers, connection_id, "invoices")
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "path.kind"
    nothing = await preview(client, headers, connection_id, "tickets")
    assert nothing.status_code == 422 and "upload the tickets file first" in nothing.text
    empty = await client.post(f"/api/v1/connections/{connection_id}/import", headers=headers)
    assert empty.status_code == 422 and empty.json()["errors"][0]["field"] == "files"
    single = await client.post(f"/api/v1/connections/{connection_id}/upload", headers=headers,
                               files={"file": ("x.csv", b"id\n1\n", "text/csv")})
    assert single.status_code == 422 and "one file per kind" in single.text
    bad_zone = await preview(client, headers, connection_id, "tickets", file_settings={"timezone": "Mars/Base"})
    assert bad_zone.status_code == 422 and bad_zone.json()["errors"][0]["field"] == "body.file_settings.timezone"
    for shapeless in (await preview(client, headers, connection_id, "tickets", file_settings=[None, None]),
                      await confirm(client, headers, connection_id, "tickets", {"external_id": "x"}, [None])):
        assert shapeless.status_code == 400, shapeless.text  # found by schemathesis: was a 500
        assert shapeless.json()["errors"][0]["field"] == "body.file_settings"
    survey = await client.post(f"/api/v1/workspaces/{eng.workspace_id}/connections", headers=headers,
                               json={"connector": "survey_import"})
    other_kind = await preview(client, headers, survey.json()["connection"]["id"], "feedback")
    assert other_kind.status_code == 422 and other_kind.json()["errors"][0]["field"] == "path.connection_id"

    bomb = xlsx_bytes([["id"]] + [[str(n)] for n in range(10)])
    too_big = await upload(client, headers, connection_id, "customers", bomb + b"\0" * 30_000_000, "big.xlsx")
    assert too_big.status_code in (413, 422)


async def test_a_client_admin_imports_and_a_client_viewer_may_not(eng, client, parties):
    admin = await parties.client_user(eng.owner, str(eng.workspace_id), "client_admin")
    viewer = await parties.client_user(eng.owner, str(eng.workspace_id), "client_viewer")
    connection_id = await new_connection(client, admin.headers, eng.workspace_id)
    assert (await upload(client, viewer.headers, connection_id, "tickets")).status_code == 403
    assert (await preview(client, viewer.headers, connection_id, "tickets")).status_code == 403
    assert (await upload(client, admin.headers, connection_id, "tickets")).status_code == 200
    body = (await preview(client, admin.headers, connection_id, "tickets",
                          file_settings={"date_format": "DD.MM.YYYY"})).json()
    columns = {c["field"]: c["header"] for c in body["mapping"]}
    assert (await confirm(client, admin.headers, connection_id, "tickets", columns, body["file_settings"])).status_code == 200
    assert (await client.post(f"/api/v1/connections/{connection_id}/import", headers=viewer.headers)).status_code == 403
    job = await import_all(client, admin.headers, connection_id)
    assert job["status"] == "succeeded" and job["counts"]["written"] == 420
    assert len(FILES) == 5


async def test_an_import_stores_its_customers_match_keys_and_resolves_the_view(eng, client, db):
    headers = eng.owner.headers
    connection_id, _ = await customers_confirmed(client, headers, eng.workspace_id)
    assert (await import_all(client, headers, connection_id))["status"] == "succeeded"
    async with db.transaction(eng.tenant_id, write=False):
        rows = await execute(db.engine, "SELECT external_id, kind, value FROM customer_match_key "
                             "WHERE tenant_id = {}", eng.tenant_id)
        members = await execute(db.engine, "SELECT external_id FROM customer_member WHERE tenant_id = {}",
                                eng.tenant_id)
    assert {(r["external_id"], r["kind"], r["value"]) for r in rows} == {
        ("K1", "email", "ana@example.lt"), ("K3", "email", "ci@example.lt")}
    assert sorted(m["external_id"] for m in members) == ["K1", "K3"]  # the view resolved, too
