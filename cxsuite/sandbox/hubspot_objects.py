"""The world as HubSpot CRM v3 objects: object types, properties (all strings), pipelines.

Property names follow HubSpot's default properties (``lastmodifieddate`` on contacts,
``hs_lastmodifieddate`` elsewhere, ``dealstage`` ids of the default sales pipeline, ticket
stages "1".."4" of the support pipeline). ``reopened_count`` and ``csat_score`` on tickets
are *custom* properties of this client's portal, as a real portal would define them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from cxsuite.sandbox.ids import hubspot_id
from cxsuite.sandbox.world import SEGMENTS, Activity, Company, Contact, Deal, Feedback, Record, Ticket, World

DEAL_STAGE_IDS = {
    "qualification": "appointmentscheduled",
    "discovery": "qualifiedtobuy",
    "proposal": "presentationscheduled",
    "negotiation": "contractsent",
    "won": "closedwon",
    "lost": "closedlost",
}
TICKET_STAGE_IDS = {"new": "1", "waiting_on_contact": "2", "waiting_on_us": "3", "closed": "4"}
_SOURCE = {"email": "EMAIL", "chat": "CHAT", "phone": "PHONE", "web": "FORM"}
# Which world kind and which activity types each HubSpot object type shows.
OBJECT_TYPES: dict[str, tuple[str, tuple[str, ...]]] = {
    "contacts": ("contacts", ()),
    "companies": ("companies", ()),
    "deals": ("deals", ()),
    "tickets": ("tickets", ()),
    "calls": ("activities", ("call",)),
    "emails": ("activities", ("email",)),
    "meetings": ("activities", ("meeting", "event")),
    "tasks": ("activities", ("task",)),
    "feedback_submissions": ("feedback", ()),
}
DATE_PROPERTIES = frozenset(
    {
        "createdate",
        "lastmodifieddate",
        "hs_lastmodifieddate",
        "closedate",
        "hs_timestamp",
        "hs_createdate",
        "closed_date",
        "first_agent_reply_date",
        "hs_submission_timestamp",
        "hs_meeting_start_time",
        "hs_meeting_end_time",
        "hubspot_owner_assigneddate",
        "hs_date_exited_customer",
        "hs_date_entered_other",
        "hs_lifecyclestage_customer_date",
    }
)
OWNER_BASE = 61_200_000
# Where a workflow, a sequence or the auto-reply sent an engagement (``hs_engagement_source``).
AUTOMATED_SOURCE = {"email": "AUTOMATION_PLATFORM", "sequence": "SEQUENCES"}
# HubSpot's standard object type ids, which the lists API names objects by.
OBJECT_TYPE_IDS = {"contacts": "0-1", "companies": "0-2", "deals": "0-3", "tickets": "0-5"}


def owner_id(seq: int | None) -> str | None:
    """A HubSpot owner id (``hubspot_owner_id``) for the world's owner ``seq``."""
    return None if seq is None else str(OWNER_BASE + seq * 13)


def list_id(segment: str) -> str:
    """The ILS list id of one of the world's segments."""
    return str(SEGMENTS.index(segment) + 11)


def iso(moment: datetime | None) -> str | None:
    """HubSpot's datetime text: UTC, milliseconds, ``Z``."""
    return (
        None
        if moment is None
        else moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"
    )


def modified_property(object_type: str) -> str:
    """The change-cursor property: ``lastmodifieddate`` for contacts, ``hs_lastmodifieddate`` otherwise."""
    return "lastmodifieddate" if object_type == "contacts" else "hs_lastmodifieddate"


def records(world: World, object_type: str) -> list[Record]:
    """The world's records of one HubSpot object type, in id order."""
    kind, activity_types = OBJECT_TYPES[object_type]
    rows = world.records(kind)
    if activity_types:
        rows = [r for r in rows if isinstance(r, Activity) and r.type in activity_types]
    return sorted(rows, key=lambda r: int(hubspot_id(object_type, r.seq)))


def listing(world: World, object_type: str, archived: bool, fresh: bool) -> list[Record]:
    """The archived or the live records of an object type in id order, kept between the pages
    of a listing (``World.view``; ``fresh`` on its first page)."""
    kind = OBJECT_TYPES[object_type][0]
    return world.view(
        ("hubspot", object_type, archived),
        kind,
        lambda: [r for r in records(world, object_type) if (r.deleted_at is not None) == archived],
        fresh,
    )


def properties(world: World, object_type: str, record: Record) -> dict[str, str | None]:
    """Every property of ``record`` as HubSpot strings."""
    specific = _RENDER[object_type](world, record)
    common = {
        "hs_object_id": hubspot_id(object_type, record.seq),
        "createdate"
        if object_type in ("contacts", "companies", "deals", "tickets")
        else "hs_createdate": iso(record.created_at),
        modified_property(object_type): iso(record.updated_at),
    }
    return {**specific, **common}


def _contact(world: World, c: Contact) -> dict[str, str | None]:
    company = world.companies[c.company_seq] if c.company_seq is not None else None
    return {
        "firstname": c.first_name,
        "lastname": c.last_name,
        "email": c.email,
        "phone": c.phone,
        "jobtitle": c.job_title or None,
        "lifecyclestage": "other" if c.churned_at else c.lifecycle_stage,
        "hs_lifecyclestage_customer_date": iso(c.created_at)
        if c.lifecycle_stage in ("customer", "evangelist") else None,
        "hs_date_exited_customer": iso(c.churned_at),
        "hs_date_entered_other": iso(c.churned_at),
        "hubspot_owner_id": owner_id(c.owner_seq),
        "company": company.name if company else None,
        "associatedcompanyid": hubspot_id("companies", company.seq) if company else None,
    }


def _company(_: World, c: Company) -> dict[str, str | None]:
    return {
        "name": c.name,
        "domain": c.domain,
        "industry": c.industry,
        "numberofemployees": str(c.employees),
        "city": c.city,
        "country": c.country,
    }


def _deal(_: World, d: Deal) -> dict[str, str | None]:
    props = {
        "dealname": d.name,
        "amount": f"{d.amount:.2f}",
        "pipeline": "default",
        "dealstage": DEAL_STAGE_IDS[d.stage],
        "closedate": iso(datetime.combine(d.close_date, d.created_at.timetz())),
        "hs_is_closed": str(d.closed_at is not None).lower(),
        "hs_is_closed_won": str(d.stage == "won").lower(),
        "hubspot_owner_id": owner_id(d.owner_seq),
    }
    for change in d.history:
        props[f"hs_date_entered_{DEAL_STAGE_IDS[change.stage]}"] = iso(change.at)
    return props


def _ticket(_: World, t: Ticket) -> dict[str, str | None]:
    return {
        "subject": t.subject,
        "content": f"Customer wrote about: {t.subject.lower()}",
        "hs_pipeline": "0",
        "hs_pipeline_stage": TICKET_STAGE_IDS[t.status],
        "hs_ticket_priority": t.priority.upper(),
        "source_type": _SOURCE[t.channel],
        "first_agent_reply_date": iso(t.first_response_at),
        "hs_time_to_first_agent_reply": None if t.first_response_at is None
        else str(int((t.first_response_at - t.created_at).total_seconds() * 1000)),
        "hubspot_owner_id": owner_id(t.owner_seq),
        "hubspot_owner_assigneddate": iso(t.assigned_at),
        "closed_date": iso(t.resolved_at),
        "reopened_count": str(t.reopened),
        "csat_score": None if t.satisfaction is None else str(t.satisfaction),
    }


def _activity(_: World, a: Activity) -> dict[str, str | None]:
    common = {"hubspot_owner_id": owner_id(a.owner_seq), "hs_engagement_source": _source(a)}
    return {**common, **_activity_specific(a)}


def _source(a: Activity) -> str:
    """``hs_engagement_source``: who created the engagement (a person in the CRM, or automation)."""
    if not a.automated:
        return "CRM_UI"
    return AUTOMATED_SOURCE["email"] if a.owner_seq is None else AUTOMATED_SOURCE["sequence"]


def _activity_specific(a: Activity) -> dict[str, str | None]:
    at = iso(a.occurred_at)
    if a.type == "call":
        return {
            "hs_timestamp": at,
            "hs_call_title": a.subject,
            "hs_call_direction": a.direction.upper(),
            "hs_call_duration": str(a.duration_s * 1000),
            "hs_call_status": "COMPLETED" if a.completed else "NO_ANSWER",
        }
    if a.type == "email":
        return {
            "hs_timestamp": at,
            "hs_email_subject": a.subject,
            "hs_email_status": "SENT",
            "hs_email_direction": "INCOMING_EMAIL" if a.direction == "inbound" else "EMAIL",
        }
    if a.type == "task":
        return {
            "hs_timestamp": at,
            "hs_task_subject": a.subject,
            "hs_task_type": "TODO",
            "hs_task_status": "COMPLETED" if a.completed else "NOT_STARTED",
        }
    end = a.occurred_at.timestamp() + a.duration_s
    return {
        "hs_timestamp": at,
        "hs_meeting_title": a.subject,
        "hs_meeting_start_time": at,
        "hs_meeting_end_time": iso(datetime.fromtimestamp(end, a.occurred_at.tzinfo)),
        "hs_meeting_outcome": "COMPLETED" if a.completed else "SCHEDULED",
    }


def _feedback(_: World, f: Feedback) -> dict[str, str | None]:
    group = None
    if f.metric == "NPS":
        group = "PROMOTER" if f.score >= 9 else ("PASSIVE" if f.score >= 7 else "DETRACTOR")
    high = {"NPS": 9, "CSAT": 4, "CES": 6}[f.metric]
    low = {"NPS": 6, "CSAT": 2, "CES": 3}[f.metric]
    sentiment = "Positive" if f.score >= high else ("Negative" if f.score <= low else "Neutral")
    return {
        "hs_survey_type": f.metric,
        "hs_value": str(f.score),
        "hs_response_group": group,
        "hs_sentiment": sentiment,
        "hs_content": f.comment,
        "hs_survey_name": f"{f.touchpoint.replace('_', ' ').capitalize()} {f.metric} survey",
        "hs_survey_channel": "EMAIL" if f.ticket_seq is not None else "WEB",
        "hs_submission_timestamp": iso(f.created_at),
    }


_RENDER: dict[str, Callable[[World, Any], dict[str, str | None]]] = {
    "contacts": _contact,
    "companies": _company,
    "deals": _deal,
    "tickets": _ticket,
    "calls": _activity,
    "emails": _activity,
    "meetings": _activity,
    "tasks": _activity,
    "feedback_submissions": _feedback,
}

DEFAULT_PROPERTIES = {
    "contacts": ("firstname", "lastname", "email"),
    "companies": ("name", "domain"),
    "deals": ("dealname", "amount", "dealstage", "pipeline", "closedate"),
    "tickets": ("subject", "content", "hs_pipeline", "hs_pipeline_stage", "hs_ticket_priority"),
    "calls": ("hs_timestamp",),
    "emails": ("hs_timestamp",),
    "meetings": ("hs_timestamp",),
    "tasks": ("hs_timestamp",),
    "feedback_submissions": ("hs_survey_type", "hs_value"),
}


def associations(world: World, object_type: str, record: Record, wanted: list[str]) -> dict[str, Any]:
    """``associations`` of a v3 object for the requested types (contacts, companies, tickets)."""
    links: dict[str, list[str]] = {}
    contact = getattr(record, "contact_seq", None)
    company = getattr(record, "company_seq", None)
    ticket = getattr(record, "ticket_seq", None)
    if contact is not None and object_type != "contacts":
        links["contacts"] = [hubspot_id("contacts", contact)]
    if company is not None and object_type != "companies":
        links["companies"] = [hubspot_id("companies", company)]
    if ticket is not None:
        links["tickets"] = [hubspot_id("tickets", ticket)]
    return {
        name: {"results": [{"id": i, "type": f"{object_type[:-1]}_to_{name[:-1]}"} for i in links[name]]}
        for name in wanted
        if name in links
    }


def owner_history(record: Record) -> list[dict[str, str | None]]:
    """``propertiesWithHistory.hubspot_owner_id`` of a ticket, newest first: who set the owner
    (a workflow's routing, or a person in the CRM)."""
    if not isinstance(record, Ticket) or record.owner_seq is None or record.assigned_at is None:
        return []
    source = "AUTOMATION_PLATFORM" if record.auto_assigned else "CRM_UI"
    source_id = "enrollmentId:4242" if record.auto_assigned else "userId:5120811"
    return [{"value": owner_id(record.owner_seq), "timestamp": iso(record.assigned_at), "sourceType": source,
             "sourceId": source_id}]


def stage_history(record: Record) -> list[dict[str, str | None]]:
    """``propertiesWithHistory.dealstage``: newest first, as HubSpot lists versions."""
    if not isinstance(record, Deal):
        return []
    return [
        {
            "value": DEAL_STAGE_IDS[c.stage],
            "timestamp": iso(c.at),
            "sourceType": "CRM_UI",
            "sourceId": "userId:5120811",
        }
        for c in reversed(record.history)
    ]


def pipelines(object_type: str, created: datetime) -> list[dict[str, Any]]:
    """The default deal pipeline or the support ticket pipeline, with stage metadata."""
    if object_type == "deals":
        stages = [
            (
                sid,
                key.title(),
                {"isClosed": str(key in ("won", "lost")).lower(), "probability": _PROBABILITY[key]},
            )
            for key, sid in DEAL_STAGE_IDS.items()
        ]
        pid, label = "default", "Sales Pipeline"
    else:
        stages = [
            (sid, key.replace("_", " ").title(), {"ticketState": "CLOSED" if key == "closed" else "OPEN"})
            for key, sid in TICKET_STAGE_IDS.items()
        ]
        pid, label = "0", "Support Pipeline"
    stamp = iso(created)
    return [
        {
            "id": pid,
            "label": label,
            "displayOrder": 0,
            "archived": False,
            "createdAt": stamp,
            "updatedAt": stamp,
            "stages": [
                {
                    "id": sid,
                    "label": lbl,
                    "displayOrder": n,
                    "metadata": meta,
                    "archived": False,
                    "createdAt": stamp,
                    "updatedAt": stamp,
                }
                for n, (sid, lbl, meta) in enumerate(stages)
            ],
        }
    ]


_PROBABILITY = {
    "qualification": "0.2",
    "discovery": "0.4",
    "proposal": "0.6",
    "negotiation": "0.9",
    "won": "1.0",
    "lost": "0.0",
}
