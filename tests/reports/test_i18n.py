"""Catalogues are complete, loaded from the committed .po files, and numbers and dates are localised."""

from __future__ import annotations

from datetime import date

import pytest

from cxsuite.reports.catalogue import MODEL_FILE, missing, model_msgids, required_msgids, template_msgids
from cxsuite.reports.document import SUPPORTED_LANGUAGES
from cxsuite.reports.i18n import localiser
from cxsuite.reports.render import TEMPLATES_DIR, render_html
from cxsuite.reports.sample import sample_document


@pytest.mark.parametrize("language", [lang for lang in SUPPORTED_LANGUAGES if lang != "en"])
def test_every_catalogue_translates_every_string(language: str):
    gaps = missing(language)
    assert not gaps, (
        f"{language} misses {len(gaps)} strings, e.g. {gaps[:5]} (python -m cxsuite.reports.catalogue)"
    )


def test_the_required_strings_come_from_templates_code_and_model():
    required = required_msgids()
    assert {"Executive summary", "Overall maturity", "Quick win", "Page %(page)s of %(pages)s"} <= required
    assert len(template_msgids()) > 50
    if MODEL_FILE.exists():
        names = model_msgids()
        assert names and names <= required
        assert "Reactive" in names and "Data integration" in names


def _spaces(text: str) -> str:
    """CLDR uses no-break and narrow no-break spaces; the expectations are written with plain ones."""
    return text.replace("\u00a0", " ").replace("\u202f", " ")


@pytest.mark.parametrize(
    ("language", "heading", "number", "day"),
    [
        ("en", "Executive summary", "12,345.6", "October 15, 2026"),
        ("lt", "Santrauka vadovams", "12 345,6", "2026 m. spalio 15 d."),
        ("lv", "Kopsavilkums vadībai", "12 345,6", "2026. gada 15. oktobris"),
        ("ru", "Резюме для руководства", "12 345,6", "15 октября 2026 г."),
        ("fa", "خلاصه مدیریتی", "۱۲٬۳۴۵٫۶", "۱۵ اکتبر ۲۰۲۶"),
    ],
)
def test_text_numbers_and_dates_follow_the_language(language: str, heading: str, number: str, day: str):
    l10n = localiser(TEMPLATES_DIR, language)
    assert l10n.gettext("Executive summary") == heading
    assert _spaces(l10n.number(12345.6, 1)) == number
    assert _spaces(l10n.date(date(2026, 10, 15))) == day
    assert heading in render_html(sample_document(language))
