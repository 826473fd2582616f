"""From a :class:`ReportDocument` to the chart SVGs and labels its templates show.

Templates stay declarative: they ask for ``figures.radar()`` and get markup that is safe to
embed, because every label went through the chart module's escaping. Fixed words are marked
with ``N_`` (or passed to ``gettext``) so the catalogue test finds them.
"""

from __future__ import annotations

from markupsafe import Markup

from cxsuite.reports import charts
from cxsuite.reports.document import Cell, ReportDocument
from cxsuite.reports.i18n import Localiser


def N_(msgid: str) -> str:
    """Mark ``msgid`` for the catalogue without translating it here."""
    return msgid


QUADRANTS = {
    "quick_win": N_("Quick win"),
    "big_bet": N_("Big bet"),
    "fill_in": N_("Fill-in"),
    "money_pit": N_("Money pit"),
}
HORIZONS = {
    "0-3": N_("Quick wins: 0–3 months"),
    "3-6": N_("Next: 3–6 months"),
    "6-12": N_("Later: 6–12 months"),
}
EVIDENCE_KINDS = {
    "questionnaire": N_("Questionnaire"),
    "o_data": N_("Operational data"),
    "x_data": N_("Experience data"),
}


FULL_WIDTH_MM, NARROW_WIDTH_MM = 170.0, 140.0


def alt(title: str, items: list[str]) -> str:
    """A chart's alternative text: its title, then what it shows, item by item (a screen reader
    reads this instead of the drawing)."""
    return f"{title}: " + "; ".join(items) if items else title


def _safe(chart: str, width_mm: float = NARROW_WIDTH_MM) -> Markup:
    """Charts are built by :mod:`cxsuite.reports.charts`, which escapes every text node and attribute;
    the overlay re-escapes the labels it moves into HTML."""
    return Markup(charts.html_chart(chart, width_mm))  # noqa: S704 - see above


class Figures:
    """The charts of one document in one language, built on demand by the templates."""

    def __init__(self, document: ReportDocument, l10n: Localiser) -> None:
        self.doc, self.l10n = document, l10n
        brand = document.branding
        self.style = charts.ChartStyle(brand.primary_colour, brand.accent_colour, document.rtl)

    def _names(self, items: tuple) -> list[str]:
        return [self.l10n.name(item.name) for item in items]

    def radar(self) -> Markup:
        """Current vs target maturity per dimension."""
        dims, t = self.doc.dimensions, self.l10n.gettext
        values = [self.l10n.number(d.score, 1) if d.score is not None else t("No data") for d in dims]
        return _safe(
            charts.radar(
                self._names(dims),
                [d.score for d in dims],
                [d.target for d in dims],
                values,
                [self.l10n.number(n) for n in range(1, 6)],
                (t("Current"), t("Target")),
                self.style,
                alt(t("Maturity by dimension"), [
                    f"{name} {value}" for name, value in zip(self._names(dims), values, strict=True)]),
            )
        )

    def _heat_cell(self, cell: Cell | None) -> charts.HeatCell:
        if cell is None or cell.status == "not_applicable":
            return charts.HeatCell(None, "–", applicable=False)
        if cell.status == "insufficient_evidence":
            return charts.HeatCell(None, self.l10n.gettext("No data"))
        return charts.HeatCell(cell.level, self.l10n.number(cell.score or 0, 1), cell.contested)

    def heatmap(self) -> Markup:
        """Stage × dimension levels, grey where evidence is insufficient."""
        t = self.l10n.gettext
        grid = [
            [self._heat_cell(self.doc.cell(s.key, d.key)) for d in self.doc.dimensions]
            for s in self.doc.stages
        ]
        labels = [f"{self.l10n.number(lv.number)} {self.l10n.name(lv.name)}" for lv in self.doc.levels]
        labels += [t("Insufficient evidence"), t("Not applicable"), t("Contested")]
        return _safe(
            charts.heatmap(
                self._names(self.doc.stages),
                self._names(self.doc.dimensions),
                grid,
                labels,
                self.style,
                alt(t("Maturity by stage and dimension"), [
                    f"{stage}: " + ", ".join(f"{dim} {cell.label}" for dim, cell in
                                             zip(self._names(self.doc.dimensions), row, strict=True))
                    for stage, row in zip(self._names(self.doc.stages), grid, strict=True)]),
            ),
            FULL_WIDTH_MM,
        )

    def journey(self) -> Markup:
        """Touchpoints per channel under each stage, with the satisfaction curve."""
        journey, name = self.doc.journey, self.l10n.name
        channels = list(dict.fromkeys(name(tp.channel) for tp in journey.touchpoints))
        curve = {s.stage: s.value for s in journey.satisfaction if s.n >= 30}
        stages = [
            charts.JourneyStage(
                name(stage.name),
                [
                    [
                        name(tp.name)
                        for tp in journey.touchpoints
                        if tp.stage == stage.key and name(tp.channel) == ch
                    ]
                    for ch in channels
                ],
                curve.get(stage.key),
                sum(1 for p in journey.pain_points if p.stage == stage.key),
            )
            for stage in self.doc.stages
        ]
        t = self.l10n.gettext
        return _safe(
            charts.journey_map(
                stages,
                channels,
                (t("Delighted"), t("Neutral"), t("Frustrated")),
                (t("Satisfaction (−2 to +2)"), t("Pain point")),
                self.style,
                alt(t("Customer journey map"), [
                    f"{stage.name}: " + ", ".join(n for names in stage.touchpoints for n in names)
                    for stage in stages]),
            ),
            FULL_WIDTH_MM,
        )

    def matrix(self) -> Markup:
        """Every opportunity on value × effort, numbered by priority rank."""
        t = self.l10n.gettext
        value = self.l10n.pgettext("business", "Value")
        points = [
            charts.MatrixPoint(self.l10n.number(i), o.value, o.effort, o.quadrant)
            for i, o in enumerate(self.doc.opportunities, start=1)
        ]
        return _safe(
            charts.matrix(
                points,
                [t(QUADRANTS[q]) for q in ("quick_win", "big_bet", "fill_in", "money_pit")],
                (t("Effort"), value),
                (t("low"), t("high")),
                self.style,
                alt(t("Value and effort"), [
                    f"{p.label}. {self.l10n.name(o.title)}: {value} {self.l10n.number(o.value, 1)}, "
                    f"{t('Effort')} {self.l10n.number(o.effort)}"
                    for p, o in zip(points, self.doc.opportunities, strict=True)]),
            )
        )

    def trend(self) -> Markup:
        """Previous vs current dimension scores; empty when there is no previous run."""
        if self.doc.trend is None:
            return Markup("")
        before, fmt, t = dict(self.doc.trend.scores), self.l10n.number, self.l10n.gettext
        before_label = self.l10n.date(self.doc.trend.run_on, "medium")
        dims = self.doc.dimensions
        texts = [
            (
                fmt(before[d.key], 1) if d.key in before else "–",
                fmt(d.score, 1) if d.score is not None else "–",
            )
            for d in dims
        ]
        return _safe(
            charts.trend(
                self._names(dims),
                [before.get(d.key) for d in dims],
                [d.score for d in dims],
                texts,
                [fmt(n) for n in range(6)],
                (before_label, t("This run")),
                self.style,
                alt(t("Change since the last run"), [
                    f"{name}: {before_label} {old}, {t('This run')} {new}"
                    for name, (old, new) in zip(self._names(dims), texts, strict=True)]),
            )
        )
