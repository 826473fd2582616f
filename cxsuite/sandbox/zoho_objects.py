"""The world as Zoho CRM v8 modules: Leads, Contacts, Accounts, Deals, Cases, Tasks, Events, Calls.

Field API names follow Zoho's standard modules (``Modified_Time``, ``Account_Name`` lookups as
``{"name", "id"}``, ``Owner`` as ``{"name", "id", "email"}``, ``Tag`` as a list of
``{"name", "id"}``, ``Stage`` picklist values of the standard pipeline, ``Lead_Status``).
Converted leads leave the Leads module, as in Zoho. This org keeps what Zoho has no standard
field for in custom fields: ``Lifecycle_Stage`` and ``Churn_Date`` on Contacts,
``First_Response_Time``, ``Resolved_Time`` and ``Customer_Satisfaction`` (1–5) on Cases. The
deal stage history is the ``Stage_History`` related list (:func:`stage_history`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from cxsuite.sandbox.ids import zoho_id
from cxsuite.sandbox.world import SEGMENTS, Activity, Company, Contact, Deal, Lead, Record, Ticket, World

OWNER = {"name": "Rasa Petrauskaite", "id": zoho_id("Users", 1), "email": "rasa@northwind-outfitters.example"}
_USER_OFFSET = 100
_LEAD_STATUS = {"new": "Not Contacted", "working": "Contacted", "nurturing": "Contact in Future",
                "qualified": "Pre-Qualified", "unqualified": "Not Qualified"}


def owner(world: World, seq: int | None) -> dict[str, str]:
    """The ``Owner`` lookup: the world's owner, or the org's admin when it names nobody."""
    if seq is None:
        return OWNER
    person = world.owners[seq]
    return {"name": f"{person.first_name} {person.last_name}", "id": zoho_id("Users", _USER_OFFSET + seq),
            "email": person.email}


def _tags(names: list[str]) -> list[dict[str, str]]:
    return [{"name": n, "id": zoho_id("Users", 1000 + SEGMENTS.index(n))} for n in names]
_STAGES = {
    "qualification": "Qualification",
    "discovery": "Needs Analysis",
    "proposal": "Proposal/Price Quote",
    "negotiation": "Negotiation/Review",
    "won": "Closed Won",
    "lost": "Closed Lost",
}
_STATUS = {"new": "New", "waiting_on_contact": "On Hold", "waiting_on_us": "Escalated", "closed": "Closed"}


def stamp(moment: datetime | None) -> str | None:
    """Zoho datetime text: second precision with an offset (``2024-05-01T10:00:00+00:00``)."""
    return None if moment is None else moment.strftime("%Y-%m-%dT%H:%M:%S+00:00")


def _lookup(module: str, seq: int | None, name: str) -> dict[str, str] | None:
    return None if seq is None else {"name": name, "id": zoho_id(module, seq)}


def _contact(world: World, c: Contact) -> dict[str, Any]:
    company = world.companies[c.company_seq] if c.company_seq is not None else None
    return {
        "First_Name": c.first_name,
        "Last_Name": c.last_name,
        "Full_Name": f"{c.first_name} {c.last_name}",
        "Email": c.email,
        "Phone": c.phone,
        "Title": c.job_title or None,
        "Account_Name": _lookup("Accounts", c.company_seq, company.name if company else ""),
        "Tag": _tags(c.segments),
        "Lifecycle_Stage": "former_customer" if c.churned_at else c.lifecycle_stage,
        "Churn_Date": c.churned_at.date().isoformat() if c.churned_at else None,
    }


def _lead(_: World, lead: Lead) -> dict[str, Any]:
    return {
        "First_Name": lead.first_name,
        "Last_Name": lead.last_name,
        "Full_Name": f"{lead.first_name} {lead.last_name}",
        "Email": lead.email,
        "Phone": lead.phone,
        "Company": lead.company,
        "Lead_Source": lead.source,
        "Lead_Status": _LEAD_STATUS[lead.status],
        "Tag": [],
    }


def _account(_: World, c: Company) -> dict[str, Any]:
    return {
        "Account_Name": c.name,
        "Website": f"https://{c.domain}",
        "Industry": c.industry.replace("_", " ").title(),
        "Employees": c.employees,
        "Billing_City": c.city,
        "Billing_Country": c.country,
    }


def _person(world: World, seq: int) -> dict[str, str]:
    person = world.contacts[seq]
    return {"name": f"{person.first_name} {person.last_name}", "id": zoho_id("Contacts", seq)}


def _deal(world: World, d: Deal) -> dict[str, Any]:
    company = world.companies[d.company_seq] if d.company_seq is not None else None
    return {
        "Deal_Name": d.name,
        "Stage": _STAGES[d.stage],
        "Amount": d.amount,
        "Closing_Date": d.close_date.isoformat(),
        "Account_Name": _lookup("Accounts", d.company_seq, company.name if company else ""),
        "Contact_Name": _person(world, d.contact_seq),
        "Pipeline": "Standard (Standard)",
    }


def _case(world: World, t: Ticket) -> dict[str, Any]:
    return {
        "Case_Number": str(1000 + t.seq),
        "Subject": t.subject,
        "Status": _STATUS[t.status],
        "Case_Origin": t.channel.title(),
        "Priority": t.priority.title(),
        "Related_To": _person(world, t.contact_seq),
        "Email": world.contacts[t.contact_seq].email,
        "First_Response_Time": stamp(t.first_response_at),
        "Resolved_Time": stamp(t.resolved_at),
        "Customer_Satisfaction": t.satisfaction,
    }


def _task(world: World, a: Activity) -> dict[str, Any]:
    return {
        "Subject": a.subject,
        "Due_Date": a.occurred_at.date().isoformat(),
        "Status": "Completed" if a.completed else "Not Started",
        "Who_Id": _person(world, a.contact_seq),
    }


def _event(world: World, a: Activity) -> dict[str, Any]:
    end = datetime.fromtimestamp(a.occurred_at.timestamp() + a.duration_s, a.occurred_at.tzinfo)
    return {
        "Event_Title": a.subject,
        "Start_DateTime": stamp(a.occurred_at),
        "End_DateTime": stamp(end),
        "Who_Id": _person(world, a.contact_seq),
    }


def _call(world: World, a: Activity) -> dict[str, Any]:
    minutes, seconds = divmod(a.duration_s, 60)
    return {
        "Subject": a.subject,
        "Call_Type": a.direction.title(),
        "Call_Start_Time": stamp(a.occurred_at),
        "Call_Duration": f"{minutes:02d}:{seconds:02d}",
        "Call_Duration_in_seconds": a.duration_s,
        "Call_Result": "Interested" if a.completed else "No Response",
        "Who_Id": _person(world, a.contact_seq),
    }


# Module -> (world kind, activity types shown, renderer)
MODULES: dict[str, tuple[str, tuple[str, ...], Callable[[World, Any], dict[str, Any]]]] = {
    "Leads": ("leads", (), _lead),
    "Contacts": ("contacts", (), _contact),
    "Accounts": ("companies", (), _account),
    "Deals": ("deals", (), _deal),
    "Cases": ("tickets", (), _case),
    "Tasks": ("activities", ("task", "email"), _task),
    "Events": ("activities", ("meeting", "event"), _event),
    "Calls": ("activities", ("call",), _call),
}


def records(world: World, module: str) -> list[Record]:
    """The module's records (deleted ones included), in id order."""
    kind, types, _ = MODULES[module]
    rows = world.records(kind)
    if kind == "leads":  # a converted lead is no longer in the Leads module
        return [r for r in rows if isinstance(r, Lead) and r.converted_contact_seq is None]
    return [r for r in rows if not types or (isinstance(r, Activity) and r.type in types)]


def render(world: World, module: str, record: Record) -> dict[str, Any]:
    """Every field of one record."""
    system = {
        "id": zoho_id(module, record.seq),
        "Owner": owner(world, getattr(record, "owner_seq", None)),
        "Created_Time": stamp(record.created_at),
        "Modified_Time": stamp(record.updated_at),
        "Created_By": OWNER,
        "Modified_By": OWNER,
    }
    return {**system, **MODULES[module][2](world, record)}


def deleted_entry(module: str, record: Record) -> dict[str, Any]:
    """A ``/deleted`` entry: recycle-bin records keep who deleted them and a display name."""
    by = {"name": OWNER["name"], "id": OWNER["id"]}
    return {
        "deleted_by": by,
        "id": zoho_id(module, record.seq),
        "display_name": getattr(record, "subject", None)
        or getattr(record, "name", None)
        or getattr(record, "last_name", None),
        "type": "recycle",
        "created_by": by,
        "deleted_time": stamp(record.deleted_at),
    }


def stage_history(deal: Deal) -> list[dict[str, Any]]:
    """The ``Stage_History`` related list of a deal, newest first as Zoho lists it: one entry
    per stage the deal entered, stamped when it entered (``Last_Modified_Time``)."""
    entries = []
    for n, change in enumerate(deal.history):
        entries.append({
            "id": zoho_id("Stage_History", deal.seq * 16 + n),
            "Stage": _STAGES[change.stage],
            "Amount": deal.amount,
            "Closing_Date": deal.close_date.isoformat(),
            "Last_Modified_Time": stamp(change.at),
            "Modified_By": OWNER,
        })
    return list(reversed(entries))
