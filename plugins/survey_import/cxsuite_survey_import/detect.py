"""Which column holds what, and which metric and scale the scores are on.

Detection reads the headers first (the question wording says what was asked: "recommend" is
NPS, "easy" or "effort" is CES, "satisfied" is CSAT, and "(0-10)" or "1 to 5" states the
scale) and the values second (a CSAT column holding 6s and 7s is on 1-7). What the connection
declares always wins. A file holding rating questions on different scales is refused as a
whole: scores on different scales are never combined into one metric (SCORING.md).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from cxsuite.errors import ConnectorConfigError
from cxsuite_survey_import.config import SCALES, SurveyImportConfig
from cxsuite_survey_import.table import Table

ALIASES: dict[str, tuple[str, ...]] = {
    "respondent_id": ("respondent id", "response id", "responseid", "submission id", "record id",
                      "token", "#", "id"),
    "submitted_at": ("submitted at", "submit date (utc)", "submit date", "date submitted", "submitted",
                     "end date", "recorded date", "recordeddate", "completed at", "completed",
                     "timestamp", "response date", "date"),
    "email": ("email", "email address", "e-mail", "recipient email", "recipientemail", "respondent email"),
    "customer_id": ("customer id", "external data reference", "external reference", "externalreference",
                    "account id", "user id"),
    "touchpoint": ("touchpoint",),
    "channel": ("channel",),
    "journey_stage": ("journey stage", "stage"),
}
"""Header names survey tools use (SurveyMonkey, Typeform, Qualtrics, Google Forms), most
telling first: a file with both "End Date" and "Start Date" is dated by when it was sent."""

METRIC_WORDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("nps", re.compile(r"recommend|net promoter|\bnps\b")),
    ("ces", re.compile(r"\beas(y|ily|e)\b|\beffort|\bces\b")),
    ("csat", re.compile(r"satisf|\bcsat\b|\bhapp(y|iness)\b|\brate (your|our|the|us|this)\b"
                        r"|\b(overall|star|experience|service|support|satisfaction) rating\b")),
)
"""Words that name the metric a question asks, matched on the header with ``_`` and ``-`` read
as spaces (Qualtrics ``Q1_NPS``, Typeform variables ``nps_score``, ``csat_score``). Google
Forms and SurveyMonkey ask CSAT as "How would you rate your experience?" or a star "Overall
rating"; Typeform's opinion scale often as "How happy were you …"."""
GENERIC_SCORE = ("score", "rating", "answer", "value")
COMMENT_WORDS = re.compile(r"comment|\bwhy\b|reason|feedback|tell us|explain|improve|anything else")
RANGE = re.compile(r"(\d+)\s*(?:-|–|—|to)\s*(\d+)")
NUMBER = re.compile(r"^\s*([+-]?\d+(?:[.,]\d+)?)(?=\s|$|[-–:=(])")


@dataclass(frozen=True)
class Scale:
    """A metric on a scale, and where that came from (declared, wording, values, standard)."""

    metric: str
    low: int
    high: int
    source: str

    @property
    def direction(self) -> str:
        """CES v1 (1-5, effort) is better when lower; every other scale when higher."""
        return "lower_better" if (self.metric, self.low, self.high) == ("ces", 1, 5) else "higher_better"

    @property
    def label(self) -> str:
        """As messages show it: ``NPS 0-10``."""
        return f"{self.metric.upper()} {self.low}-{self.high}"


@dataclass(frozen=True)
class Layout:
    """The columns of one survey file (``None``: the file has no such column)."""

    score: int
    scale: Scale
    question: str
    columns: dict[str, int | None]


def parse_score(text: str) -> float | None:
    """A score from "9", "9.0", "9,0" or "10 - Extremely likely"; ``None`` if there is none."""
    match = NUMBER.match(text)
    return float(match.group(1).replace(",", ".")) if match else None


def _normal(header: str) -> str:
    return " ".join(header.lower().split())


def _metric_of(wording: str) -> str | None:
    text = _normal(re.sub(r"[_-]", " ", wording))
    return next((metric for metric, pattern in METRIC_WORDS if pattern.search(text)), None)


def _scores(table: Table, column: int) -> list[float]:
    return [s for row in table.rows if (s := parse_score(row.get(column))) is not None]


def _numeric(table: Table, column: int) -> bool:
    """Mostly numbers: NPS "group" columns (Promoter, Detractor) are not scores."""
    filled = [row.get(column) for row in table.rows if row.get(column)]
    return bool(filled) and sum(parse_score(v) is not None for v in filled) * 2 >= len(filled)


def _find(headers: Iterable[str], names: tuple[str, ...]) -> int | None:
    normal = [_normal(h) for h in headers]
    return next((normal.index(n) for n in names if n in normal), None)


def _named(table: Table, header: str, what: str) -> int:
    """A column the configuration names; a wrong name lists the headers there are."""
    found = _find(table.headers, (_normal(header),))
    if found is None:
        raise ConnectorConfigError(f"columns.{what} names '{header}', which is not a column of this file "
                                   f"(columns: {', '.join(h for h in table.headers if h)})")
    return found


def scale_for(metric: str, wording: str, values: list[float], config: SurveyImportConfig) -> Scale:
    """The scale a question was asked on: declared, stated in its wording, or read from values."""
    if config.scale_min is not None and config.scale_max is not None:
        return Scale(metric, config.scale_min, config.scale_max, "declared")
    stated = RANGE.search(wording)
    if stated and (int(stated.group(1)), int(stated.group(2))) in SCALES[metric]:
        return Scale(metric, int(stated.group(1)), int(stated.group(2)), "wording")
    if metric == "csat":
        seven = any(v in (6.0, 7.0) for v in values)
        return Scale(metric, 1, 7 if seven else 5, "values")
    if metric == "ces" and "effort" in _normal(wording):
        if any(v in (6.0, 7.0) for v in values):  # "Customer Effort Score" asked on 1-7
            return Scale(metric, 1, 7, "values")
        return Scale(metric, 1, 5, "wording")
    low, high = SCALES[metric][0]
    return Scale(metric, low, high, "standard")


def _metric_from_values(header: str, values: list[float]) -> str:
    """Only 0-10 holds a 0 or anything above 7; any other column is ambiguous."""
    if any(v == 0 or v > 7 for v in values):
        return "nps"
    raise ConnectorConfigError(f"cannot tell whether '{header}' holds NPS, CSAT or CES answers; declare "
                               "metric (and scale_min, scale_max) in the connection's configuration")


def _candidates(table: Table, config: SurveyImportConfig) -> list[tuple[int, str]]:
    """Rating columns with the metric their wording names (or the declared one)."""
    found = []
    for column, wording in enumerate(table.wording):
        metric = _metric_of(wording)
        if metric and (config.metric in (None, metric)) and _numeric(table, column):
            found.append((column, metric))
    if found:
        return found
    generic = _find(table.headers, GENERIC_SCORE)
    if generic is not None and _numeric(table, generic):
        values = _scores(table, generic)
        return [(generic, config.metric or _metric_from_values(table.headers[generic], values))]
    raise ConnectorConfigError("no NPS, CSAT or CES question found in the file (columns: "
                               f"{', '.join(h for h in table.headers if h)}); name the score column in "
                               "the connection's configuration (columns.score)")


def _score_column(table: Table, config: SurveyImportConfig) -> tuple[int, Scale]:
    if config.columns.score:
        column = _named(table, config.columns.score, "score")
        wording = table.wording[column]
        metric = config.metric or _metric_of(wording) or _metric_from_values(wording, _scores(table, column))
        return column, scale_for(metric, wording, _scores(table, column), config)
    scales = [(column, scale_for(metric, table.wording[column], _scores(table, column), config))
              for column, metric in _candidates(table, config)]
    if len(scales) == 1:
        return scales[0]
    listed = "; ".join(f"{s.label} in '{table.headers[c]}'" for c, s in scales)
    if len({(s.metric, s.low, s.high) for _, s in scales}) > 1:
        raise ConnectorConfigError(f"this file mixes scales ({listed}); scores on different scales are never "
                                   "combined: import each question through its own connection, naming its "
                                   "column in the configuration (columns.score)")
    raise ConnectorConfigError(f"this file has several rating questions ({listed}); name the one to import "
                               "in the connection's configuration (columns.score)")


def _comment_column(table: Table, taken: set[int], score: int) -> int | None:
    """The first free-text question after the score ("Why?"), else the first anywhere."""
    matches = [c for c, w in enumerate(table.wording) if c not in taken and COMMENT_WORDS.search(_normal(w))]
    return next((c for c in matches if c > score), matches[0] if matches else None)


def detect_layout(table: Table, config: SurveyImportConfig) -> Layout:
    """Every column the import uses; a file that cannot be read unambiguously is refused."""
    score, scale = _score_column(table, config)
    overrides = config.columns
    columns: dict[str, int | None] = {}
    for what, names in ALIASES.items():
        named = getattr(overrides, what, None)
        columns[what] = _named(table, named, what) if named else _find(table.headers, names)
    taken = {score, *(c for c in columns.values() if c is not None)}
    columns["comment"] = (_named(table, overrides.comment, "comment") if overrides.comment
                          else _comment_column(table, taken, score))
    question = config.question or table.wording[score]
    return Layout(score, scale, question, columns)
