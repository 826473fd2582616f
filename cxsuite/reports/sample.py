"""A realistic sample report: a regional energy retailer audited by a boutique consultancy.

Tests, the brand preview and the benchmark all render this document, so it carries what real
reports carry: seven stages and seven dimensions, contested and grey cells, a journey map with
pain points, benchmarks with sources, twelve prioritised recommendations, a previous run for
the trend, and client names in each language's own script.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from io import BytesIO

from PIL import Image, ImageDraw

from cxsuite.reports.document import (
    Benchmark,
    Branding,
    Cell,
    DataSource,
    Dimension,
    Evidence,
    Journey,
    KpiRow,
    Level,
    Logo,
    Opportunity,
    Overall,
    PainPoint,
    Period,
    ReportDocument,
    Satisfaction,
    Stage,
    StageKpi,
    Term,
    Touchpoint,
    Trend,
)

T = Term
CLIENTS = {
    "en": ("Nordvik Energy Ltd", "Digital CX audit 2026 Q4"),
    "lt": ("UAB „Šiaurės energija“", "Skaitmeninės KP patirties auditas 2026 IV ketv."),
    "lv": ("SIA „Ziemeļu Enerģija“", "Digitālās klientu pieredzes audits 2026. g. 4. cet."),
    "ru": ("ООО «Северная энергия»", "Аудит клиентского опыта, IV кв. 2026"),
    "fa": ("شرکت انرژی شمال", "ممیزی تجربه مشتری دیجیتال، پاییز ۲۰۲۶"),
}
LEVELS = tuple(
    Level(n, T(name), T(desc))
    for n, name, desc in (
        (1, "Reactive", "Not done, or done only when something breaks."),
        (2, "Emerging", "Done in pockets; data is collected but not shared."),
        (3, "Defined", "Documented, owned and repeatable."),
        (4, "Managed", "Systematic, measured against targets, cross-functional."),
        (5, "Optimised", "Automated, predictive and continuously improved."),
    )
)
STAGES = tuple(
    Stage(key, T(name))
    for key, name in (
        ("awareness", "Awareness"),
        ("consideration", "Consideration"),
        ("purchase", "Purchase"),
        ("onboarding", "Onboarding"),
        ("usage", "Usage and service"),
        ("retention", "Retention"),
        ("advocacy", "Advocacy"),
    )
)
# key, name, score, target
DIMENSIONS = (
    ("d1", "Data integration", 1.9, 3.5),
    ("d2", "Personalisation", 2.2, 3.0),
    ("d3", "Automation and self-service", 2.9, 3.5),
    ("d4", "Real-time responsiveness", 3.6, 4.0),
    ("d5", "Omnichannel consistency", 2.5, 3.5),
    ("d6", "Feedback loop", 2.1, 3.5),
    ("d7", "Journey management", 1.6, 3.0),
)
# One row per stage, one column per dimension: a score, "-" not applicable, "?" insufficient.
GRID = (
    ("2.1", "2.4", "-", "-", "2.2", "?", "1.5"),
    ("1.8", "2.6", "2.9", "3.4", "2.7", "-", "1.6"),
    ("2.2", "2.0", "3.3", "3.9", "2.9", "2.0", "1.7"),
    ("1.7", "2.1", "2.8", "3.5", "2.4", "2.3", "1.4"),
    ("2.0", "-", "3.1", "3.8", "2.6", "2.2", "1.8"),
    ("1.6", "2.0", "2.5", "3.2", "?", "1.9", "1.5"),
    ("-", "?", "-", "-", "2.1", "2.0", "1.6"),
)
EVIDENCE = {
    "d1": Evidence(T("Tickets linked to a known customer"), 62.0, "%", "50–70 % → 2", 2, benchmark=None),
    "d2": Evidence(T("Contacts with a lifecycle stage set"), 41.0, "%", "40–60 % → 2", 2),
    "d3": Evidence(T("Tickets auto-assigned within 1 minute"), 58.0, "%", "50–75 % → 3", 3),
    "d4": Evidence(
        T("Median first response time, email"),
        3.2,
        "h",
        "≤ 4 h → 4",
        4,
        benchmark="12 h (SuperOffice 2023)",
        source="SuperOffice customer service benchmark",
    ),
    "d5": Evidence(
        T("First-contact resolution"),
        71.0,
        "%",
        "70–74 % → 3",
        3,
        benchmark="≈ 70 % (SQM)",
        source="SQM Group FCR benchmark",
    ),
    "d6": Evidence(T("Detractors followed up within 48 hours"), 18.0, "%", "< 25 % → 1", 1, kind="x_data"),
    "d7": Evidence(
        T("Questionnaire: journey owner and KPI target per stage"),
        "No",
        "",
        "none → 1",
        1,
        kind="questionnaire",
    ),
}
OPPORTUNITIES = (
    (
        "Link every ticket and deal to one customer record",
        "Match tickets, deals and feedback on normalised e-mail and phone, and merge duplicates weekly.",
        "d1",
        "usage",
        4.4,
        2,
        "Head of CRM",
        "Link rate 62 % → 90 %",
        None,
    ),
    (
        "Follow up every detractor within 48 hours",
        "Route NPS 0–6 answers to the account owner with a 48-hour task and a call script.",
        "d6",
        "retention",
        4.3,
        1,
        "Head of Customer Service",
        "Churn among detractors −10–20 %",
        "Bain & Company, closed-loop feedback",
    ),
    (
        "Respond to web leads within one hour",
        "Assign inbound leads automatically and alert the on-duty adviser; report speed-to-lead weekly.",
        "d4",
        "consideration",
        4.1,
        1,
        "Head of Sales",
        "Lead qualification rate up to ×7",
        "Harvard Business Review 2011",
    ),
    (
        "Name an owner and a KPI target for each stage",
        "Give every journey stage an accountable owner, a target and a monthly review.",
        "d7",
        "onboarding",
        3.9,
        1,
        "Chief Customer Officer",
        "Stages with a KPI owner 0 → 7",
        None,
    ),
    (
        "Automate the onboarding sequence",
        "Trigger welcome, meter-reading and first-bill explainer messages from the contract start date.",
        "d3",
        "onboarding",
        3.8,
        2,
        "Head of Marketing",
        "Onboarding CSAT +5–10 points",
        None,
    ),
    (
        "Publish self-service answers for the ten top contact reasons",
        "Turn the ten most frequent ticket topics into searchable help articles linked from the bill.",
        "d3",
        "usage",
        3.4,
        1,
        "Head of Customer Service",
        "Contacts per customer −10–15 %",
        "Gartner customer service research",
    ),
    (
        "Segment campaigns by lifecycle stage",
        "Set the lifecycle stage on every contact and drive campaigns from it instead of from one list.",
        "d2",
        "consideration",
        3.3,
        3,
        "Head of Marketing",
        "E-mail conversion +10–20 %",
        None,
    ),
    (
        "Measure satisfaction at every stage",
        "Add short CSAT or CES surveys after purchase, onboarding and service contacts, n ≥ 30 a month.",
        "d6",
        "purchase",
        3.2,
        2,
        "Head of Customer Insight",
        "Stages with an X-metric 3 → 7",
        None,
    ),
    (
        "Give agents one view of the customer",
        "Show contracts, bills, tickets and survey answers side by side in the helpdesk.",
        "d5",
        "usage",
        3.6,
        4,
        "Head of IT",
        "First-contact resolution 71 % → 78 %",
        "SQM Group FCR benchmark",
    ),
    (
        "Offer renewal options before the contract ends",
        "Contact customers 60 days before their fixed-price contract ends with a tailored offer.",
        "d2",
        "retention",
        4.0,
        3,
        "Head of Retention",
        "Churn at renewal −2–4 points",
        None,
    ),
    (
        "Launch a referral programme",
        "Invite promoters to refer a friend, with a bill credit for both.",
        "d6",
        "advocacy",
        2.4,
        3,
        "Head of Marketing",
        "Share of sales from referrals +3–5 points",
        None,
    ),
    (
        "Replace the legacy billing portal",
        "Rebuild the customer portal on the new CRM with consumption charts and payment plans.",
        "d5",
        "usage",
        2.8,
        5,
        "Head of IT",
        "Portal CES +0.5",
        None,
    ),
)


def _quadrant(value: float, effort: int) -> str:
    """The matrix quadrant, by the same cut-offs the scoring model uses (value 3, effort 3)."""
    high_value, low_effort = value >= 3.0, effort <= 2
    return {
        (True, True): "quick_win",
        (True, False): "big_bet",
        (False, True): "fill_in",
        (False, False): "money_pit",
    }[(high_value, low_effort)]


def _horizon(effort: int) -> str:
    """Quick wins first; the heaviest changes land in the 6–12 month horizon."""
    return "0-3" if effort <= 1 else "3-6" if effort <= 3 else "6-12"


def _opportunities() -> tuple[Opportunity, ...]:
    rows = [
        Opportunity(
            title=T(title),
            description=T(desc),
            dimension=dim,
            stage=stage,
            value=value,
            effort=effort,
            priority=round(value * (6 - effort) / 5, 2),
            quadrant=_quadrant(value, effort),
            horizon=_horizon(effort),
            owner_role=T(owner),
            expected_kpi=T(kpi),
            kpi_source=source,
        )
        for title, desc, dim, stage, value, effort, owner, kpi, source in OPPORTUNITIES
    ]
    return tuple(sorted(rows, key=lambda o: -o.priority))


def _cell(stage: str, dim_index: int, raw: str) -> Cell:
    dim = DIMENSIONS[dim_index][0]
    if raw == "-":
        return Cell(stage, dim, "not_applicable")
    if raw == "?":
        return Cell(stage, dim, "insufficient_evidence", confidence=0.3)
    score = float(raw)
    level = 1 if score < 1.8 else 2 if score < 2.6 else 3 if score < 3.4 else 4 if score < 4.2 else 5
    contested = (stage, dim) in {("purchase", "d4"), ("onboarding", "d3")}
    return Cell(
        stage,
        dim,
        "scored",
        level=level,
        score=score,
        confidence=0.6 + (dim_index % 4) / 10,
        contested=contested,
        evidence=(EVIDENCE[dim],),
    )


def _journey() -> Journey:
    channels = {
        "awareness": (("Web", "Search ads"), ("Social", "Social campaigns"), ("Partner", "Comparison sites")),
        "consideration": (("Web", "Tariff calculator"), ("Phone", "Sales line"), ("E-mail", "Quote e-mail")),
        "purchase": (("Web", "Online sign-up"), ("Phone", "Sales line")),
        "onboarding": (("E-mail", "Welcome e-mail"), ("Web", "Customer portal"), ("Post", "Contract letter")),
        "usage": (
            ("Web", "Customer portal"),
            ("Phone", "Service line"),
            ("E-mail", "Support e-mail"),
            ("Chat", "Web chat"),
        ),
        "retention": (("E-mail", "Renewal offer"), ("Phone", "Retention desk")),
        "advocacy": (("Social", "Reviews"), ("E-mail", "NPS survey")),
    }
    touchpoints = tuple(
        Touchpoint(stage, T(ch), T(name)) for stage, items in channels.items() for ch, name in items
    )
    kpis = (
        StageKpi("consideration", T("Conversion"), 2.4, "%"),
        StageKpi("purchase", T("CSAT"), 81, "%"),
        StageKpi("onboarding", T("CES"), 4.9, "/7"),
        StageKpi("usage", T("First response"), 3.2, "h"),
        StageKpi("usage", T("CSAT"), 74, "%"),
        StageKpi("retention", T("Churn"), 4.1, "%"),
        StageKpi("advocacy", T("NPS"), 18, ""),
    )
    satisfaction = tuple(
        Satisfaction(stage, value, n)
        for stage, value, n in (
            ("consideration", 0.6, 112),
            ("purchase", 0.9, 208),
            ("onboarding", -0.4, 164),
            ("usage", -1.1, 530),
            ("retention", -0.6, 96),
            ("advocacy", 0.2, 341),
        )
    )
    pains = (
        PainPoint("onboarding", T("First bill is hard to understand"), T("31 % of onboarding tickets"), 3),
        PainPoint("usage", T("Customers repeat their story to each agent"), T("FCR 71 %, CES 4.1"), 3),
        PainPoint(
            "retention", T("Renewal offers arrive after the contract ends"), T("42 % of churn at renewal"), 2
        ),
    )
    return Journey(touchpoints, kpis, satisfaction, pains)


def _kpis() -> tuple[KpiRow, ...]:
    return (
        KpiRow(
            T("NPS"),
            18,
            "",
            "advocacy",
            T("Promoters minus detractors, 0–10 scale"),
            Benchmark(36, "B2B SaaS compilations", 2024, "vendor compilations"),
            341,
            0.92,
            12,
        ),
        KpiRow(
            T("CSAT, service tickets"),
            74,
            "%",
            "usage",
            T("Share of 4–5 answers on a 1–5 scale"),
            Benchmark(86, "Zendesk", 2012, "global"),
            1_204,
            0.81,
            71,
        ),
        KpiRow(
            T("Median first response time, email"),
            3.2,
            "h",
            "usage",
            T("First human reply minus created"),
            Benchmark(12, "SuperOffice", 2023, "1,000 companies"),
            18_450,
            0.97,
            4.5,
        ),
        KpiRow(
            T("First-contact resolution"),
            71,
            "%",
            "usage",
            T("No reopen and no new contact within 7 days"),
            Benchmark(70, "SQM Group", 2023, "contact centres"),
            18_450,
            0.88,
            69,
        ),
        KpiRow(
            T("Conversion"),
            2.4,
            "%",
            "consideration",
            T("Orders divided by sessions"),
            Benchmark(2.2, "e-commerce range 1.4–3.0 %", 2024),
            412_000,
            1.0,
            2.1,
        ),
        KpiRow(
            T("Churn"),
            4.1,
            "%",
            "retention",
            T("Customers lost in the month divided by customers at its start"),
            Benchmark(4.5, "Recurly, 3–6 %", 2024, "subscriptions"),
            48_900,
            0.95,
            4.6,
        ),
        KpiRow(T("CES"), 4.9, "/7", "onboarding", T("Mean agreement that it was easy, 1–7"), None, 164, 0.42),
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


def sample_document(language: str = "en") -> ReportDocument:
    """The sample report in ``language``; the figures are the same in every language."""
    client, project = CLIENTS[language]
    dimensions = tuple(
        Dimension(
            key, T(name), score, 1 if score < 1.8 else 2 if score < 2.6 else 3 if score < 3.4 else 4, target
        )
        for key, name, score, target in DIMENSIONS
    )
    return ReportDocument(
        branding=Branding(
            tenant_name="Northlight Advisory",
            primary_colour="#12355b",
            accent_colour="#e0a526",
            footer_text="Northlight Advisory · northlight.example",
            logo=_logo(),
            confidentiality=f"Confidential: prepared for {client}",
        ),
        language=language,
        client_name=client,
        project_name=project,
        period=Period(date(2026, 4, 1), date(2026, 9, 30)),
        generated_at=datetime(2026, 10, 15, 9, 30, tzinfo=UTC),
        overall=Overall(2.4, 2, T("Emerging"), "d7"),
        levels=LEVELS,
        dimensions=dimensions,
        stages=STAGES,
        cells=tuple(
            _cell(stage.key, i, raw)
            for stage, row in zip(STAGES, GRID, strict=True)
            for i, raw in enumerate(row)
        ),
        journey=_journey(),
        kpis=_kpis(),
        opportunities=_opportunities(),
        data_sources=(
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
        ),
        model_version="cx-maturity v1.0",
        template_version="strategy-report 1.0",
        context=(
            "Nordvik serves 48,900 households in three regions. Growth since 2024 came with longer "
            "response times and a rise in churn at contract renewal; the board asked for a "
            "fact-based view of where the journey loses customers and what to fix first."
        ),
        trend=Trend(
            "Baseline, 2026 Q2",
            date(2026, 4, 20),
            (("d1", 1.7), ("d2", 2.1), ("d3", 2.5), ("d4", 3.1), ("d5", 2.4), ("d6", 1.8), ("d7", 1.4)),
        ),
    )
