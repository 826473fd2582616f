"""Report wording for what the scoring model names by key: metrics, units and record kinds.

The model identifies metrics by stable keys (``ticket_first_response_median_hours_email``);
a client reads "Median first response, e-mail". The English labels here are catalogue msgids
(marked with ``N_``), so every language's catalogue must translate them and the catalogue test
fails when one is missing. A key without a label (a plugin's metric) is shown as its key.
"""

from __future__ import annotations

from cxsuite.reports.figures import N_

METRIC_LABELS = {
    "customer_link_rate": N_("Records linked to a known customer"),
    "key_field_completeness_rate": N_("Customers with key fields complete"),
    "duplicate_customer_rate": N_("Duplicate customers"),
    "sync_freshness_hours": N_("Data freshness"),
    "lifecycle_stage_coverage_rate": N_("Customers with a lifecycle stage"),
    "segments_in_use_count": N_("Segments in use"),
    "returning_vs_new_key_event_rate_ratio": N_("Key-event rate, returning vs new visitors"),
    "ticket_auto_assignment_rate": N_("Tickets assigned automatically"),
    "workflow_touch_share": N_("Contacts touched by workflows"),
    "self_service_share": N_("Self-service share"),
    "ticket_first_response_median_hours_email": N_("Median first response, e-mail"),
    "ticket_first_response_p90_hours_email": N_("90th percentile first response, e-mail"),
    "ticket_first_response_median_minutes_chat": N_("Median first response, chat"),
    "ticket_first_response_p90_minutes_chat": N_("90th percentile first response, chat"),
    "ticket_sla_attainment_rate": N_("Tickets within SLA"),
    "speed_to_lead_minutes_median": N_("Median speed to lead"),
    "ticket_resolution_median_hours": N_("Median resolution time"),
    "ticket_resolution_p90_hours": N_("90th percentile resolution time"),
    "first_contact_resolution_rate": N_("First-contact resolution"),
    "channels_active_count": N_("Active service channels"),
    "channel_switch_rate": N_("Customers switching channel"),
    "x_metric_stage_coverage_rate": N_("Stages with feedback measurement"),
    "inner_loop_follow_up_rate": N_("Detractors followed up"),
    "kpi_stage_coverage_rate": N_("Stages with a KPI"),
    "nps": N_("NPS"),
    "csat": N_("CSAT"),
    "ces_v2_agree_rate": N_("Customer effort (agree it was easy)"),
    "ces_v1_mean": N_("Customer effort score"),
    "csat_channel_spread_points": N_("CSAT gap between channels"),
    "ecommerce_conversion_rate": N_("Online conversion rate"),
    "monthly_churn_rate": N_("Monthly churn"),
    "repeat_purchase_rate": N_("Repeat purchase rate"),
    "win_rate": N_("Win rate"),
    "sales_cycle_median_days": N_("Median sales cycle"),
    "engagement_rate": N_("Engagement rate"),
}

UNIT_LABELS = {
    "percent": "%",
    "hours": N_("h"),
    "minutes": N_("min"),
    "days": N_("days"),
    "points": N_("pts"),
    "scale_1_5": "/ 5",
    "ratio": "×",
    "count": "",
}

# Channels as the connectors record them (``cxsuite.sandbox.world.CHANNELS`` and the CRMs' own).
CHANNEL_LABELS = {
    "email": N_("E-mail"),
    "chat": N_("Chat"),
    "phone": N_("Phone"),
    "web": N_("Web"),
}

RECORD_KIND_LABELS = {
    "customer": N_("Customers"),
    "company": N_("Companies"),
    "deal": N_("Deals"),
    "ticket": N_("Tickets"),
    "interaction": N_("Interactions"),
    "feedback": N_("Feedback answers"),
    "web_metric": N_("Web analytics rows"),
}

QUESTIONNAIRE_EVIDENCE = N_("Consultant assessment")

# Touchpoints the journey map names: the defaults of ``cxsuite.scoring.journey_mapping`` and the
# touchpoints sources record (a touchpoint without a label is shown as recorded, client data).
TOUCHPOINT_LABELS = {
    "support": N_("Customer support"),
    "support_ticket": N_("Customer support"),
    "relationship_survey": N_("Relationship survey"),
    "survey": N_("Survey"),
    "website": N_("Website"),
    "checkout": N_("Checkout"),
    "onboarding": N_("Onboarding"),
    "renewal": N_("Renewal"),
    "meeting": N_("Meeting"),
    "call": N_("Phone"),
}
