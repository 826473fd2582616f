"""Issue 15: where a metric has no figure the report prints the translated words for
insufficient evidence (never 0), and a flagged figure carries its caveat, in every language."""

from __future__ import annotations

import pytest

from cxsuite.reports import builder
from cxsuite.reports.caveats import FLAGGED, INSUFFICIENT, NO_SOURCE, NOT_MEASURED
from cxsuite.reports.document import SUPPORTED_LANGUAGES, Term
from cxsuite.reports.i18n import localiser
from cxsuite.reports.render import TEMPLATES_DIR
from cxsuite.scoring import shipped_model
from cxsuite.scoring.results import MetricState


def state(key: str, status: str, value: float | None, reason: str | None, unit: str = "percent") -> MetricState:
    return MetricState(key=key, stage=None, channel=None, status=status, value=value, unit=unit, n=120,
                       reason=reason, notes=())


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
def test_insufficient_metrics_print_the_translated_words_and_why(language: str):
    l10n = localiser(TEMPLATES_DIR, language)
    model = shipped_model()
    missing = builder._state_evidence(model, state("workflow_touch_share", "insufficient", None,
                                                   "no source marks interactions as automated"), l10n)
    assert missing.value == l10n.gettext(INSUFFICIENT) != "0"
    assert missing.caveats == (Term(NO_SOURCE),)
    if language != "en":
        assert missing.value != INSUFFICIENT and l10n.gettext(NO_SOURCE) != NO_SOURCE
    empty = builder._state_evidence(model, state("nps", "insufficient", None, "no records in the period",
                                                 "points"), l10n)
    assert empty.caveats == (Term(NOT_MEASURED),) and empty.kind == "x_data"
    flagged = builder._state_evidence(model, state("duplicate_customer_rate", "flagged", 100.0, "placeholder"), l10n)
    assert flagged.value == 100.0 and flagged.caveats[0] == Term(FLAGGED)
    if language != "en":
        assert l10n.gettext(FLAGGED) != FLAGGED


def test_outcomes_without_a_figure_get_a_kpi_row_that_says_so():
    from cxsuite.scoring import Journey, score
    from cxsuite.scoring.inputs import MetricValue

    model = shipped_model()
    result = score(model, Journey.default(model), [
        MetricValue(key="win_rate", value=None, unit="percent", n=0, status="insufficient",
                    reason="no records in the period")])
    rows = builder._missing_kpis(model, result, localiser(TEMPLATES_DIR, "en"))
    assert [(r.value, r.caveats) for r in rows] == [(None, (Term(NOT_MEASURED),))]
