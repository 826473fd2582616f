"""Metric coverage: which records and fields every metric of the model needs, which sources
supply them, and what the report says when they are missing.

This is the single declaration ``docs/metrics.md`` is generated from
(``python -m cxsuite.scoring.coverage > docs/metrics.md``; ``--check`` exits 1 when the file is
stale, and ``tests/scoring/test_coverage.py`` runs that check). Tests also hold it to the model
(every metric declared, nothing else) and to the canonical records (every field named exists),
so a metric cannot be added without saying where its evidence comes from.

Supplier claims are what each source maps to canonical fields (issue 15: the connectors'
mapping docs list them field by field); a metric whose fields no source of the workspace
records is **insufficient evidence**, never 0 (``docs/scoring.md``).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from cxsuite.connectors.records import RECORD_TYPES, columns_of

# Who can supply canonical records: the four API connectors, the file import of each record
# kind (the ``file_import`` connector's streams), the survey-export import, and (for the
# project's own metrics) the score run itself.
SUPPLIERS: dict[str, str] = {
    "hubspot": "HubSpot",
    "salesforce": "Salesforce",
    "zoho": "Zoho CRM + Desk",
    "ga4": "Google Analytics 4",
    "file_import:customers": "File import: customers",
    "file_import:deals": "File import: orders / deals",
    "file_import:tickets": "File import: tickets",
    "file_import:interactions": "File import: interactions",
    "file_import:feedback": "File import: feedback",
    "survey_import": "Survey export (CSV, XLSX)",
}

_CUSTOMER = ("email", "phone", "name", "company_external_id", "lifecycle_stage", "created_at", "owner_id")
_DEAL = ("created_at", "closed_at", "won", "customer_external_id", "company_external_id", "stage",
         "stage_history", "owner_id", "amount")
_TICKET = ("channel", "created_at", "first_response_at", "resolved_at", "reopened", "customer_external_id",
           "owner_id", "assigned_at")
_INTERACTION = ("type", "channel", "direction", "occurred_at", "customer_external_id", "owner_id")
_FEEDBACK = ("metric", "score", "scale_min", "scale_max", "submitted_at", "customer_external_id", "channel")
_SYNCED = {"connection": frozenset({"last_sync_at"})}


def _kinds(**kinds: Sequence[str]) -> dict[str, frozenset[str]]:
    return {kind: frozenset(fields) for kind, fields in kinds.items()}


# supplier -> record kind -> canonical fields it fills (the connectors' target mapping, issue 15).
SUPPLIES: dict[str, dict[str, frozenset[str]]] = {
    "hubspot": {**_SYNCED, **_kinds(
        customer=(*_CUSTOMER, "segments", "churned_at"), company=("name", "domain"), deal=_DEAL,
        ticket=_TICKET, interaction=(*_INTERACTION, "automated"),
        feedback=(*_FEEDBACK, "ticket_external_id"))},
    "salesforce": {**_SYNCED, **_kinds(
        customer=(*_CUSTOMER, "segments", "churned_at"), company=("name", "domain"), deal=_DEAL,
        ticket=_TICKET, interaction=(*_INTERACTION, "journey_stage"), feedback=_FEEDBACK)},
    "zoho": {**_SYNCED, **_kinds(
        customer=(*_CUSTOMER, "churned_at"), company=("name", "domain"), deal=_DEAL, ticket=_TICKET,
        interaction=_INTERACTION, feedback=(*_FEEDBACK, "ticket_external_id"))},
    "ga4": {**_SYNCED, **_kinds(web_metric=("date", "sessions", "engaged_sessions", "conversions", "revenue",
                                            "new_vs_returning", "quality_flags"))},
    "file_import:customers": {**_SYNCED, **_kinds(
        customer=(*_CUSTOMER, "segment", "segments", "churned_at"))},
    "file_import:deals": {**_SYNCED, **_kinds(deal=_DEAL)},
    "file_import:tickets": {**_SYNCED, **_kinds(ticket=(*_TICKET, "auto_assigned"))},
    "file_import:interactions": {**_SYNCED, **_kinds(
        interaction=(*_INTERACTION, "automated", "journey_stage"))},
    "file_import:feedback": {**_SYNCED, **_kinds(
        feedback=(*_FEEDBACK, "journey_stage", "ticket_external_id"))},
    "survey_import": {**_SYNCED, **_kinds(feedback=(*_FEEDBACK, "journey_stage"))},
}


@dataclass(frozen=True)
class Need:
    """Fields of one record kind a metric reads. ``kinds`` are alternatives (any one will do);
    with ``any_field`` one of ``fields`` is enough, otherwise all are needed."""

    kinds: tuple[str, ...]
    fields: tuple[str, ...]
    any_field: bool = False

    def met_by(self, supplied: dict[str, frozenset[str]]) -> bool:
        """Whether a supplier's fields satisfy this need."""
        test = any if self.any_field else all
        return any(kind in supplied and test(f in supplied[kind] | {"external_id"} for f in self.fields)
                   for kind in self.kinds)

    def text(self) -> str:
        """``ticket: created_at, resolved_at`` or ``customer: segment or segments``."""
        fields = (" or " if self.any_field else ", ").join(self.fields)
        return f"{' or '.join(self.kinds)}: {fields}"


@dataclass(frozen=True)
class Coverage:
    """One metric: what it reads, and the reason the API gives when it cannot be computed."""

    metric: str
    needs: tuple[Need, ...]
    missing: str

    def suppliers(self) -> tuple[tuple[str, bool], ...]:
        """(supplier, alone) for each source that fills at least one need; ``alone`` when it
        fills them all (otherwise it needs another source beside it)."""
        found = []
        for key, supplied in SUPPLIES.items():
            met = [need.met_by(supplied) for need in self.needs]
            if any(met):
                found.append((key, all(met)))
        return tuple(found)


def _n(kinds: str | tuple[str, ...], *fields: str, any_field: bool = False) -> Need:
    return Need(kinds if isinstance(kinds, tuple) else (kinds,), fields, any_field)


NO_RECORDS = "no records in the period"
_REFERRING = ("ticket", "deal", "feedback", "interaction")
_ANSWERS = _n("feedback", "metric", "score", "scale_min", "scale_max", "submitted_at")
_RESPONSE = (_n("ticket", "channel", "created_at", "first_response_at"),)
_RESOLUTION = (_n("ticket", "created_at", "resolved_at"),)

COVERAGE: tuple[Coverage, ...] = (
    Coverage("customer_link_rate", (_n("customer", "external_id"),
                                    _n(_REFERRING, "customer_external_id")),
             "no customer or company records to link to"),
    Coverage("key_field_completeness_rate", (_n("customer", "email", "lifecycle_stage", "owner_id"),),
             "no source records the customer email, lifecycle stage or owner"),
    Coverage("duplicate_customer_rate", (_n("customer", "email", "phone", any_field=True),), NO_RECORDS),
    Coverage("sync_freshness_hours", (_n("connection", "last_sync_at"),), "no connected source has synced"),
    Coverage("lifecycle_stage_coverage_rate",
             (_n("customer", "lifecycle_stage", "segment", "segments", any_field=True),),
             "no source records lifecycle stages or segments"),
    Coverage("segments_in_use_count", (_n("customer", "segment", "segments", any_field=True),),
             "no source records customer segments or lists"),
    Coverage("returning_vs_new_key_event_rate_ratio",
             (_n("web_metric", "sessions", "conversions", "new_vs_returning"),),
             "no sessions split into new and returning visitors, or no key event by new visitors"),
    Coverage("ticket_auto_assignment_rate", (_n("ticket", "created_at"),
                                             _n("ticket", "assigned_at", "auto_assigned", any_field=True)),
             "no source records when or how tickets were assigned"),
    Coverage("workflow_touch_share", (_n("interaction", "direction", "automated", "occurred_at"),),
             "no source marks interactions as sent by a workflow or sequence"),
    Coverage("self_service_share", (_n("ticket", "created_at", "first_response_at", "resolved_at"),),
             "no source records the first reply to a ticket, or when it was resolved"),
    Coverage("ticket_first_response_median_hours_email", _RESPONSE, NO_RECORDS),
    Coverage("ticket_first_response_p90_hours_email", _RESPONSE, NO_RECORDS),
    Coverage("ticket_first_response_median_minutes_chat", _RESPONSE, NO_RECORDS),
    Coverage("ticket_first_response_p90_minutes_chat", _RESPONSE, NO_RECORDS),
    Coverage("ticket_sla_attainment_rate", _RESPONSE, "no source records the first reply to a ticket"),
    Coverage("speed_to_lead_minutes_median",
             (_n("deal", "created_at", "customer_external_id"),
              _n("interaction", "direction", "occurred_at", "customer_external_id")),
             "no lead contacted by a person after it was created"),
    Coverage("ticket_resolution_median_hours", _RESOLUTION, NO_RECORDS),
    Coverage("ticket_resolution_p90_hours", _RESOLUTION, NO_RECORDS),
    Coverage("first_contact_resolution_rate",
             (_n("ticket", "created_at", "resolved_at", "reopened", "customer_external_id"),), NO_RECORDS),
    Coverage("channels_active_count", (_n(("interaction", "ticket"), "channel"),
                                       _n("interaction", "journey_stage", "customer_external_id")),
             "no customer contacts with a channel at the stage"),
    Coverage("channel_switch_rate", (_n(("interaction", "ticket"), "channel", "customer_external_id"),),
             NO_RECORDS),
    Coverage("x_metric_stage_coverage_rate", (_ANSWERS, _n("feedback", "journey_stage")), NO_RECORDS),
    Coverage("inner_loop_follow_up_rate",
             (_n("feedback", "metric", "score", "customer_external_id"),
              _n(("interaction", "ticket"), "customer_external_id")),
             "no source of follow-ups: no tasks, calls or tickets for customers"),
    Coverage("kpi_stage_coverage_rate", (_n("score_run", "outcome_metrics"),),
             "the journey has no stage an outcome KPI applies to"),
    Coverage("nps", (_ANSWERS,), NO_RECORDS),
    Coverage("csat", (_ANSWERS,), NO_RECORDS),
    Coverage("ces_v2_agree_rate", (_ANSWERS,), NO_RECORDS),
    Coverage("ces_v1_mean", (_ANSWERS,), NO_RECORDS),
    Coverage("csat_channel_spread_points",
             (_ANSWERS, _n("feedback", "channel", "ticket_external_id", any_field=True)),
             "fewer than two channels with 30 CSAT answers"),
    Coverage("ecommerce_conversion_rate", (_n("web_metric", "sessions", "conversions"),), NO_RECORDS),
    Coverage("monthly_churn_rate", (_n("customer", "created_at"),
                                    _n("customer", "lifecycle_stage", "churned_at", any_field=True)),
             "no customers with a lifecycle stage or churn date"),
    Coverage("repeat_purchase_rate", (_n("deal", "closed_at", "won", "customer_external_id"),), NO_RECORDS),
    Coverage("win_rate", (_n("deal", "closed_at", "won"),), NO_RECORDS),
    Coverage("sales_cycle_median_days", (_n("deal", "created_at", "closed_at", "won"),), NO_RECORDS),
    Coverage("engagement_rate", (_n("web_metric", "sessions", "engaged_sessions"),), NO_RECORDS),
)

# Kinds that are not canonical record tables, with the fields metrics read from them.
OTHER_SOURCES = {"connection": frozenset({"last_sync_at"}), "score_run": frozenset({"outcome_metrics"})}


def coverage_of(metric: str) -> Coverage | None:
    """The declaration of ``metric`` (``None`` for a plugin's own metric)."""
    return next((c for c in COVERAGE if c.metric == metric), None)


def unknown_fields() -> list[str]:
    """Every ``kind.field`` named here that is not a canonical column (a test keeps this empty)."""
    columns = {kind: frozenset(columns_of(cls)) | {"external_id"} for kind, cls in RECORD_TYPES.items()}
    columns.update(OTHER_SOURCES)
    named = [(kind, f) for c in COVERAGE for need in c.needs for kind in need.kinds for f in need.fields]
    named += [(kind, f) for supplied in SUPPLIES.values()
              for kind, fields in supplied.items() for f in fields]
    return sorted({f"{kind}.{f}" for kind, f in named if f not in columns.get(kind, frozenset())})


def render() -> str:
    """``docs/metrics.md``: the coverage table, generated (never edited by hand)."""
    from cxsuite.scoring import shipped_model  # the model file, read once here

    model = shipped_model()
    definitions = {m.key: m for m in model.metrics}
    lines = [
        "# Metric coverage",
        "",
        "<!-- Generated by `python -m cxsuite.scoring.coverage > docs/metrics.md` from",
        "     cxsuite/scoring/coverage.py; tests/scoring/test_coverage.py fails when it is stale. -->",
        "",
        "Every metric of the maturity model, the canonical record fields it reads, the sources that",
        "supply them, and what the score run says when they are missing. A metric whose inputs are",
        "missing is **insufficient evidence**: no figure (never 0 or 0 %), status `insufficient` with",
        "the reason below in the score run's inputs and `metric_states`, and the words *Insufficient",
        "evidence* in the report where the figure would be. A grid cell with nothing but insufficient",
        "metrics and no answers is unscored, not level 1. See `docs/scoring.md`.",
        "",
        "Sources: " + "; ".join(f"`{k}` {v}" for k, v in SUPPLIERS.items()) + ".",
        "",
        "A source marked *(with others)* fills only part of what the metric needs; another source",
        "must fill the rest. The claims are the connectors' mappings (see `docs/connectors/`).",
        "The questionnaire supplies no metric: its answers are the third class of evidence (table at",
        "the end).",
        "",
        "| metric | unit | class | needs | supplied by | when missing |",
        "|---|---|---|---|---|---|",
    ]
    for c in COVERAGE:
        definition = definitions[c.metric]
        suppliers = ", ".join(f"`{k}`" + ("" if alone else " (with others)") for k, alone in c.suppliers())
        if c.metric == "kpi_stage_coverage_rate":
            suppliers = "the score run (from the outcome metrics it computed)"
        needs = "; ".join(f"`{need.text()}`" for need in c.needs)
        lines.append(f"| `{c.metric}` | {definition.unit} | {definition.evidence_class} | {needs} | "
                     f"{suppliers or 'none yet'} | {c.missing} |")
    lines += ["", "## Questionnaire items per dimension", "", "| dimension | items |", "|---|---|"]
    for dimension in model.dimensions:
        items = ", ".join(f"`{q.id}`" for q in model.questionnaire if q.dimension == dimension.key)
        lines.append(f"| {dimension.key} {dimension.name} | {items} |")
    return "\n".join(lines) + "\n"


DOC = Path(__file__).resolve().parents[2] / "docs" / "metrics.md"


def main(argv: Sequence[str] = ()) -> int:
    """Print the document, or with ``--check`` compare it with ``docs/metrics.md`` (exit 1 if stale)."""
    text = render()
    if "--check" in argv:
        if not DOC.exists() or DOC.read_text() != text:
            print(f"{DOC} is stale: run python -m cxsuite.scoring.coverage > docs/metrics.md",
                  file=sys.stderr)
            return 1
        return 0
    sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
