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
from cxsuite.sandbox.world import QUESTIONS, Activity, Company, Contact, Deal, Feedback, Ticket, World

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
    }


def _task(_: World, a: Activity) -> dict[str, Any]:
    subtype = {"call": "Call", "email": "Email"}.get(a.type, "Task")
    return {
        "Subject": a.subject,
        "TaskSubtype": subtype,
        "Type": subtype if subtype != "Task" else "Other",
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
    "Opportunity": ("deals", (), _opportunity),
    "Case": ("tickets", (), _case),
    "Task": ("activities", ("call", "email", "task"), _task),
    "Event": ("activities", ("meeting", "event"), _event),
    "SurveyQuestionResponse": ("feedback", (), _response),
}
DERIVED = ("OpportunityHistory", "SurveyQuestion")


def rows(world: World, sobject: str, opportunity_ids: list[str] | None = None) -> Iterator[dict[str, Any]]:
    """Every row of ``sobject`` (deleted ones with IsDeleted true), in id order; for
    OpportunityHistory, only those of ``opportunity_ids`` when given (an index lookup: the
    connector asks for the history of each page of opportunities, and scanning every deal's
    history for each page made a sync's time grow with the square of the deals)."""
    if sobject == "OpportunityHistory":
        yield from _histories(world, None if opportunity_ids is None else _deals_of(world, opportunity_ids))
        return
    if sobject == "SurveyQuestion":
        yield from _questions(world)
        return
    kind, types, render = SOBJECTS[sobject]
    for record in world.records(kind):
        if types and isinstance(record, Activity) and record.type not in types:
            continue
        yield {
            **_system(sobject, record.seq, record.created_at, record.updated_at, record.deleted_at),
            **render(world, record),
        }


def _deals_of(world: World, opportunity_ids: list[str]) -> list[Deal]:
    """The deals behind these Opportunity ids, by sequence number (the generator numbers deals
    by their position; a deal found elsewhere falls back to one dictionary over all deals)."""
    deals, by_seq = world.deals, None
    found = []
    for seq in {s for i in opportunity_ids if (s := salesforce_seq(str(i))) is not None}:
        if 0 <= seq < len(deals) and deals[seq].seq == seq:
            found.append(deals[seq])
            continue
        by_seq = by_seq if by_seq is not None else {d.seq: d for d in deals}
        if seq in by_seq:
            found.append(by_seq[seq])
    return sorted(found, key=lambda d: d.seq)


def _histories(world: World, deals: list[Deal] | None = None) -> Iterator[dict[str, Any]]:
    for deal in world.deals if deals is None else deals:
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


def fields_of(world: World, sobject: str) -> list[str]:
    """Field names of ``sobject`` (from a rendered sample row)."""
    sample = next(rows(world, sobject), None)
    return list(sample) if sample else ["Id"]
