"""Message catalogues and locale formatting for reports.

The ``.po`` files under ``report_templates/locale/<lang>/LC_MESSAGES/report.po`` are the only
committed form: they are compiled with Babel into memory on first use, so a fresh clone renders
every language with no build step, and adding a language is adding a catalogue.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from functools import lru_cache
from io import BytesIO
from pathlib import Path

from babel import Locale
from babel.dates import format_date, format_datetime
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal, format_percent
from babel.support import Translations

from cxsuite.reports.document import Name, Term

DOMAIN = "report"
# Babel switches separators to the locale's numbering system but keeps ASCII digits; Persian
# readers expect Extended Arabic-Indic digits and the Arabic percent sign, so they are swapped in
# after formatting. One digit system per language: every number of a report passes through here.
NATIVE_DIGITS = {"fa": str.maketrans("0123456789%", "۰۱۲۳۴۵۶۷۸۹٪")}
# First strong isolate … pop directional isolate: keeps a Latin name or code from reordering the
# Persian sentence around it (WeasyPrint ignores CSS ``unicode-bidi``; Pango honours the marks).
FSI, PDI = "\u2068", "\u2069"
# Left-to-right isolate: "2 / 5" is a fraction read left to right in Persian too; without it the
# bidi algorithm sets the two numbers in right-to-left order ("5 / 2").
LRI = "\u2066"
_LATIN = re.compile(r"[A-Za-z]")


def catalogue_path(templates_dir: Path, language: str, domain: str = DOMAIN) -> Path:
    """Where the catalogue of ``language`` lives (one file per language and domain; mail
    keeps its own domain under ``cxsuite/mail``)."""
    return templates_dir / "locale" / language / "LC_MESSAGES" / f"{domain}.po"


@lru_cache(maxsize=32)
def load_translations(templates_dir: Path, language: str, domain: str = DOMAIN) -> Translations:
    """The compiled catalogue of ``language``; English is the msgids themselves."""
    path = catalogue_path(templates_dir, language, domain)
    if not path.exists():
        return Translations()
    with path.open("rb") as po:
        catalog = read_po(po, locale=language, domain=domain)
    compiled = BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(compiled, domain=domain)


class Localiser:
    """Translation plus number and date formatting for one language.

    One object handed to templates and charts, so every figure in a report is formatted the
    same way (Persian gets its own digits, Lithuanian its decimal comma).
    """

    def __init__(self, translations: Translations, language: str) -> None:
        self.translations = translations
        self.language = language
        self.locale = Locale.parse(language)
        self._digits = NATIVE_DIGITS.get(language, {})

    def gettext(self, msgid: str) -> str:
        """The translation of fixed report text."""
        return self.translations.gettext(msgid)

    def pgettext(self, context: str, msgid: str) -> str:
        """The translation of a word that means two things in the report: "Value" is a measured
        figure in the tables (значение) but worth to the business on the value × effort chart
        (ценность), so the chart asks for it in the ``business`` context."""
        return self.translations.pgettext(context, msgid)

    @property
    def rtl(self) -> bool:
        """Right-to-left script (Persian): embedded Latin text is isolated."""
        return self.locale.character_order == "right-to-left"

    def name(self, value: Name) -> str:
        """A :class:`Term` translated; tenant text isolated in RTL but otherwise untouched
        (escaping is Jinja's job)."""
        return self.gettext(value.msgid) if isinstance(value, Term) else self.isolate(value)

    def isolate(self, text: str) -> str:
        """``text`` wrapped in FSI…PDI when a right-to-left report embeds Latin script in it."""
        if self.rtl and text and _LATIN.search(text):
            return f"{FSI}{text}{PDI}"
        return text

    def number(self, value: float | int, digits: int = 0) -> str:
        """A locale-formatted number with exactly ``digits`` decimals."""
        pattern = "#,##0" + ("." + "0" * digits if digits else "")
        text = format_decimal(value, format=pattern, locale=self.locale, numbering_system="default")
        return text.translate(self._digits)

    def percent(self, value: float, digits: int = 0) -> str:
        """A percentage (``value`` on 0–100) in the locale's one percent format (``95.6%``,
        ``95,6 %``, ``۹۵٫۶٪``): every percentage of a report goes through here."""
        fraction = "." + "0" * digits if digits else ""
        pattern = self.locale.percent_formats[None].pattern.replace("#,##0", "#,##0" + fraction, 1)
        text = format_percent(value / 100, format=pattern, locale=self.locale, numbering_system="default")
        return text.translate(self._digits)

    def measure(self, value: float | str | None, unit: str, digits: int = 1) -> str:
        """A value with its unit (``71%``, ``3,2 h``); a dash where there is no value."""
        if value is None:
            return "–"
        if isinstance(value, str):
            return self.isolate(value)
        shown = digits if value % 1 else 0
        if unit.strip() == "%":
            return self.percent(value, shown)
        text = self.number(value, shown)
        if not unit:
            return text
        shown_unit = f"{text}\u00a0{unit.translate(self._digits)}"
        return f"{LRI}{shown_unit}{PDI}" if self.rtl and unit.startswith("/") else shown_unit

    def date(self, value: date | datetime, style: str = "long") -> str:
        """A date in the locale's words (``15 October 2026``, ``2026 m. spalio 15 d.``)."""
        if isinstance(value, datetime):
            value = value.date()
        return format_date(value, format=style, locale=self.locale).translate(self._digits)

    def datetime(self, value: datetime) -> str:
        """A timestamp (last sync) in the locale's medium style, in UTC as stored."""
        text = format_datetime(value, format="medium", tzinfo=value.tzinfo, locale=self.locale)
        return text.translate(self._digits)


def localiser(templates_dir: Path, language: str) -> Localiser:
    """The localiser of ``language`` backed by its compiled catalogue."""
    return Localiser(load_translations(templates_dir, language), language)
