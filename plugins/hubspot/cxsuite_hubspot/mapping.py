"""HubSpot CRM v3 objects → canonical records.

HubSpot sends every property as a string (dates as ISO text or epoch milliseconds); a value
that does not parse makes the whole object a :class:`RecordError` with the reason, never a
silently half-filled record.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from cxsuite.connectors import mapping as values
from cxsuite.connectors.mapping import MappingError
from cxsuite.connectors.records import Company, Customer, Deal, Feedback, Interaction, Record, Ticket

CHANNELS = {"EMAIL": "email", "CHAT": "chat", "PHONE": "phone", "FORM": "web"}
WON, LOST = "closedwon", "closedlost"
# Scales of HubSpot's survey types (NPS 0-10; CSAT and CES as HubSpot asks them).
SCALES = {"NPS": (0, 10), "CSAT": (1, 5), "CES": (1, 7)}
ENGAGEMENT_TYPES = {"calls": "call", "emails": "email", "meetings": "meeting"}
# ``hs_engagement_source`` and property-history ``sourceType`` values that mean a workflow, a
# sequence, a bot or another automation made the change, not a person.
AUTOMATED_SOURCES = frozenset({"AUTOMATION_PLATFORM", "AUTOMATION_JOURNEY", "PRIMARY_AUTOMATION", "WORKFLOWS",
                               "SEQUENCES", "BOT", "HELP_DESK_AI", "CUSTOMER_AGENT", "BREEZE_AGENT",
                               "PROSPECTING_AGENT"})
# Lifecycle stages of a current customer; a contact that left them has churned.
CUSTOMER_STAGES = frozenset({"customer", "evangelist"})


def _hubspot_time(text: str) -> datetime:
    """HubSpot sends ISO 8601 text or epoch milliseconds."""
    if text.isdigit():
        return datetime.fromtimestamp(int(text) / 1000, tz=UTC)
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def parse_time(value: str | None, prop: str) -> datetime | None:
    """A date or datetime property as aware UTC; empty is ``None``."""
    return values.moment(value, f"property {prop}", _hubspot_time)


def parse_number(value: str | None, prop: str) -> float | None:
    """A numeric property; empty is ``None``."""
    return values.number(value, f"property {prop}")


def _first_association(obj: dict[str, Any], name: str) -> str | None:
    results = (obj.get("associations") or {}).get(name, {}).get("results") or []
    return str(results[0]["id"]) if results else None


def _common(obj: dict[str, Any], modified: str) -> dict[str, Any]:
    props = obj["properties"]
    return {"external_id": str(obj["id"]), "archived": bool(obj.get("archived")), "raw": obj,
            "updated_at": parse_time(props.get(modified) or obj.get("updatedAt"), modified)}


def contact(obj: dict[str, Any]) -> Record:
    """A contact: a customer of the client company. It churned when it left the customer
    stage (``hs_date_exited_customer``) and is no longer a customer or evangelist; its
    segments are the names of the lists it belongs to (``listMemberships``, read by the
    connector from the lists API)."""
    p = obj["properties"]
    name = " ".join(part for part in (p.get("firstname"), p.get("lastname")) if part) or None
    stage = p.get("lifecyclestage") or None
    exited = parse_time(p.get("hs_date_exited_customer"), "hs_date_exited_customer")
    lists = sorted({str(m["name"]) for m in obj.get("listMemberships") or [] if m.get("name")})
    return Customer(**_common(obj, "lastmodifieddate"), email=(p.get("email") or None),
                    phone=p.get("phone") or None, name=name,
                    company_external_id=p.get("associatedcompanyid") or None,
                    lifecycle_stage=stage, owner_id=p.get("hubspot_owner_id") or None,
                    segments=lists,
                    churned_at=exited if stage not in CUSTOMER_STAGES else None,
                    created_at=parse_time(p.get("createdate"), "createdate"))


def company(obj: dict[str, Any]) -> Record:
    """A company (account)."""
    p = obj["properties"]
    return Company(**_common(obj, "hs_lastmodifieddate"), name=p.get("name"), domain=p.get("domain"),
                   industry=p.get("industry"), created_at=parse_time(p.get("createdate"), "createdate"))


def deal(obj: dict[str, Any]) -> Record:
    """A deal, with its stage history where HubSpot returned it."""
    p = obj["properties"]
    stage = p.get("dealstage")
    history = [{"stage": v.get("value"), "at": parse_time(v.get("timestamp"), "dealstage").isoformat()}
               for v in (obj.get("propertiesWithHistory") or {}).get("dealstage", [])
               if v.get("timestamp")]
    closed = stage in (WON, LOST)
    return Deal(**_common(obj, "hs_lastmodifieddate"), name=p.get("dealname"), pipeline=p.get("pipeline"),
                stage=stage, amount=parse_number(p.get("amount"), "amount"),
                created_at=parse_time(p.get("createdate"), "createdate"),
                closed_at=parse_time(p.get("closedate"), "closedate") if closed else None,
                won=(stage == WON) if closed else None,
                customer_external_id=_first_association(obj, "contacts"),
                company_external_id=_first_association(obj, "companies"),
                stage_history=sorted(history, key=lambda h: h["at"]),
                owner_id=p.get("hubspot_owner_id") or None)


def _first_reply(p: dict[str, Any], created: datetime | None) -> datetime | None:
    """``first_agent_reply_date``, else creation plus ``hs_time_to_first_agent_reply`` (ms)."""
    reply = parse_time(p.get("first_agent_reply_date"), "first_agent_reply_date")
    waited = parse_number(p.get("hs_time_to_first_agent_reply"), "hs_time_to_first_agent_reply")
    if reply is None and waited is not None and created is not None:
        reply = created + timedelta(milliseconds=waited)
    return reply


def auto_assigned(obj: dict[str, Any]) -> bool | None:
    """Whether the first owner was set by automation (a workflow or routing rule), from the
    ``hubspot_owner_id`` property history; ``None`` when HubSpot returned no history."""
    versions = [v for v in (obj.get("propertiesWithHistory") or {}).get("hubspot_owner_id", [])
                if v.get("value") and v.get("timestamp")]
    if not versions:
        return None
    first = min(versions, key=lambda v: parse_time(v["timestamp"], "hubspot_owner_id history"))
    return str(first.get("sourceType") or "").upper() in AUTOMATED_SOURCES


def ticket(obj: dict[str, Any]) -> Record:
    """A ticket; ``first_agent_reply_date`` is HubSpot's first human reply, the owner's
    ``hubspot_owner_assigneddate`` when it was assigned."""
    p = obj["properties"]
    csat = parse_number(p.get("csat_score"), "csat_score")
    created = parse_time(p.get("createdate"), "createdate")
    owner = p.get("hubspot_owner_id") or None
    return Ticket(**_common(obj, "hs_lastmodifieddate"), subject=p.get("subject"),
                  channel=_lower(CHANNELS.get(p.get("source_type") or "", p.get("source_type"))),
                  status=p.get("hs_pipeline_stage"), priority=_lower(p.get("hs_ticket_priority")),
                  created_at=created, first_response_at=_first_reply(p, created), owner_id=owner,
                  assigned_at=parse_time(p.get("hubspot_owner_assigneddate"), "hubspot_owner_assigneddate"),
                  auto_assigned=auto_assigned(obj) if owner else None,
                  resolved_at=parse_time(p.get("closed_date"), "closed_date"),
                  reopened=(parse_number(p.get("reopened_count"), "reopened_count") or 0) > 0,
                  satisfaction=csat, satisfaction_scale=5 if csat is not None else None,
                  customer_external_id=_first_association(obj, "contacts"))


def engagement(object_type: str) -> Callable[[dict[str, Any]], Record]:
    """A mapper for calls, emails or meetings: touchpoints with a customer."""
    kind = ENGAGEMENT_TYPES[object_type]

    def to_record(obj: dict[str, Any]) -> Record:
        p = obj["properties"]
        direction = (p.get("hs_call_direction") or p.get("hs_email_direction") or "").upper()
        return Interaction(**_common(obj, "hs_lastmodifieddate"), type=kind, channel=_channel(kind),
                           direction="inbound" if direction.startswith("INC") else (
                               "outbound" if direction else None),
                           occurred_at=parse_time(p.get("hs_timestamp"), "hs_timestamp"),
                           owner_id=p.get("hubspot_owner_id") or None,
                           automated=str(p.get("hs_engagement_source") or "").upper() in AUTOMATED_SOURCES,
                           customer_external_id=_first_association(obj, "contacts"))

    return to_record


def _lower(value: str | None) -> str | None:
    return value.lower() if value else None


def _channel(kind: str) -> str:
    return {"call": "phone", "email": "email", "meeting": "meeting"}[kind]


def feedback(obj: dict[str, Any]) -> Record:
    """A survey answer; the scale travels with the score so scales are never mixed."""
    p = obj["properties"]
    metric = (p.get("hs_survey_type") or "").upper()
    if metric not in SCALES:
        raise MappingError(f"survey type {metric or 'missing'!r} is not NPS, CSAT or CES")
    score = parse_number(p.get("hs_value"), "hs_value")
    if score is None:
        raise MappingError("hs_value is missing")
    low, high = SCALES[metric]
    if not low <= score <= high:
        raise MappingError(f"{metric} score {score} is outside {low}-{high}")
    return Feedback(**_common(obj, "hs_lastmodifieddate"), metric=metric.lower(), score=score,
                    scale_min=low, scale_max=high, question=p.get("hs_survey_name"),
                    comment=p.get("hs_content"), channel=(p.get("hs_survey_channel") or "").lower() or None,
                    submitted_at=parse_time(p.get("hs_submission_timestamp"), "hs_submission_timestamp"),
                    customer_external_id=_first_association(obj, "contacts"),
                    ticket_external_id=_first_association(obj, "tickets"))
