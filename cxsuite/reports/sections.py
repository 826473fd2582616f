"""The report's sections as data: default order, per-document order and switches, plugin extras.

A section is a key, a title (a catalogue msgid) and a template. The built-in sections follow
REPORTS.md; a tenant reorders or turns them off through ``ReportDocument.section_order`` and
``disabled_sections``; a plugin contributes extra :class:`Section` objects (the pluggy hook
that collects them is wired elsewhere and hands the list to :func:`resolve_sections`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from cxsuite.errors import FieldProblem, ValidationFailed
from cxsuite.reports.document import ReportDocument


@dataclass(frozen=True)
class Section:
    """One block of the report.

    ``template`` is a path under ``report_templates/`` or, with ``inline=True``, the template
    source itself (for a plugin that ships its markup in code). ``position`` places an extra
    section: ``"start"``, ``"end"``, ``"before:<key>"`` or ``"after:<key>"``. ``in_toc`` keeps
    the cover and the contents page out of the table of contents.
    """

    key: str
    title: str
    template: str
    inline: bool = False
    position: str = "before:appendix"
    in_toc: bool = True


DEFAULT_SECTIONS: tuple[Section, ...] = (
    Section("cover", "Cover", "sections/cover.html.j2", in_toc=False),
    Section("contents", "Contents", "sections/contents.html.j2", in_toc=False),
    Section("executive_summary", "Executive summary", "sections/executive_summary.html.j2"),
    Section("maturity_profile", "Maturity profile", "sections/maturity_profile.html.j2"),
    Section("journey_map", "Customer journey map", "sections/journey_map.html.j2"),
    Section("kpi_table", "KPI scorecard", "sections/kpi_table.html.j2"),
    Section("customer_view", "One customer view", "sections/customer_view.html.j2"),
    Section("opportunities", "Opportunities and roadmap", "sections/opportunities.html.j2"),
    Section("appendix", "Appendix", "sections/appendix.html.j2"),
)


def _refuse(field: str, reason: str) -> ValidationFailed:
    return ValidationFailed(f"{field}: {reason}", problems=[FieldProblem(field, reason)])


def _insert(sections: list[Section], extra: Section) -> None:
    """Place ``extra`` where its ``position`` says, relative to sections already placed."""
    where, _, anchor = extra.position.partition(":")
    keys = [s.key for s in sections]
    if where == "start":
        sections.insert(0, extra)
    elif where == "end":
        sections.append(extra)
    elif where in ("before", "after") and anchor in keys:
        sections.insert(keys.index(anchor) + (where == "after"), extra)
    else:
        raise _refuse("sections", f"section {extra.key!r} has an unusable position {extra.position!r}")


def registry(extra: Iterable[Section] = ()) -> list[Section]:
    """The built-in sections in their default order with plugin sections placed among them."""
    sections = list(DEFAULT_SECTIONS)
    for section in extra:
        if section.key in {s.key for s in sections}:
            raise _refuse("sections", f"section key {section.key!r} is already taken")
        _insert(sections, section)
    return sections


def order(sections: Sequence[Section], wanted: Sequence[str], disabled: Iterable[str]) -> list[Section]:
    """Apply a tenant's order (listed keys first, the rest after in default order) and switches."""
    by_key = {s.key: s for s in sections}
    unknown = sorted({*wanted, *disabled} - by_key.keys())
    if unknown:
        raise _refuse("sections", f"unknown section keys: {', '.join(unknown)}")
    listed = list(dict.fromkeys(wanted))
    chosen = [by_key[k] for k in listed] + [s for s in sections if s.key not in listed]
    return [s for s in chosen if s.key not in set(disabled)]


def resolve_sections(document: ReportDocument, extra: Iterable[Section] = ()) -> list[Section]:
    """The sections this document renders, in order."""
    sections = order(registry(extra), document.section_order, document.disabled_sections)
    if not sections:
        raise _refuse("disabled_sections", "a report needs at least one section")
    return sections
