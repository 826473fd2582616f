"""Which strings the report catalogues must translate, and which each catalogue still misses.

Fixed text comes from four places: the templates (``_()`` calls), the Python that labels charts
(``N_`` / ``gettext``), the section titles, and the scoring model file (level, dimension and
stage names, recommendation titles and descriptions). The test suite fails while any catalogue
misses one of them; ``python -m cxsuite.reports.catalogue`` lists the gaps per language.
"""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Iterator
from pathlib import Path

import yaml
from babel.messages.extract import extract_from_dir, extract_python
from babel.messages.pofile import read_po

from cxsuite.reports.document import SUPPORTED_LANGUAGES, Term
from cxsuite.reports.i18n import catalogue_path
from cxsuite.reports.render import TEMPLATES_DIR
from cxsuite.reports.sample import sample_document
from cxsuite.reports.sections import DEFAULT_SECTIONS

PACKAGE_DIR = Path(__file__).resolve().parent
MODEL_FILE = PACKAGE_DIR.parent / "scoring" / "model" / "v1.yaml"
# Keys whose values a report prints: names, level anchors, recommendation text and KPI movement.
MODEL_TEXT_KEYS = frozenset({"name", "title", "description", "label", "anchor", "owner_role", "movement"})
PYTHON_KEYWORDS = {"N_": None, "gettext": None, "t": None, "pgettext": ((1, "c"), 2)}
CONTEXT_SEPARATOR = "\x04"  # gettext's key for a msgid with a context: "context\x04msgid"


def template_msgids(templates_dir: Path = TEMPLATES_DIR) -> set[str]:
    """Every ``_()``/``gettext`` string in the Jinja templates."""
    found = extract_from_dir(
        templates_dir,
        method_map=[("**.j2", "jinja2.ext:babel_extract")],
        options_map={
            "**.j2": {"extensions": "jinja2.ext.i18n", "trim_blocks": "True", "lstrip_blocks": "True"}
        },
    )
    return {_key(message, context) for _, _, message, _, context in found if isinstance(message, str)}


def _key(msgid: str, context: str | None) -> str:
    """A msgid as the compiled catalogue looks it up: with its context, when it has one."""
    return f"{context}{CONTEXT_SEPARATOR}{msgid}" if context else msgid


def python_msgids() -> set[str]:
    """Strings the report code marks with ``N_`` or passes to ``gettext``."""
    found: set[str] = set()
    for path in PACKAGE_DIR.rglob("*.py"):
        with path.open("rb") as source:
            for _, function, message, _ in extract_python(source, PYTHON_KEYWORDS, [], {}):
                if isinstance(message, str):
                    found.add(message)
                elif function == "pgettext" and all(isinstance(m, str) for m in message):
                    found.add(_key(message[1], message[0]))
    return found | {section.title for section in DEFAULT_SECTIONS}


def _terms(value: object) -> Iterator[str]:
    """Every :class:`Term` inside a document tree."""
    if isinstance(value, Term):
        yield value.msgid
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            yield from _terms(getattr(value, f.name))
    elif isinstance(value, tuple | list | frozenset):
        for item in value:
            yield from _terms(item)


def sample_msgids() -> set[str]:
    """Model and library text the sample report uses (it is rendered in every language)."""
    return set(_terms(sample_document("en")))


def _model_texts(node: object, in_list: bool = False) -> Iterator[str]:
    """Display text of list entries (dimensions, levels, stages, recommendations), not ids or formulas."""
    if isinstance(node, dict):
        for key, value in node.items():
            if in_list and key in MODEL_TEXT_KEYS and isinstance(value, str) and value.strip():
                yield value.strip()
            else:
                yield from _model_texts(value, in_list)
    elif isinstance(node, list):
        for item in node:
            yield from _model_texts(item, in_list=True)


def model_msgids(model_file: Path = MODEL_FILE) -> set[str]:
    """Names, titles and descriptions in the scoring model file, when it exists."""
    if not model_file.exists():
        return set()
    return set(_model_texts(yaml.safe_load(model_file.read_text(encoding="utf-8"))))


def required_msgids() -> set[str]:
    """Everything a catalogue must translate."""
    return template_msgids() | python_msgids() | sample_msgids() | model_msgids()


def missing(language: str, templates_dir: Path = TEMPLATES_DIR) -> list[str]:
    """Required msgids that ``language``'s catalogue lacks or leaves untranslated or fuzzy."""
    path = catalogue_path(templates_dir, language)
    if not path.exists():
        return sorted(required_msgids())
    with path.open("rb") as po:
        catalog = read_po(po, locale=language)
    done = {_key(m.id, m.context) for m in catalog if m.id and m.string and not m.fuzzy}
    return sorted(required_msgids() - done)


def main() -> int:
    """List untranslated strings per language; exit 1 while any catalogue is incomplete."""
    gaps = {lang: missing(lang) for lang in SUPPORTED_LANGUAGES if lang != "en"}
    for lang, ids in gaps.items():
        print(f"{lang}: {len(ids)} missing", *(f"  {i!r}" for i in ids), sep="\n")
    return 1 if any(gaps.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
