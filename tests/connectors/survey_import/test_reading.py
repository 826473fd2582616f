"""Exports of the common survey tools, in CSV and XLSX, and what detection makes of them."""

from __future__ import annotations

from datetime import UTC, datetime

import msgspec
import pytest
from cxsuite_survey_import.config import SurveyImportConfig
from cxsuite_survey_import.connector import SurveyImportConnector

from cxsuite.errors import ConnectorConfigError
from tests.connectors.survey_import.files import NPS_QUESTION, csv_bytes, nps_export, xlsx_bytes

pytestmark = pytest.mark.anyio


def records(batches):
    return [r for b in batches for r in b.records]


def errors(batches):
    return [e for b in batches for e in b.errors]


async def test_surveymonkey_nps_csv_skips_the_second_header_row_and_reads_us_dates(read):
    feedback = records(await read(csv_bytes(nps_export(3))))
    assert [(f.external_id, f.metric, f.score, f.scale_min, f.scale_max) for f in feedback] == [
        ("R00000", "nps", 0, 0, 10), ("R00001", "nps", 1, 0, 10), ("R00002", "nps", 2, 0, 10)]
    first = feedback[1]
    assert first.question == NPS_QUESTION
    assert first.submitted_at == datetime(2024, 3, 5, 14, 15, tzinfo=UTC)  # End Date, month first, PM
    assert first.comment == "great service"
    assert first.customer_external_id == "person1@example.test"
    assert first.raw["line"] == 4 and first.raw["direction"] == "higher_better"
    assert first.raw["cells"]["Respondent ID"] == "R00001"


async def test_semicolon_csv_with_bom_google_forms_csat_and_day_first_dates(read):
    content = csv_bytes([["Timestamp", "Email Address", "Overall, how satisfied were you with your delivery?",
                          "Why?"],
                         ["25.03.2024 14:13:45", "Ana@Example.test", "4", "fast; friendly"],
                         ["02.04.2024 09:00:00", "bo@example.test", "2", ""]], delimiter=";", bom=True)
    feedback = records(await read(content, "form.csv", touchpoint="delivery", journey_stage="purchase"))
    assert [(f.metric, f.score, f.scale_min, f.scale_max) for f in feedback] == [("csat", 4, 1, 5),
                                                                                   ("csat", 2, 1, 5)]
    assert feedback[0].submitted_at == datetime(2024, 3, 25, 14, 13, 45, tzinfo=UTC)
    assert feedback[1].submitted_at == datetime(2024, 4, 2, 9, 0, tzinfo=UTC)
    assert feedback[0].comment == "fast; friendly"
    assert feedback[0].customer_external_id == "ana@example.test"
    assert (feedback[0].touchpoint, feedback[0].journey_stage) == ("delivery", "purchase")


async def test_qualtrics_three_header_rows_give_the_wording_and_ces_v2(read):
    content = csv_bytes([
        ["StartDate", "EndDate", "RecordedDate", "ResponseId", "Q1", "Q2"],
        ["Start Date", "End Date", "Recorded Date", "Response ID",
         "The company made it easy for me to handle my issue.", "Please tell us why."],
        ['{"ImportId":"startDate"}', '{"ImportId":"endDate"}', '{"ImportId":"recordedDate"}',
         '{"ImportId":"_recordId"}', '{"ImportId":"QID1"}', '{"ImportId":"QID2"}'],
        ["2024-05-01 10:00:00", "2024-05-01 10:02:00", "2024-05-01 10:02:01", "R_abc", "6", "quick"]])
    [feedback] = records(await read(content, "qualtrics.csv"))
    assert (feedback.external_id, feedback.metric, feedback.scale_min, feedback.scale_max) == ("R_abc", "ces", 1, 7)
    assert feedback.question == "The company made it easy for me to handle my issue."
    assert feedback.comment == "quick"
    assert feedback.raw["line"] == 4


async def test_typeform_xlsx_with_effort_wording_is_ces_v1_lower_is_better(read):
    content = xlsx_bytes([["#", "How much effort did you personally have to put forth to handle your request?",
                           "Submit Date (UTC)"],
                          ["tok1", 2, datetime(2024, 6, 1, 8, 30)],
                          ["tok2", 5.0, datetime(2024, 6, 2, 9, 0)]])
    feedback = records(await read(content, "typeform.xlsx"))
    assert [(f.external_id, f.score, f.scale_min, f.scale_max) for f in feedback] == [
        ("tok1", 2, 1, 5), ("tok2", 5, 1, 5)]
    assert feedback[0].raw["direction"] == "lower_better"
    assert feedback[0].submitted_at == datetime(2024, 6, 1, 8, 30, tzinfo=UTC)
    assert feedback[0].raw["line"] == 2  # Excel's row number


async def test_an_xlsx_sheet_can_be_chosen_and_a_missing_one_is_named(read):
    content = xlsx_bytes([["Score", "Comment"], [9, "ok"]], sheet="NPS")
    with pytest.raises(ConnectorConfigError, match=r"no sheet 'Data'.*NPS"):
        await read(content, "x.xlsx", sheet="Data")
    assert records(await read(content, "x.xlsx", sheet="NPS"))[0].metric == "nps"  # a 9 can only be 0-10


async def test_csat_answers_of_six_or_seven_mean_a_seven_point_scale(read):
    content = csv_bytes([["Response ID", "How satisfied are you with our support?"], ["a", "7"], ["b", "3"]])
    assert {(f.scale_min, f.scale_max) for f in records(await read(content))} == {(1, 7)}


async def test_a_declared_scale_wins_and_a_generic_score_needs_one(read):
    content = csv_bytes([["Date", "Score"], ["2024-01-02", "4"], ["2024-01-03", "5"]])
    with pytest.raises(ConnectorConfigError, match="cannot tell whether 'Score' holds NPS, CSAT or CES"):
        await read(content)
    feedback = records(await read(content, metric="csat", scale_min=1, scale_max=7, question="Rate your visit"))
    assert {(f.metric, f.scale_min, f.scale_max, f.question) for f in feedback} == {
        ("csat", 1, 7, "Rate your visit")}


def test_a_scale_no_metric_uses_is_refused_when_the_connection_is_configured():
    with pytest.raises(msgspec.ValidationError, match="nps is asked on 0-10, not 1-10"):
        msgspec.convert({"metric": "nps", "scale_min": 1, "scale_max": 10}, SurveyImportConfig)
    with pytest.raises(msgspec.ValidationError, match="both scale_min and scale_max"):
        msgspec.convert({"metric": "csat", "scale_min": 1}, SurveyImportConfig)


async def test_column_overrides_name_columns_detection_would_miss(read):
    content = csv_bytes([["Kunde", "Bewertung", "Anmerkung", "Eingang"],
                         ["K-1", "9", "super", "2024-02-01"]])
    [feedback] = records(await read(content, metric="nps", columns={
        "score": "Bewertung", "comment": "Anmerkung", "customer_id": "Kunde", "submitted_at": "Eingang"}))
    assert (feedback.score, feedback.comment, feedback.customer_external_id) == (9, "super", "K-1")
    assert feedback.submitted_at == datetime(2024, 2, 1, tzinfo=UTC)
    with pytest.raises(ConnectorConfigError, match=r"columns\.score names 'Note'.*Bewertung"):
        await read(content, metric="nps", columns={"score": "Note"})


async def test_bad_rows_are_reported_with_their_line_and_the_good_ones_land(read):
    content = csv_bytes([
        ["Response ID", "Date", NPS_QUESTION, "Comment"],
        ["a", "2024-01-01", "9", "multi\nline comment"],   # lines 2-3
        ["b", "2024-01-02", "11", ""],                      # line 4
        ["", "2024-01-03", "ten", ""],                      # line 5, no respondent id
        ["d", "yesterday", "7", ""],                        # line 6
        ["a", "2024-01-05", "3", ""],                       # line 7: same respondent as line 2
        ["f", "2024-01-06", "", ""],                        # line 8: question skipped, not an error
        ["g", "2024-01-07", "10", ""]])
    batches = await read(content)
    assert [f.external_id for f in records(batches)] == ["a", "g"]
    assert [(e.external_id, e.reason) for e in errors(batches)] == [
        ("b", "line 4: score 11 outside 0-10"),
        ("line:5", "line 5: score 'ten' is not a number"),
        ("d", "line 6: date not understood: 'yesterday'"),
        ("a", "line 7: same response as line 2")]
    assert "11" in errors(batches)[0].excerpt


async def test_a_file_mixing_scales_is_refused_and_one_question_can_be_chosen(read):
    content = csv_bytes([["Respondent ID", NPS_QUESTION, "How satisfied were you with onboarding? (1-5)"],
                         ["r1", "9", "4"], ["r2", "6", "2"]])
    with pytest.raises(ConnectorConfigError, match=r"mixes scales \(NPS 0-10 in .*CSAT 1-5 in"):
        await read(content)
    chosen = records(await read(content, columns={"score": "How satisfied were you with onboarding? (1-5)"}))
    assert {(f.metric, f.scale_max, f.external_id) for f in chosen} == {("csat", 5, "r1"), ("csat", 5, "r2")}


async def test_without_a_respondent_id_rows_get_a_stable_digest(read):
    content = csv_bytes([["Timestamp", "How likely are you to recommend us?"],
                         ["1/2/2024 9:00:00", "8"], ["1/2/2024 9:05:00", "3"]])
    first, again = records(await read(content)), records(await read(content))
    assert [f.external_id for f in first] == [f.external_id for f in again]
    assert all(f.external_id.startswith("row:") for f in first)
    assert len({f.external_id for f in first}) == 2


async def test_checkpoints_resume_at_the_row_reached_and_a_finished_file_reads_nothing(read, monkeypatch):
    monkeypatch.setattr(SurveyImportConnector, "batch_rows", 4)
    content = csv_bytes(nps_export(10))
    batches = await read(content)
    assert [len(b.records) for b in batches] == [4, 4, 2]
    assert [b.checkpoint["line"] for b in batches] == [6, 10, 12] and batches[-1].checkpoint["done"]
    resumed = await read(content, checkpoint=batches[0].checkpoint)
    assert [f.external_id for f in records(resumed)] == [f"R{n:05d}" for n in range(4, 10)]
    assert await read(content, checkpoint=batches[-1].checkpoint) == []
    other_file = await read(csv_bytes(nps_export(2)), checkpoint=batches[-1].checkpoint)
    assert len(records(other_file)) == 2  # a new upload starts from its first row
    redeclared = await read(content, checkpoint=batches[-1].checkpoint, touchpoint="web")
    assert len(records(redeclared)) == 10  # so does a changed configuration


@pytest.mark.parametrize(("content", "message"), [
    (b"\xff\xfe\x00\x00garbage", "neither UTF-8 text nor an XLSX workbook"),
    (b"PK\x03\x04not really a zip", "workbook could not be opened"),
    (b"\r\n\r\n", "the file has no rows"),
    (csv_bytes([["Name", "City"], ["Ann", "Oslo"]]), "no NPS, CSAT or CES question found"),
])
async def test_unreadable_files_fail_with_the_fix(read, content, message):
    with pytest.raises(ConnectorConfigError, match=message):
        await read(content)
