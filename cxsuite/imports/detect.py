"""Which column fills which field: detected from the headers, or taken from a saved mapping.

Detection compares each header, normalised (:func:`~cxsuite.imports.fields.normal_header`),
with every field's synonyms. The most specific name wins: synonyms are listed most telling
first, so "Customer ID" in a tickets file goes to ``customer_external_id`` before "ID" goes to
``external_id``. A column fills one field and a field takes one column. A saved mapping (the
workspace's last confirmed one for this kind) is applied first, for the headers the new file
still has; detection fills the rest.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from cxsuite.imports.fields import FIELDS, normal_header

Source = Literal["saved", "detected", "confirmed"]


@dataclass(frozen=True)
class Detected:
    """A detected mapping: field → header, and where each pairing came from."""

    columns: dict[str, str]
    sources: dict[str, Source]

    def unmapped_headers(self, headers: Sequence[str]) -> list[str]:
        """Headers no field took (shown so a person can map them by hand)."""
        taken = set(self.columns.values())
        return [h for h in headers if h and h not in taken]


def detect(kind: str, headers: Sequence[str], saved: Mapping[str, str] | None = None) -> Detected:
    """The mapping for a file of ``kind`` with these headers."""
    columns: dict[str, str] = {}
    sources: dict[str, Source] = {}
    present = {h for h in headers if h}
    for name, header in (saved or {}).items():
        if header in present and header not in columns.values():
            columns[name], sources[name] = header, "saved"
    candidates = []
    normal = [(normal_header(h), h) for h in headers if h]
    for field_index, spec in enumerate(FIELDS[kind]):
        names = [normal_header(s) for s in (spec.name.replace("_", " "), *spec.synonyms)]
        for rank, synonym in enumerate(names):
            for header_norm, header in normal:
                if header_norm == synonym:
                    candidates.append((rank, field_index, spec.name, header))
    for _, _, name, header in sorted(candidates, key=lambda c: (c[0], c[1])):
        if name not in columns and header not in columns.values():
            columns[name], sources[name] = header, "detected"
    if kind == "feedback" and "score" not in columns:  # a survey tool's question as the header
        free = [h for h in headers if h and h not in columns.values()]
        worded = next((h for h in free if metric_from_wording(h)), None)
        if worded:
            columns["score"], sources["score"] = worded, "detected"
    ordered = {spec.name: columns[spec.name] for spec in FIELDS[kind] if spec.name in columns}
    return Detected(ordered, {name: sources[name] for name in ordered})


METRIC_WORDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("nps", re.compile(r"recommend|net promoter|\bnps\b|rekomend|ieteikt|порекоменд|рекоменд|توصیه")),
    ("ces", re.compile(r"\beas(y|ily|e)\b|\beffort|\bces\b|pastang|pūl|усили|легко|تلاش|آسان")),
    ("csat", re.compile(r"satisf|\bcsat\b|\bhapp(y|iness)\b|\brate (your|our|the|us|this)\b"
                        r"|patenkint|apmierin|удовлетвор|رضایت")),
)
"""Question wording that names the metric, for a score column without a metric column."""


def metric_from_wording(header: str) -> str | None:
    """The metric a score column's header asks for (``None`` when it does not say)."""
    text = normal_header(header)
    return next((metric for metric, pattern in METRIC_WORDS if pattern.search(text)), None)
