"""A realistic sample report: a regional energy retailer audited by a boutique consultancy.

Tests, the brand preview and the benchmark all render this document, so it carries what real
reports carry: seven stages and seven dimensions, contested and grey cells, a journey map with
pain points, benchmarks with sources, twelve prioritised recommendations from the model's
library, a previous run for the trend, and client text in each language's own script.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from io import BytesIO

from PIL import Image, ImageDraw

from cxsuite.reports import sample_data as data
from cxsuite.reports.caveats import caveats_for
from cxsuite.reports.document import (
    Benchmark,
    Branding,
    Cell,
    CustomerView,
    DataSource,
    Dimension,
    Evidence,
    Journey,
    KpiRow,
    Level,
    Logo,
    Opportunity,
    Overall,
    Period,
    ReportDocument,
    Satisfaction,
    Stage,
    StageKpi,
    Term,
    Touchpoint,
    Trend,
)
from cxsuite.reports.i18n import localiser
from cxsuite.reports.labels import UNIT_LABELS
from cxsuite.reports.pain_points import pain_points
from cxsuite.reports.render import TEMPLATES_DIR
from cxsuite.scoring.journey_evidence import PainPoint as EvidencePain
from cxsuite.scoring.journey_evidence import StageEvidence

T = Term
SCORER_UNITS = {"%": "percent", "h": "hours"}
Units = Callable[[str], str]


def _units(language: str) -> Units:
    """The sample's units as ``language`` writes them (hours are "ساعت" in Persian, "val." in
    Lithuanian), as the builder does for a real run; "%" and "/7" read the same everywhere."""
    l10n = localiser(TEMPLATES_DIR, language)
    return lambda unit: l10n.gettext(UNIT_LABELS[SCORER_UNITS[unit]]) if unit in SCORER_UNITS else unit


def level_of(score: float) -> int:
    """The model's level bands: 1.8, 2.6, 3.4 and 4.2 open levels 2 to 5."""
    return 1 + sum(score >= bound for bound in (1.8, 2.6, 3.4, 4.2))


def _quadrant(value: float, effort: int) -> str:
    """Value 3 and effort 2.5 split the matrix, as the chart draws it."""
    high_value, low_effort = value >= 3.0, effort <= 2
    names = {(True, True): "quick_win", (True, False): "big_bet", (False, True): "fill_in"}
    return names.get((high_value, low_effort), "money_pit")


def _opportunities() -> tuple[Opportunity, ...]:
    rows = [
        Opportunity(
            title=T(title),
            description=T(description),
            dimension=dim,
            stage=stage,
            value=value,
            effort=effort,
            priority=round(value * (6 - effort) / 5, 2),
            quadrant=_quadrant(value, effort),
            horizon=horizon,
            owner_role=T(owner),
            expected_kpi=T(movement),
            kpi_source=source,
        )
        for (
            title,
            description,
            dim,
            stage,
            value,
            effort,
            horizon,
            owner,
            movement,
            source,
        ) in data.LIBRARY_PICKS
    ]
    return tuple(sorted(rows, key=lambda o: -o.priority))


def _cell(stage: str, dim_index: int, raw: str, units: Units) -> Cell:
    dim = data.DIMENSIONS[dim_index][0]
    if raw == "-":
        return Cell(stage, dim, "not_applicable")
    if raw == "?":
        return Cell(stage, dim, "insufficient_evidence", confidence=0.3)
    metric, value, unit, band, level, kind, benchmark, source = data.EVIDENCE[dim]
    n, days = data.EVIDENCE_DATA[dim]
    number = value if isinstance(value, float) else None
    evidence = Evidence(
        T(metric), value, units(unit), band, level, kind, Benchmark(*benchmark) if benchmark else None,
        source,
        n=n, days=days, confidence=min(1.0, n / 30, (days or 90) / 90),
        caveats=caveats_for(number, SCORER_UNITS.get(unit), n=n, days=days, answers=kind == "x_data"),
    )
    return Cell(
        stage,
        dim,
        "scored",
        level=level_of(float(raw)),
        score=float(raw),
        confidence=0.6 + (dim_index % 4) / 10,
        contested=(stage, dim) in data.CONTESTED,
        evidence=(evidence,),
    )


def _journey(units: Units, language: str) -> Journey:
    return Journey(
        touchpoints=tuple(
            Touchpoint(stage, T(channel), T(name))
            for stage, items in data.TOUCHPOINTS.items()
            for channel, name in items
        ),
        kpis=tuple(StageKpi(stage, T(metric), value, units(unit))
                   for stage, metric, value, unit in data.STAGE_KPIS),
        satisfaction=tuple(Satisfaction(*row) for row in data.SATISFACTION),
        pain_points=pain_points(_stage_evidence(language)),
    )


def _stage_evidence(language: str) -> list[StageEvidence]:
    """The sample's journey evidence in the shape real runs count it, so its pain points get their
    records and severity from the same code (:func:`cxsuite.reports.pain_points.pain_points`)."""
    return [
        StageEvidence(stage=stage, volume=volume, touchpoints=[], pain_points=[
            EvidencePain(theme=quotes["en"].casefold(), quote=quotes[language], source=source, n=n)
            for at, source, n, quotes in data.PAIN_POINTS if at == stage])
        for stage, volume in data.STAGE_RECORDS.items()
    ]


def _kpis(units: Units) -> tuple[KpiRow, ...]:
    return tuple(
        KpiRow(
            T(metric),
            value,
            units(unit),
            stage,
            T(definition),
            Benchmark(*bench[:3]) if bench else None,
            records,
            cover,
            prev,
            caveats_for(value, SCORER_UNITS.get(unit), n=records, answers=unit != "h"),
        )
        for metric, value, unit, stage, definition, bench, records, cover, prev in data.KPIS
    )


def _logo() -> Logo:
    """A small generated monogram, so the sample needs no binary file."""
    image = Image.new("RGB", (240, 80), "#ffffff")
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((4, 8, 68, 72), radius=14, fill="#12355b")
    draw.polygon(((20, 58), (36, 22), (52, 58)), fill="#e0a526")
    draw.rectangle((84, 30, 230, 40), fill="#12355b")
    draw.rectangle((84, 48, 180, 54), fill="#8fa3b8")
    out = BytesIO()
    image.save(out, "PNG")
    return Logo(out.getvalue(), "image/png")


def _sources() -> tuple[DataSource, ...]:
    return (
        DataSource(
            "HubSpot",
            "nordvik.hubspot.example",
            Period(date(2025, 10, 1), date(2026, 9, 30)),
            ((T("Customers"), 48_900), (T("Deals"), 6_210), (T("Tickets"), 18_450)),
            datetime(2026, 10, 14, 23, 10, tzinfo=UTC),
        ),
        DataSource(
            "Google Analytics 4",
            "properties/314159",
            Period(date(2026, 4, 1), date(2026, 9, 30)),
            ((T("Sessions"), 412_000),),
            datetime(2026, 10, 15, 2, 0, tzinfo=UTC),
        ),
    )


def sample_document(language: str = "en") -> ReportDocument:
    """The sample report in ``language``; the figures are the same in every language."""
    client, project, context, confidential = data.CLIENTS[language]
    stages = tuple(Stage(key, T(name)) for key, name in data.STAGES)
    units = _units(language)
    return ReportDocument(
        branding=Branding(
            tenant_name="Northlight Advisory",
            primary_colour="#12355b",
            accent_colour="#e0a526",
            footer_text="Northlight Advisory · northlight.example",
            logo=_logo(),
            confidentiality=confidential,
        ),
        language=language,
        client_name=client,
        project_name=project,
        context=context,
        period=Period(date(2026, 4, 1), date(2026, 9, 30)),
        generated_at=datetime(2026, 10, 15, 9, 30, tzinfo=UTC),
        overall=Overall(2.4, 2, T("Emerging"), "D7"),
        levels=tuple(Level(n, T(name), T(anchor)) for n, name, anchor in data.LEVELS),
        dimensions=tuple(
            Dimension(k, T(name), s, level_of(s), target) for k, name, s, target in data.DIMENSIONS
        ),
        stages=stages,
        cells=tuple(
            _cell(stage.key, i, raw, units)
            for stage, row in zip(stages, data.GRID, strict=True)
            for i, raw in enumerate(row)
        ),
        journey=_journey(units, language),
        kpis=_kpis(units),
        opportunities=_opportunities(),
        data_sources=_sources(),
        model_version="cx-maturity 1.0.0",
        template_version="strategy-report 1.0",
        trend=Trend("Baseline, 2026 Q2", date(2026, 4, 20), data.PREVIOUS_RUN),
        customer_view=CustomerView(
            records=18_420, customers=12_960, customers_in_several_records=4_310,
            duplicates_within_source=1_204, unreadable_phones=312,
            records_by_source=(("HubSpot", 11_250), ("Zoho CRM", 7_170)),
            source_pairs=(("HubSpot", "Zoho CRM", 3_870),),
            resolved_at=datetime(2026, 6, 30, 18, 0, tzinfo=UTC)),
        evidence_file=f"cx-evidence-{language}-sample.xlsx",
        # The shape of cxsuite.reports.service.evidence_link, for a made-up run id.
        evidence_link="https://cx.northlight.example/score-runs/5a3c1e0f-8d2b-4e6a-9c71-0b4f2d6e8a13"
                      f"/evidence.xlsx?language={language}",
    )
