"""Defects of issue 15 in the survey import, each shown failing on the code before the fix:
score columns as Typeform, SurveyMonkey, Qualtrics and Google Forms name them were missed, and
answer times without a zone could only be read as UTC."""

from __future__ import annotations

from datetime import UTC, datetime

import msgspec
import pytest
from cxsuite_survey_import.config import SurveyImportConfig

from tests.connectors.survey_import.files import csv_bytes

pytestmark = pytest.mark.anyio


def records(batches):
    return [r for b in batches for r in b.records]


@pytest.mark.parametrize(("header", "scores", "expected"), [
    ("Q1_NPS", [0, 9, 10], ("nps", 0, 10)),                      # Qualtrics, one header row
    ("nps_score", [3, 9, 10], ("nps", 0, 10)),                   # Typeform hidden field / variable
    ("NPS_Score (0-10)", [1, 5, 9], ("nps", 0, 10)),
    ("csat_score", [1, 4, 5], ("csat", 1, 5)),
    ("CSAT Score", [1, 4, 5], ("csat", 1, 5)),
    ("How would you rate your overall experience?", [1, 4, 5], ("csat", 1, 5)),  # Google Forms
    ("Overall rating", [2, 3, 5], ("csat", 1, 5)),               # SurveyMonkey star rating
    ("How happy were you with our support? (1-7)", [1, 6, 7], ("csat", 1, 7)),   # Typeform opinion scale
    ("Customer Effort Score", [1, 5, 7], ("ces", 1, 7)),
    ("ces_score", [1, 5, 7], ("ces", 1, 7)),
])
async def test_common_export_headers_of_the_score_column_are_found(read, header, scores, expected):
    rows = [["Response ID", "Submitted At", header]] + [[f"r{i}", "2024-03-05 10:00:00", s]
                                                         for i, s in enumerate(scores)]
    feedback = records(await read(csv_bytes(rows)))
    assert [(f.metric, f.scale_min, f.scale_max) for f in feedback] == [expected] * len(scores)
    assert [f.score for f in feedback] == scores


async def test_answer_times_without_a_zone_are_read_in_the_declared_time_zone(read):
    content = csv_bytes([["Respondent ID", "End Date", "How likely are you to recommend us? (0-10)"],
                         ["a", "03/05/2024 02:00:00 PM", "9"],      # winter: Vilnius is UTC+2
                         ["b", "2024-07-01T10:00:00", "8"],         # summer: UTC+3
                         ["c", "2024-07-01T10:00:00+00:00", "7"]])  # a stated zone wins
    feedback = records(await read(content, timezone="Europe/Vilnius"))
    assert [f.submitted_at for f in feedback] == [datetime(2024, 3, 5, 12, tzinfo=UTC),
                                                  datetime(2024, 7, 1, 7, tzinfo=UTC),
                                                  datetime(2024, 7, 1, 10, tzinfo=UTC)]
    utc = records(await read(content))
    assert utc[0].submitted_at == datetime(2024, 3, 5, 14, tzinfo=UTC)  # the default stays UTC


def test_an_unknown_time_zone_is_refused_when_the_connection_is_configured():
    with pytest.raises(msgspec.ValidationError, match="IANA"):
        msgspec.convert({"timezone": "Mars/Olympus"}, SurveyImportConfig)
