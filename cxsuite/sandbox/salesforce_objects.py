"""The world as Salesforce sObjects: standard fields, ids with key prefixes, IsDeleted rows.

Standard objects: Account, Contact, Opportunity, OpportunityHistory, Case, Task, Event, and
the Feedback Management objects SurveyQuestion and SurveyQuestionResponse (documented in the
Object Reference; NumberValue carries the NPS/CSAT/CES score). Case first-response time,
reopen count and CSAT have no standard fields, so this org has the custom fields
``First_Response_Time__c``, ``Reopened_Count__c`` and ``CSAT__c``, as real service orgs add.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

from cxsuite.sandbox.ids import salesforce_id, salesforce_seq
from cxsuite.sandbox.world import (
    QUESTIONS,
    SEGMENTS,
    Activity,
    Company,
    Contact,
    Deal,
    Feedback,
    Lead,
    Ticket,
    World,
)

API_VERSION = "62.0"
STAGE_NAMES = {
    "qualification": "Qualification",
    "discovery": "Needs Analysis",
    "proposal": "Proposal/Price Quote",
    "negotiation": "Negotiation/Review",
    "won": "Closed Won",
    "lost": "Closed Lost",
}
_PROBABILITY = {
    "qualification": 10,
    "discovery": 20,
    "proposal": 75,
    "negotiation": 90,
    "won": 100,
    "lost": 0,
}
_ORIGIN = {"email": "Email", "chat": "Chat", "phone": "Phone", "web": "Web"}
_STATUS = {"new": "New", "waiting_on_contact": "On Hold", "waiting_on_us": "Working", "closed": "Closed"}
_QUESTION_SEQ = {"NPS": 0, "CSAT": 1, "CES": 2}
INTEGRATION_USER = 99
SUPPORT_QUEUE = salesforce_id("Group", 1)
LEAD_QUEUE = salesforce_id("Group", 2)  # web-to-lead lands here until a rep takes the lead
LEAD_STATUS = {"new": "Open - Not Contacted", "working": "Working - Contacted",
               "nurturing": "Working - Contacted", "qualified": "Working - Contacted",
               "unqualified": "Closed - Not Converted"}


def user_id(seq: int | None) -> str:
    """The User who owns a record (the integration user when the world names nobody)."""
    return salesforce_id("User", INTEGRATION_USER if seq is None else seq)


def stamp(moment: datetime | None) -> str | None:
    """Salesforce datetime text: ``2024-05-01T10:00:00.000+0000``."""
    if moment is None:
        return None
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}+0000"


def _system(
    sobject: str, seq: int, created: datetime, updated: datetime, deleted: datetime | None
) -> dict[str, Any]:
    return {
        "Id": salesforce_id(sobject, seq),
        "IsDeleted": deleted is not None,
        "CreatedDate": stamp(created),
        "LastModifiedDate": stamp(updated),
        "SystemModstamp": stamp(updated),
    }


def _account(_: World, c: Company) -> dict[str, Any]:
    return {
        "Name": c.name,
        "Website": f"https://{c.domain}",
        "Industry": c.industry.replace("_", " ").title(),
        "NumberOfEmployees": c.employees,
        "BillingCity": c.city,
        "BillingCountry": c.country,
    }


def _contact(_: World, c: Contact) -> dict[str, Any]:
    return {
        "FirstName": c.first_name,
        "LastName": c.last_name,
        "Name": f"{c.first_name} {c.last_name}",
        "Email": c.email,
        "Phone": c.phone,
        "Title": c.job_title or None,
        "AccountId": salesforce_id("Account", c.company_seq) if c.company_seq is not None else None,
        "OwnerId": user_id(c.owner_seq),
        "Lifecycle_Stage__c": "former_customer" if c.churned_at else c.lifecycle_stage,
        "Churn_Date__c": c.churned_at.date().isoformat() if c.churned_at else None,
    }


def _lead(_: World, lead: Lead) -> dict[str, Any]:
    converted = lead.converted_contact_seq is not None
    return {
        "FirstName": lead.first_name,
        "LastName": lead.last_name,
        "Name": f"{lead.first_name} {lead.last_name}",
        "Email": lead.email,
        "Phone": lead.phone,
        "Company": lead.company,
        "LeadSource": lead.source,
        "Status": "Closed - Converted" if converted else LEAD_STATUS[lead.status],
        "IsConverted": converted,
        "ConvertedContactId": salesforce_id("Contact", lead.converted_contact_seq) if converted else None,
        "ConvertedDate": lead.converted_at.date().isoformat() if lead.converted_at else None,
        "OwnerId": LEAD_QUEUE if lead.owner_seq is None else user_id(lead.owner_seq),
    }


def _opportunity(_: World, d: Deal) -> dict[str, Any]:
    return {
        "Name": d.name,
        "StageName": STAGE_NAMES[d.stage],
        "Amount": d.amount,
        "CloseDate": d.close_date.isoformat(),
        "IsClosed": d.closed_at is not None,
        "IsWon": d.stage == "won",
        "Probability": _PROBABILITY[d.stage],
        "AccountId": salesforce_id("Account", d.company_seq) if d.company_seq is not None else None,
        "ContactId": salesforce_id("Contact", d.contact_seq),
        "OwnerId": user_id(d.owner_seq),
    }


def _case(_: World, t: Ticket) -> dict[str, Any]:
    return {
        "CaseNumber": f"{1000 + t.seq:08d}",
        "Subject": t.subject,
        "Origin": _ORIGIN[t.channel],
        "Status": _STATUS[t.status],
        "Priority": "High" if t.priority in ("high", "urgent") else t.priority.title(),
        "IsClosed": t.resolved_at is not None,
        "ClosedDate": stamp(t.resolved_at),
        "ContactId": salesforce_id("Contact", t.contact_seq),
        "AccountId": salesforce_id("Account", t.company_seq) if t.company_seq is not None else None,
        "First_Response_Time__c": stamp(t.first_response_at),
        "Reopened_Count__c": t.reopened,
        "CSAT__c": t.satisfaction,
        "OwnerId": SUPPORT_QUEUE if t.owner_seq is None else user_id(t.owner_seq),
    }


def _task(_: World, a: Activity) -> dict[str, Any]:
    subtype = {"call": "Call", "email": "Email"}.get(a.type, "Task")
    if a.automated and subtype == "Email":
        subtype = "ListEmail"  # sent by an automation (auto-reply, sequence), not typed by a rep
    return {
        "OwnerId": user_id(a.owner_seq),
        "Subject": a.subject,
        "TaskSubtype": subtype,
        "Type": {"Task": "Other", "ListEmail": "Email"}.get(subtype, subtype),
        "Status": "Completed" if a.completed else "Not Started",
        "ActivityDate": a.occurred_at.date().isoformat(),
        "CompletedDateTime": stamp(a.occurred_at) if a.completed else None,
        "CallType": a.direction.title() if a.type == "call" else None,
        "CallDurationInSeconds": a.duration_s if a.type == "call" else None,
        "WhoId": salesforce_id("Contact", a.contact_seq),
        "WhatId": salesforce_id("Case", a.ticket_seq) if a.ticket_seq is not None else None,
    }


def _event(_: World, a: Activity) -> dict[str, Any]:
    end = datetime.fromtimestamp(a.occurred_at.timestamp() + a.duration_s, a.occurred_at.tzinfo)
    return {
        "Subject": a.subject,
        "Type": "Meeting" if a.type == "meeting" else "Other",
        "StartDateTime": stamp(a.occurred_at),
        "EndDateTime": stamp(end),
        "ActivityDateTime": stamp(a.occurred_at),
        "DurationInMinutes": max(1, a.duration_s // 60),
        "WhoId": salesforce_id("Contact", a.contact_seq),
        "OwnerId": user_id(a.owner_seq),
    }


def _response(_: World, f: Feedback) -> dict[str, Any]:
    return {
        "QuestionId": salesforce_id("SurveyQuestion", _QUESTION_SEQ[f.metric]),
        "Datatype": "Int",
        "NumberValue": f.score,
        "ResponseValue": str(f.score),
    }


_Render = Callable[[World, Any], dict[str, Any]]
# sObject -> (world kind, activity types shown, renderer)
SOBJECTS: dict[str, tuple[str, tuple[str, ...], _Render]] = {
    "Account": ("companies", (), _account),
    "Contact": ("contacts", (), _contact),
    "Lead": ("leads", (), _lead),
    "Opportunity": ("deals", (), _opportunity),
    "Case": ("tickets", (), _case),
    "Task": ("activities", ("call", "email", "task"), _task),
    "Event": ("activities", ("meeting", "event"), _event),
    "SurveyQuestionResponse": ("feedback", (), _response),
}
DERIVED = ("OpportunityHistory", "SurveyQuestion", "CaseHistory", "Campaign", "CampaignMember")


def rows(world: World, sobject: str, lookup: tuple[str, list[str]] | None = None) -> Iterator[dict[str, Any]]:
    """Every row of ``sobject`` (deleted ones with IsDeleted true), in id order; for a child
    sObject looked up by a parent field (``LINKS``), ``lookup`` (the field, the parent ids)
    gives only those parents' rows: an index lookup, as Salesforce answers one. The connector
    asks for the history and memberships of each page of records, and scanning them all for
    each page made a sync's time grow with the square of the records."""
    if sobject in LINKS:
        links = LINKS[sobject]
        if lookup is not None and lookup[0] in links:
            kind, children = links[lookup[0]]
            parents = _parents(world, kind, lookup[1])
        else:
            kind, children = next(iter(links.values()))
            parents = world.records(kind)
        for parent in parents:
            yield from children(parent)
        return
    if sobject in _DERIVED_ROWS:
        yield from _DERIVED_ROWS[sobject](world)
        return
    kind, types, render = SOBJECTS[sobject]
    for record in world.records(kind):
        if record.purged or (types and isinstance(record, Activity) and record.type not in types):
            continue
        yield {
            **_system(sobject, record.seq, record.created_at, record.updated_at, record.deleted_at),
            **render(world, record),
        }


def _parents(world: World, kind: str, ids: list[str]) -> list[Any]:
    """The records of ``kind`` behind these ids, in sequence order (found by position)."""
    seqs = sorted({s for i in ids if (s := salesforce_seq(str(i))) is not None})
    return [r for seq in seqs if (r := world.by_seq(kind, seq)) is not None]


def _deal_history(deal: Deal) -> Iterator[dict[str, Any]]:
    for n, change in enumerate(deal.history):
        row = _system("OpportunityHistory", deal.seq * 16 + n, change.at, change.at, deal.deleted_at)
        del row["LastModifiedDate"]
        yield {
            **row,
            "OpportunityId": salesforce_id("Opportunity", deal.seq),
            "StageName": STAGE_NAMES[change.stage],
            "Amount": deal.amount,
            "CloseDate": deal.close_date.isoformat(),
            "Probability": _PROBABILITY[change.stage],
        }


def _questions(world: World) -> Iterator[dict[str, Any]]:
    created = world.now.replace(year=world.now.year - 3)
    for metric, seq in _QUESTION_SEQ.items():
        yield {
            **_system("SurveyQuestion", seq, created, created, None),
            "Name": QUESTIONS[metric],
            "QuestionType": "Nps" if metric == "NPS" else "Rating",
            "DeveloperName": f"{metric.lower()}_question",
        }


def _case_history(ticket: Ticket) -> Iterator[dict[str, Any]]:
    """Owner changes of a case: a rule's assignment, or an agent accepting it from the queue (a
    case its creator owned from the start has none)."""
    if ticket.owner_seq is None or ticket.assigned_at is None or ticket.assigned_at == ticket.created_at:
        return
    row = _system("CaseHistory", ticket.seq, ticket.assigned_at, ticket.assigned_at, ticket.deleted_at)
    del row["LastModifiedDate"]
    yield {
        **row,
        "CaseId": salesforce_id("Case", ticket.seq),
        "Field": "ownerAssignment" if ticket.auto_assigned else "ownerAccepted",
        "OldValue": SUPPORT_QUEUE,
        "NewValue": user_id(ticket.owner_seq),
    }


def _campaigns(world: World) -> Iterator[dict[str, Any]]:
    created = world.now.replace(year=world.now.year - 2)
    for seq, name in enumerate(SEGMENTS):
        yield {**_system("Campaign", seq, created, created, None), "Name": name, "IsActive": True,
               "Type": "Email" if "subscribers" in name.lower() else "Other"}


def _memberships(contact: Contact) -> Iterator[dict[str, Any]]:
    for name in contact.segments:
        seq = contact.seq * len(SEGMENTS) + SEGMENTS.index(name)
        joined = contact.created_at
        system = _system("CampaignMember", seq, joined, joined, contact.deleted_at)
        yield {**system,
               "CampaignId": salesforce_id("Campaign", SEGMENTS.index(name)),
               "ContactId": salesforce_id("Contact", contact.seq), "LeadId": None, "Status": "Responded"}


_DERIVED_ROWS: dict[str, Callable[[World], Iterator[dict[str, Any]]]] = {
    "SurveyQuestion": _questions,
    "Campaign": _campaigns,
}
# Child sObject -> its parent fields -> (the parent's world kind, a parent's rows); a full scan
# reads the first parent kind's.
LINKS: dict[str, dict[str, tuple[str, Callable[[Any], Iterator[dict[str, Any]]]]]] = {
    "OpportunityHistory": {"OpportunityId": ("deals", _deal_history)},
    "CaseHistory": {"CaseId": ("tickets", _case_history)},
    # The world's leads are in no campaign: their lookups find no rows.
    "CampaignMember": {"ContactId": ("contacts", _memberships), "LeadId": ("leads", lambda _: iter(()))},
}


def deleted(world: World, sobject: str, start: datetime, end: datetime) -> list[dict[str, str]]:
    """getDeleted: records of ``sobject`` deleted in ``[start, end)``, oldest first."""
    if sobject not in SOBJECTS:
        return []
    kind, types, _ = SOBJECTS[sobject]
    gone = [r for r in world.records(kind) if r.deleted_at is not None and start <= r.deleted_at < end
            and not (types and isinstance(r, Activity) and r.type not in types)]
    return [{"id": salesforce_id(sobject, r.seq), "deletedDate": stamp(r.deleted_at)}
            for r in sorted(gone, key=lambda r: r.deleted_at)]


def fields_of(world: World, sobject: str) -> list[str]:
    """Field names of ``sobject`` (from a rendered sample row)."""
    sample = next(rows(world, sobject), None)
    return list(sample) if sample else ["Id"]
