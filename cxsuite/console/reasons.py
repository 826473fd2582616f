"""The API's reasons in the page's language: why a field was refused (``errors[].reason`` of a
problem) and why an import row cannot be imported.

The API speaks English to every client; the console translates what it shows. Each reason the
API's code can produce is a msgid here, its variable parts as placeholders (``must be on or after
period_start (%(day)s)``): a reason is matched against every msgid (a placeholder matches any
text; the msgid with the most fixed text wins) and shown through the console's catalogue with
the values put back. A placeholder named ``reason`` or ``problem`` holds a reason of its own
and is translated too. A reason no msgid matches is shown as it came.
``tests/console/test_reasons.py`` reads the API's source and fails while any reason it can
produce has no msgid here or no translation.
"""

from __future__ import annotations

import re
from functools import lru_cache

from cxsuite.console.i18n import translations
from cxsuite.console.messages import N_

REASONS = (
    # Input limits and request shape (cxsuite.api).
    N_("objects and arrays nested more than %(limit)s deep (CXSUITE_JSON_MAX_DEPTH)"),
    N_("contains a NUL character (U+0000), which cannot be stored"),
    N_("longer than %(limit)s characters (CXSUITE_JSON_MAX_STRING_CHARS)"),
    N_("must be 0 when 'after' is given"),
    N_("larger than %(limit)s bytes (CXSUITE_REQUEST_MAX_BODY_BYTES, or CXSUITE_UPLOAD_MAX_BYTES for "
       "uploads)"),
    N_("unknown parameter (this operation takes: %(names)s)"),
    N_("must be one of: %(values)s"),
    N_("must be one of %(values)s"),
    N_("no item with this id in this list"),
    N_("unknown field; this object accepts only the documented fields"),
    N_("contains characters or a format that is not allowed (see the field's description)"),
    # msgspec's own words for a value of the wrong type or size.
    N_("Expected `%(expected)s`, got `%(got)s`"),
    N_("Expected `%(expected)s` of length <= %(limit)s"),
    N_("Expected `%(expected)s` of length >= %(limit)s"),
    N_("Expected `%(expected)s` >= %(limit)s"),
    N_("Expected `%(expected)s` <= %(limit)s"),
    N_("Invalid enum value %(value)s"),
    N_("Object missing required field `%(field)s`"),
    # Accounts, audit, idempotency.
    N_("does not match"),
    N_("required"),
    N_("required for a new account"),
    N_("required: one of %(values)s"),
    N_("at most %(limit)s days (limit: CXSUITE_PERSONAL_TOKEN_MAX_DAYS)"),
    N_("must be an ISO 8601 date or date-time, e.g. 2026-12-01 or 2026-12-01T09:30:00Z"),
    N_("must be a user id (a UUID)"),
    N_("already used within 24 hours with another body or endpoint; use a new key for a new request"),
    N_("must be on or after period_start (%(day)s)"),
    N_("not an ISO 3166-1 alpha-2 country code with a telephone numbering plan (for example LT, GB or US), "
       "or empty for numbers written with +"),
    # Connections and uploads.
    N_("must be empty"),
    N_("not accepted by %(connector)s"),
    N_("required: the service account's JSON key file"),
    N_("the address this connection's credentials are sent to cannot change once it is connected; delete "
       "the connection and create it again with the new address"),
    N_("not a file-upload connection"),
    N_("upload each export to PUT /api/v1/connections/{id}/files/{kind}"),
    N_("must be \"service_account\": upload the JSON key file of a Google Cloud service account"),
    N_("must be a string"),
    N_("required: a non-empty string from the key file"),
    N_("longer than %(limit)s characters"),
    N_("must be the service account's e-mail address"),
    N_("empty file"),
    N_("the file name contains a NUL character (U+0000), which cannot be stored"),
    N_("%(size)s bytes; at most %(limit)s (CXSUITE_UPLOAD_MAX_BYTES)"),
    N_("not a valid XLSX file; save it again as .xlsx"),
    N_("%(count)s parts; at most %(limit)s (CXSUITE_UPLOAD_MAX_MEMBERS)"),
    N_("unpacks to %(size)s bytes; at most %(limit)s (CXSUITE_UPLOAD_MAX_UNPACKED_BYTES)"),
    N_("part %(part)s unpacks to %(size)s bytes and would be loaded whole; at most %(limit)s "
       "(CXSUITE_UPLOAD_MAX_SHARED_STRINGS_BYTES)"),
    N_("part %(part)s is compressed %(ratio)s:1; at most %(limit)s:1 (CXSUITE_UPLOAD_MAX_RATIO)"),
    N_("%(part)s is too large"),
    N_("row %(row)s: the file holds more than %(limit)s cells (CXSUITE_IMPORT_MAX_CELLS); the rows before it "
       "were imported"),
    N_("row %(row)s: the file has more than %(limit)s rows (CXSUITE_IMPORT_MAX_ROWS); the rows before it "
       "were imported"),
    N_("row %(row)s, column %(column)s: more than %(limit)s columns (CXSUITE_IMPORT_MAX_COLUMNS); the rows "
       "before it were imported"),
    N_("row %(row)s, column %(column)s: contains a NUL character (U+0000), which cannot be stored; the rows "
       "before it were imported"),
    N_("row %(row)s, column %(column)s: a cell longer than %(limit)s characters "
       "(CXSUITE_IMPORT_MAX_CELL_CHARS); the rows before it were imported"),
    N_("neither UTF-8 text nor an XLSX workbook; export it as 'CSV UTF-8' or as an Excel workbook and upload "
       "it again"),
    N_("row %(row)s: %(problem)s; the rows before it were imported"),
    N_("%(problem)s; save it again as .xlsx and upload it"),
    N_("it has no sheet '%(sheet)s' (sheets: %(sheets)s)"),
    N_("a part is damaged or larger than it declares; save it again as .xlsx and upload it"),
    # File import: mapping, settings and the rows (cxsuite.imports).
    N_("a %(connector)s connection; create a %(expected)s connection"),
    N_("upload the %(kind)s file first (PUT …/files/%(path)s)"),
    N_("not a field of %(kind)s (fields: %(fields)s)"),
    N_("the file has no column '%(column)s' (columns: %(columns)s)"),
    N_("column '%(column)s' already fills %(field)s"),
    N_("required: map a column or give a file_settings default"),
    N_("upload at least one file (PUT …/files/{kind})"),
    N_("confirm the column mapping of this file first (PUT …/files/%(kind)s/mapping)"),
    N_("'%(value)s' is not an IANA time zone name (such as Europe/Vilnius or UTC)"),
    N_("must differ from decimal_separator"),
    N_("same id '%(id)s' as row %(row)s"),
    N_("'%(value)s' is not a whole number"),
    N_("longer than %(limit)s characters, the most this field stores"),
    N_("default value: %(reason)s"),
    N_("empty: every interaction needs a type (map a column or give a default)"),
    N_("empty: the answer has no score"),
    N_("'%(value)s' is not nps, csat or ces (map a column or give a default)"),
    N_("%(metric)s is asked on %(scales)s, not %(low)s-%(high)s"),
    N_("%(score)s is not a whole point of %(low)s-%(high)s"),
    N_("before the ticket was created"),
    N_("'%(value)s' is not a date (%(reason)s)"),
    N_("'%(value)s' is not a date (%(problem)s; %(reason)s)"),
    N_("'%(value)s' does not match the date format %(format)s"),
    N_("'%(value)s' is not a number (%(reason)s)"),
    N_("'%(value)s' is not yes or no"),
    N_("expected ISO 8601 or day, month and year; set date_format if the order is not found"),
    # Python's words for an impossible date, inside the reasons above.
    N_("day is out of range for month"),
    N_("month must be in 1..12"),
    N_("hour must be in 0..23"),
    N_("minute must be in 0..59"),
    N_("second must be in 0..59"),
    N_("expected %(format)s"),
    N_("decimal separator '%(decimal)s'"),
    N_("decimal separator '%(decimal)s', thousands '%(thousands)s'"),
    N_("row %(row)s, column '%(column)s' (%(field)s): %(reason)s"),
    N_("row %(row)s: %(reason)s"),
    N_("no id column is mapped: rows are identified by their content, so re-importing the same file changes "
       "nothing but an edited row is imported as a new record"),
    N_("the file has no rows"),
    # Reports: branding, sections, text, which run.
    N_("leave at least one section on"),
    N_("a colour must be #rgb or #rrggbb hex"),
    N_("the logo must be PNG or JPEG"),
    N_("the logo must be at most %(limit)s KiB"),
    N_("the logo is not a readable image"),
    N_("the file is %(found)s, not %(expected)s"),
    N_("the logo must be at most %(limit)s px a side"),
    N_("choose one of the bundled fonts: %(fonts)s"),
    N_("supported languages: %(languages)s"),
    N_("cell %(stage)s×%(dimension)s names an unknown stage or dimension"),
    N_("too many entries"),
    N_("no %(what)s %(key)s"),
    N_("no stage %(key)s"),
    N_("no recommendation %(key)s"),
    N_("too long"),
    N_("control characters are not allowed"),
    N_("section %(key)s has an unusable position %(position)s"),
    N_("section key %(key)s is already taken"),
    N_("unknown section keys: %(keys)s"),
    N_("a report needs at least one section"),
    N_("is not a succeeded score run of this project"),
    N_("the project has no succeeded score run yet; run scoring first"),
    N_("the run scored no dimension (every cell lacked evidence): nothing to report yet"),
    # Scoring: journey, stage mapping, questionnaire, value inputs.
    N_("no model with this id in your tenant"),
    N_("stage %(stage)s appears twice"),
    N_("unknown dimension %(dimension)s"),
    N_("must be %(low)s..%(high)s"),
    N_("too many rules"),
    N_("no stage %(stage)s in the journey"),
    N_("must be 1 to 100 characters"),
    N_("a rule needs at least one field to match on"),
    N_("unknown questionnaire item %(item)s"),
    N_("stage %(stage)s is not in the journey (version %(version)s)"),
    N_("item %(item)s is not asked for stage %(stage)s"),
    N_("item %(item)s needs an answer 1..5"),
    N_("an ISO 4217 code such as EUR"),
    N_("must be a number of 0 or more"),
    N_("must be a share between 0 and 1"),
    N_("must be 1 to 5"),
    N_("a judgement needs its reason"),
    N_("no recommendation %(recommendation)s in the model"),
    N_("this recommendation and stage appear twice"),
    N_("give an effort, a confidence or both"),
    N_("must be between 0 and 1"),
)

_PLACEHOLDER = re.compile(r"%\((\w+)\)s")
_NESTED = ("reason", "problem")
_ROW_PROBLEMS = re.compile(r"; (?=row \d)")


@lru_cache(maxsize=4)
def patterns(msgids: tuple[str, ...] = REASONS) -> tuple[tuple[str, re.Pattern[str]], ...]:
    """Each msgid with the expression that matches its texts, most fixed text first."""
    compiled = []
    for msgid in msgids:
        pieces = _PLACEHOLDER.split(msgid)
        expression = "".join(re.escape(p) if i % 2 == 0 else f"(?P<{p}>.*?)" for i, p in enumerate(pieces))
        compiled.append((msgid, re.compile(expression, re.DOTALL)))
    return tuple(sorted(compiled, key=lambda item: -len(_PLACEHOLDER.sub("", item[0]))))


def msgid_of(text: str, msgids: tuple[str, ...] = REASONS) -> tuple[str, dict[str, str]] | None:
    """The msgid (of ``msgids``) a text is made from, with the values in its placeholders;
    ``None`` if none."""
    for msgid, pattern in patterns(msgids):
        match = pattern.fullmatch(text)
        if match:
            return msgid, match.groupdict()
    return None


def reason_in(language: str, reason: str) -> str:
    """``reason`` in ``language`` (as it came when no msgid matches). Plain text: the page
    escapes it like any other value."""
    found = msgid_of(reason)
    if found is None:
        return reason
    msgid, values = found
    values = {k: reason_in(language, v) if k in _NESTED else v for k, v in values.items()}
    return translations(language).gettext(msgid) % values


def row_problems_in(language: str, text: str) -> str:
    """A refused row's problems as a sync issue stores them (``row 7, column …: …; row 7, …``),
    each in ``language``."""
    return "; ".join(reason_in(language, part) for part in _ROW_PROBLEMS.split(text))
