"""Detection and cell reading without a server: header synonyms in the five languages, the
fixture files mapped completely, and dates, numbers and yes/no read with an import's settings."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from cxsuite.connectors.files import FileLimits, file_rows
from cxsuite.imports.detect import detect, metric_from_wording
from cxsuite.imports.fields import normal_header
from cxsuite.imports.rows import shape
from cxsuite.imports.values import (
    CellError,
    ReadSettings,
    parse_bool,
    parse_datetime,
    parse_number,
    settings_problems,
    won_from_stage,
)
from tests.imports.flow import FILES, FIXTURES


@pytest.mark.parametrize(("kind", "field", "headers"), [
    ("customers", "email", ("E-mail", "El. paštas", "E-pasts", "Эл. почта", "ایمیل")),
    ("customers", "phone", ("Phone", "Telefonas", "Tālrunis", "Телефон", "تلفن")),
    ("customers", "name", ("Full name", "Vardas Pavardė", "Vārds Uzvārds", "ФИО", "نام کامل")),
    ("customers", "external_id", ("Customer ID", "Kliento ID", "Klienta ID", "ID клиента", "شناسه مشتری")),
    ("customers", "created_at", ("Created", "Sukurta", "Izveidots", "Дата создания", "تاریخ ایجاد")),
    ("deals", "amount", ("Amount", "Suma", "Summa", "Сумма", "مبلغ")),
    ("deals", "external_id", ("Order ID", "Užsakymo nr.", "Pasūtījuma nr.", "Номер заказа", "شماره سفارش")),
    ("tickets", "external_id", ("Ticket ID", "Užklausos nr.", "Pieteikuma nr.", "Номер заявки", "شماره تیکت")),
    ("tickets", "resolved_at", ("Resolved at", "Išspręsta", "Atrisināts", "Решено", "حل شده")),
    ("tickets", "channel", ("Channel", "Kanalas", "Kanāls", "Канал", "کانال")),
    ("interactions", "type", ("Activity type", "Tipas", "Tips", "Тип", "نوع")),
    ("interactions", "occurred_at", ("Date", "Data", "Datums", "Дата", "تاریخ")),
    ("feedback", "score", ("Score", "Įvertinimas", "Vērtējums", "Оценка", "امتیاز")),
    ("feedback", "comment", ("Comment", "Komentaras", "Komentārs", "Комментарий", "نظر")),
])
def test_main_columns_are_detected_in_the_five_languages(kind, field, headers):
    for header in headers:
        assert detect(kind, ["x", header]).columns.get(field) == header, (kind, header)


def test_headers_compare_without_case_accents_punctuation_or_letter_variants():
    assert normal_header("  E-MAIL ") == normal_header("e_mail") == "e mail"
    assert normal_header("El. Paštas") == "el pastas"
    assert normal_header("شماره تيكت") == normal_header("شماره تیکت")  # Arabic ي/ك as Persian ی/ک


@pytest.mark.parametrize("kind", list(FILES))
def test_every_column_of_the_fixture_files_is_mapped(kind):
    content = (FIXTURES / FILES[kind]).read_bytes()
    table = shape(list(file_rows(content, FILES[kind], FileLimits())))
    detected = detect(kind, table.headers)
    assert detected.unmapped_headers(table.headers) == [], kind
    assert set(detected.sources.values()) == {"detected"}


def test_the_most_specific_name_wins_and_a_saved_mapping_goes_first():
    assert detect("tickets", ["ID", "Customer ID"]).columns == {"external_id": "ID",
                                                               "customer_external_id": "Customer ID"}
    saved = detect("tickets", ["Nr", "Who"], saved={"external_id": "Nr", "customer_external_id": "Who",
                                                    "subject": "Gone"})
    assert saved.columns == {"external_id": "Nr", "customer_external_id": "Who"}
    assert set(saved.sources.values()) == {"saved"}


def test_a_survey_question_names_its_metric():
    assert metric_from_wording("How likely are you to recommend us to a friend?") == "nps"
    assert metric_from_wording("Kaip esate patenkinti aptarnavimu?") == "csat"
    assert metric_from_wording("Насколько легко было решить вопрос?") == "ces"
    assert metric_from_wording("Order total") is None


def test_dates_follow_the_format_and_the_time_zone():
    vilnius = ReadSettings(timezone="Europe/Vilnius")
    assert parse_datetime("2025-03-05 14:00", vilnius) == datetime(2025, 3, 5, 12, tzinfo=UTC)
    assert parse_datetime("2025-07-05T14:00:00", vilnius) == datetime(2025, 7, 5, 11, tzinfo=UTC)  # summer
    assert parse_datetime("2025-07-05T14:00:00Z", vilnius) == datetime(2025, 7, 5, 14, tzinfo=UTC)
    us = ReadSettings(date_format="MM/DD/YYYY", timezone="America/New_York")
    assert parse_datetime("03/05/2025 02:30 PM", us) == datetime(2025, 3, 5, 19, 30, tzinfo=UTC)
    eu = ReadSettings(date_format="DD/MM/YYYY")
    assert parse_datetime("03/05/2025", eu) == datetime(2025, 5, 3, tzinfo=UTC)
    assert parse_datetime("03.05.2025", ReadSettings(), dayfirst=True) == datetime(2025, 5, 3, tzinfo=UTC)
    with pytest.raises(CellError, match="not a date"):
        parse_datetime("31.02.2025", ReadSettings(date_format="DD.MM.YYYY"))
    with pytest.raises(CellError, match="does not match the date format"):
        parse_datetime("2025/03/05", ReadSettings(date_format="DD/MM/YYYY"))


def test_numbers_follow_the_separators():
    comma = ReadSettings(decimal_separator=",", thousands_separator=".")
    assert parse_number("1.234,50 €", comma) == 1234.5
    assert parse_number("\u20ac\u00a01\u202f234,5", ReadSettings(decimal_separator=",")) == 1234.5
    assert parse_number("$1,234.50", ReadSettings(thousands_separator=",")) == 1234.5
    with pytest.raises(CellError, match="decimal separator"):
        parse_number("1,5", ReadSettings())


def test_yes_and_no_in_five_languages_and_won_from_a_stage():
    assert [parse_bool(v) for v in ("Yes", "taip", "jā", "да", "بله")] == [True] * 5
    assert [parse_bool(v) for v in ("no", "ne", "nē", "нет", "خیر")] == [False] * 5
    with pytest.raises(CellError):
        parse_bool("maybe")
    assert [won_from_stage(s) for s in ("Closed Won", "Apmokėta", "Atšaukta", "Naujas", None)] == [
        True, True, False, None, None]


def test_unusable_settings_name_their_field():
    wrong = settings_problems(ReadSettings(timezone="Mars/Base", decimal_separator=",",
                                           thousands_separator=","), "body.settings")
    assert [field for field, _ in wrong] == ["body.settings.timezone", "body.settings.thousands_separator"]
