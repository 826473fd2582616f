"""The input contract of the renderer: everything a strategy report shows, frozen.

The worker builds one :class:`ReportDocument` from the score run, the project and the tenant's
branding, and the renderer turns it into HTML and PDF without touching the database. Keeping
the contract a tree of frozen dataclasses makes a render reproducible (same document, same
report) and lets tests, the preview and the benchmark build documents without any storage.

Strings come in two kinds. A :class:`Term` is fixed text from the scoring model or the
recommendation library (level, dimension and stage names, recommendation titles): the renderer
translates it through the report catalogue. A plain ``str`` is tenant or client data (a renamed
stage, the client's name, footer text): it is shown as written, escaped, and may contain
anything, including HTML, CSS or ``{{ }}``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from io import BytesIO
from typing import Literal

from PIL import Image, UnidentifiedImageError

from cxsuite.errors import FieldProblem, ValidationFailed


@dataclass(frozen=True)
class Term:
    """Fixed model or library text, translated at render time (its ``msgid`` is the English text)."""

    msgid: str


Name = str | Term
"""A display string: tenant data shown as is, or a :class:`Term` translated by the catalogue."""

SUPPORTED_LANGUAGES = ("en", "lt", "lv", "ru", "fa")
RTL_LANGUAGES = frozenset({"fa"})
BUNDLED_FONTS = ("Noto Sans", "Noto Serif")
LOGO_TYPES = {"image/png": "PNG", "image/jpeg": "JPEG"}
MAX_LOGO_BYTES = 512 * 1024
MAX_LOGO_PIXELS = 4000
CellStatus = Literal["scored", "insufficient_evidence", "not_applicable"]
EvidenceKind = Literal["questionnaire", "o_data", "x_data"]
Quadrant = Literal["quick_win", "big_bet", "fill_in", "money_pit"]
Horizon = Literal["0-3", "3-6", "6-12"]

_HEX = re.compile(r"#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})")


def _refuse(field_name: str, reason: str) -> ValidationFailed:
    """One invalid input, in the shape the API turns into a 422 problem."""
    return ValidationFailed(f"{field_name}: {reason}", problems=[FieldProblem(field_name, reason)])


def normalise_colour(value: str, field_name: str) -> str:
    """``#abc`` or ``#aabbcc`` → ``#aabbcc``; anything else is refused so it can never reach CSS."""
    if not isinstance(value, str) or not _HEX.fullmatch(value):
        raise _refuse(field_name, "a colour must be #rgb or #rrggbb hex")
    digits = value[1:].lower()
    return "#" + (digits if len(digits) == 6 else "".join(c * 2 for c in digits))


@dataclass(frozen=True)
class Logo:
    """A validated PNG or JPEG: the declared type must match the bytes, within size limits."""

    data: bytes
    mime: str

    def __post_init__(self) -> None:
        if self.mime not in LOGO_TYPES:
            raise _refuse("branding.logo", "the logo must be PNG or JPEG")
        if len(self.data) > MAX_LOGO_BYTES:
            raise _refuse("branding.logo", f"the logo must be at most {MAX_LOGO_BYTES // 1024} KiB")
        try:
            with Image.open(BytesIO(self.data)) as image:
                real_format, size = image.format, image.size
                image.verify()
        except (UnidentifiedImageError, OSError, SyntaxError) as exc:
            raise _refuse("branding.logo", "the logo is not a readable image") from exc
        if real_format != LOGO_TYPES[self.mime]:
            raise _refuse("branding.logo", f"the file is {real_format}, not {self.mime}")
        if max(size) > MAX_LOGO_PIXELS:
            raise _refuse("branding.logo", f"the logo must be at most {MAX_LOGO_PIXELS} px a side")


@dataclass(frozen=True)
class Branding:
    """The consultancy's look: colours and fonts are validated here so templates can trust them."""

    tenant_name: str
    primary_colour: str
    accent_colour: str
    footer_text: str = ""
    confidentiality: str = ""
    heading_font: str = "Noto Serif"
    body_font: str = "Noto Sans"
    logo: Logo | None = None

    def __post_init__(self) -> None:
        object.__setattr__(
            self, "primary_colour", normalise_colour(self.primary_colour, "branding.primary_colour")
        )
        object.__setattr__(
            self, "accent_colour", normalise_colour(self.accent_colour, "branding.accent_colour")
        )
        for name in ("heading_font", "body_font"):
            if getattr(self, name) not in BUNDLED_FONTS:
                raise _refuse(
                    f"branding.{name}", f"choose one of the bundled fonts: {', '.join(BUNDLED_FONTS)}"
                )


@dataclass(frozen=True)
class Period:
    """The audit period the data covers."""

    start: date
    end: date


@dataclass(frozen=True)
class Level:
    """One step of the 1–5 maturity scale, with its name (for legends and the crosswalk)."""

    number: int
    name: Name
    description: Name = ""


@dataclass(frozen=True)
class Dimension:
    """A CX dimension's result; ``score``/``level`` are None when every cell lacks evidence."""

    key: str
    name: Name
    score: float | None
    level: int | None
    target: float = 3.0


@dataclass(frozen=True)
class Stage:
    """A journey stage, in the project's order (the consultant may rename, add or remove them)."""

    key: str
    name: Name


@dataclass(frozen=True)
class Benchmark:
    """An industry figure a KPI is compared with: always printed with its source and year."""

    value: float
    source: str
    year: int | None = None
    population: str = ""


@dataclass(frozen=True)
class Evidence:
    """One evidence item behind a cell: what was measured, on how much data, citing what.

    ``source`` names where the threshold table comes from; None means our own estimate, which
    the report says once in its evidence summary. ``n`` is the number of answers or records and
    ``days`` the days of data behind the figure; ``confidence`` their adequacy (0–1). ``caveats``
    are plain-language warnings printed beside the figure (see :mod:`cxsuite.reports.caveats`).
    ``threshold`` keeps the band for the evidence workbook; the PDF does not print it.
    """

    metric: Name
    value: float | str
    unit: str
    threshold: str
    level: int
    kind: EvidenceKind = "o_data"
    benchmark: Benchmark | None = None
    source: str | None = None
    n: int | None = None
    days: float | None = None
    confidence: float | None = None
    caveats: tuple[Term, ...] = ()


@dataclass(frozen=True)
class Cell:
    """A stage × dimension result, with how sure it is and the evidence behind it."""

    stage: str
    dimension: str
    status: CellStatus
    level: int | None = None
    score: float | None = None
    confidence: float = 0.0
    contested: bool = False
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True)
class Touchpoint:
    """Where the customer meets the client at a stage, on one channel."""

    stage: str
    channel: Name
    name: Name


@dataclass(frozen=True)
class StageKpi:
    """A KPI shown under a stage on the journey map (NPS, CSAT, conversion, response time…)."""

    stage: str
    metric: Name
    value: float
    unit: str = ""


@dataclass(frozen=True)
class Satisfaction:
    """The satisfaction curve point of a stage on the −2…+2 scale, from ``n`` answers."""

    stage: str
    value: float
    n: int


@dataclass(frozen=True)
class PainPoint:
    """A ranked pain point at a stage, with the evidence that shows it and the number of records
    behind it (required: a pain point is counted records, never a bare claim)."""

    stage: str
    title: Name
    evidence: Name = ""
    severity: int = 2
    n: int = field(kw_only=True)
    quote: str = ""


@dataclass(frozen=True)
class StageEvidence:
    """What the records show at one stage: how many were attributed to it, where customers met
    the company (touchpoint, records), CSAT and NPS with their answers, and the stage's maturity."""

    stage: str
    records: int = 0
    touchpoints: tuple[tuple[Name, int], ...] = ()
    csat: float | None = None
    csat_n: int = 0
    nps: float | None = None
    nps_n: int = 0
    level: int | None = None
    level_name: Name = ""
    commentary: tuple[str, ...] = ()


@dataclass(frozen=True)
class Journey:
    """The journey map's data; empty tuples are drawn as gaps, never invented."""

    touchpoints: tuple[Touchpoint, ...] = ()
    kpis: tuple[StageKpi, ...] = ()
    satisfaction: tuple[Satisfaction, ...] = ()
    pain_points: tuple[PainPoint, ...] = ()
    stages: tuple[StageEvidence, ...] = ()
    unattributed: int = 0


@dataclass(frozen=True)
class KpiRow:
    """One line of the KPI scorecard, with the data coverage behind the figure."""

    metric: Name
    value: float | None
    unit: str
    stage: str | None = None
    definition: Name = ""
    benchmark: Benchmark | None = None
    records: int = 0
    coverage: float | None = None
    previous: float | None = None
    caveats: tuple[Term, ...] = ()


@dataclass(frozen=True)
class Opportunity:
    """A prioritised recommendation; expected KPI movement always carries its source."""

    title: Name
    description: Name
    dimension: str
    stage: str
    value: float
    effort: int
    priority: float
    quadrant: Quadrant
    horizon: Horizon
    owner_role: Name
    expected_kpi: Name = ""
    kpi_source: str | None = None
    confidence: float = 1.0
    value_estimated: bool = False
    note: tuple[str, ...] = ()
    # Which figures the consultant set for this client (business value by judgement or figures,
    # effort, confidence); the roadmap marks those and states the basis of the rest once.
    value_set: bool = False
    effort_set: bool = False
    confidence_set: bool = False


@dataclass(frozen=True)
class Trend:
    """The previous score run's dimension scores, for the trend chart (present from run two on)."""

    label: str
    run_on: date
    scores: tuple[tuple[str, float], ...]


@dataclass(frozen=True)
class DataSource:
    """A connection the figures came from, so the client can check coverage and freshness."""

    connector: str
    account: str
    period: Period
    record_counts: tuple[tuple[Name, int], ...]
    last_sync: datetime


@dataclass(frozen=True)
class CustomerView:
    """How fragmented the client's customer data is: records per real customer, by source pair.

    ``resolved_at`` is when the records were resolved (every score run resolves first); the
    counts are over the customer records imported by then, whatever their creation date."""

    records: int
    customers: int
    customers_in_several_records: int
    duplicates_within_source: int
    unreadable_phones: int
    records_by_source: tuple[tuple[str, int], ...]
    source_pairs: tuple[tuple[str, str, int], ...]
    resolved_at: datetime | None

    @property
    def records_per_customer(self) -> float | None:
        """Average records per real customer; ``None`` when nothing was imported."""
        return self.records / self.customers if self.customers else None


@dataclass(frozen=True)
class Overall:
    """The headline: overall score and level, with the weakest dimension beside it."""

    score: float
    level: int
    level_name: Name
    weakest_dimension: str


@dataclass(frozen=True)
class ReportDocument:
    """Everything one strategy report shows, in one language, for one score run."""

    branding: Branding
    language: str
    client_name: str
    project_name: str
    period: Period
    generated_at: datetime
    overall: Overall
    levels: tuple[Level, ...]
    dimensions: tuple[Dimension, ...]
    stages: tuple[Stage, ...]
    cells: tuple[Cell, ...]
    journey: Journey
    kpis: tuple[KpiRow, ...]
    opportunities: tuple[Opportunity, ...]
    data_sources: tuple[DataSource, ...]
    model_version: str
    template_version: str
    context: str = ""
    trend: Trend | None = None
    customer_view: CustomerView | None = None
    section_order: tuple[str, ...] = ()
    disabled_sections: frozenset[str] = field(default_factory=frozenset)
    # Metrics no cell could use (issue 15): insufficient (the value is the translated words
    # "Insufficient evidence") or flagged by a data-quality check, each with its caveat; the
    # evidence summary lists them beside the figures the cells used.
    unused_evidence: tuple[Evidence, ...] = ()
    executive_summary: tuple[str, ...] = ()
    evidence_file: str = ""
    """File name of the evidence workbook delivered beside the PDF (the PDF names it)."""
    evidence_link: str = ""
    """A stable address the workbook downloads from, linked from the PDF when given (the report
    job leaves it empty: a per-report address would make two renders of one run differ)."""

    def __post_init__(self) -> None:
        if self.language not in SUPPORTED_LANGUAGES:
            raise _refuse("language", f"supported languages: {', '.join(SUPPORTED_LANGUAGES)}")
        stage_keys = {s.key for s in self.stages}
        dimension_keys = {d.key for d in self.dimensions}
        stray = [c for c in self.cells if c.stage not in stage_keys or c.dimension not in dimension_keys]
        if stray:
            raise _refuse(
                "cells", f"cell {stray[0].stage}×{stray[0].dimension} names an unknown stage or dimension"
            )

    @property
    def rtl(self) -> bool:
        """Right-to-left script: the layout mirrors and ``dir="rtl"`` is set."""
        return self.language in RTL_LANGUAGES

    def cell(self, stage: str, dimension: str) -> Cell | None:
        """The cell at ``stage`` × ``dimension``, or None when the model has none there."""
        return self._cells_by_key.get((stage, dimension))

    @cached_property
    def _cells_by_key(self) -> dict[tuple[str, str], Cell]:
        return {(c.stage, c.dimension): c for c in self.cells}

    def dimension(self, key: str) -> Dimension:
        """The dimension with ``key`` (templates look them up from cells and opportunities)."""
        return next(d for d in self.dimensions if d.key == key)

    def stage(self, key: str) -> Stage:
        """The stage with ``key``."""
        return next(s for s in self.stages if s.key == key)
