"""Salesforce sObject rows → canonical records.

Every record keeps the row as Salesforce sent it (``attributes`` included) as ``raw``; deleted
rows (``IsDeleted``, read through ``queryAll``) become ``archived`` records. A row whose Id,
dates or numbers do not parse raises :class:`MappingError` and becomes a sync issue; it never
turns into a half-filled record.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from cxsuite.connectors import mapping as values
from cxsuite.connectors.mapping import MappingError
from cxsuite.connectors.records import Company, Customer, Deal, Feedback, Interaction, Record, Ticket
from cxsuite_salesforce.cursor import parse_stamp, record_id

ORIGIN_CHANNELS = {"email": "email", "phone": "phone", "web": "web", "chat": "chat"}
# Key prefixes say what a polymorphic WhoId/WhatId/OwnerId points at.
CONTACT, CASE, OPPORTUNITY, USER = "003", "500", "006", "005"
# Task subtypes an automation creates: a list email (mass email, auto-reply) or a cadence step.
AUTOMATED_SUBTYPES = frozenset({"listemail", "cadence"})
# CaseHistory ``Field`` values of an owner change; ``ownerAssignment`` is an assignment rule's.
OWNER_FIELDS = ("ownerAssignment", "ownerAccepted", "Owner")
RULE_ASSIGNMENT = "ownerAssignment"
WHAT_STAGES = {CASE: "usage_service", OPPORTUNITY: "purchase"}
# Survey metrics by question: Salesforce's NPS question type, or the metric named in the
# question's developer name (``csat_question``, ``Support_CES``).
SCALES = {"nps": (0, 10), "csat": (1, 5), "ces": (1, 7)}


@dataclass(frozen=True)
class Context:
    """What a row's mapping needs beyond the row: the Case and Contact custom fields the org
    uses, ``history`` (OpportunityHistory rows of opportunities, CaseHistory owner changes of
    cases, by record id), the metric of each survey question, and the campaign names
    (``segments``) of contacts and leads."""

    case_first_response: str | None = None
    case_reopened: str | None = None
    case_csat: str | None = None
    history: dict[str, list[dict[str, Any]]] | None = None
    questions: dict[str, tuple[str, str]] | None = None
    contact_lifecycle: str | None = None
    contact_churn: str | None = None
    campaigns: dict[str, str] | None = None
    segments: dict[str, list[str]] | None = None


Mapper = Callable[[dict[str, Any], Context], Record]


def when(row: dict[str, Any], name: str | None) -> datetime | None:
    """A datetime field as aware UTC; empty is ``None``."""
    return values.moment(row.get(name) if name else None, f"field {name}", parse_stamp)


def day(row: dict[str, Any], name: str) -> datetime | None:
    """A date field as midnight UTC."""
    return values.day(row.get(name), f"field {name}")


def number(row: dict[str, Any], name: str | None) -> float | None:
    """A numeric field; empty is ``None``."""
    return values.number(row.get(name) if name else None, f"field {name}")


def _common(row: dict[str, Any]) -> dict[str, Any]:
    """Id (or the one ``attributes.url`` ends with), deletion and change time of any row."""
    found = record_id(row)
    if found is None:
        raise MappingError("the row has no Id (neither an Id field nor one in attributes.url)")
    return {"external_id": found, "archived": bool(row.get("IsDeleted")), "raw": row,
            "updated_at": when(row, "SystemModstamp")}


def _linked(value: Any, prefix: str) -> str | None:
    """A polymorphic reference when it points at the given object type."""
    return str(value) if value and str(value).startswith(prefix) else None


def _lower(value: Any) -> str | None:
    return str(value).lower() if value else None


def owner(row: dict[str, Any]) -> str | None:
    """The owning User; a record a queue owns (``00G``) has no owner yet."""
    return _linked(row.get("OwnerId"), USER)


def date_or_time(row: dict[str, Any], name: str | None) -> datetime | None:
    """A Date field (midnight UTC) or a DateTime field, whichever the org made it."""
    value = row.get(name) if name else None
    if isinstance(value, str) and len(value.strip()) == 10:
        return values.day(value, f"field {name}")
    return when(row, name)


def _segments(row: dict[str, Any], context: Context) -> list[str]:
    return sorted(set((context.segments or {}).get(str(record_id(row)), [])))


def contact(row: dict[str, Any], context: Context) -> Record:
    """A Contact: a customer of the client company, with its owner, its campaigns (segments)
    and, where the org keeps them in the configured fields, its lifecycle stage and churn date."""
    stage = row.get(context.contact_lifecycle) if context.contact_lifecycle else None
    return Customer(**_common(row), email=row.get("Email") or None, phone=row.get("Phone") or None,
                    name=row.get("Name") or None, company_external_id=row.get("AccountId") or None,
                    lifecycle_stage=_lower(stage), owner_id=owner(row), segments=_segments(row, context),
                    churned_at=date_or_time(row, context.contact_churn),
                    created_at=when(row, "CreatedDate"))


def lead_stage(status: Any) -> str:
    """The lifecycle stage of an unconverted lead from its Lead Status: a closed, not converted
    lead is ``other``; a qualified one a sales-qualified lead; the rest are leads."""
    text = str(status or "").lower()
    if text.startswith("closed") or "unqualified" in text or "not qualified" in text:
        return "other"
    if "qualified" in text:
        return "salesqualifiedlead"
    return "lead"


def lead(row: dict[str, Any], context: Context) -> Record:
    """A Lead: a prospect, with lifecycle stage ``lead`` (see :func:`lead_stage`). A converted
    lead lives on as the Contact it became (``ConvertedContactId``), so it is stored archived
    and the person counts once."""
    common = _common(row)
    converted = bool(row.get("IsConverted"))
    return Customer(**{**common, "archived": common["archived"] or converted},
                    email=row.get("Email") or None, phone=row.get("Phone") or None,
                    name=row.get("Name") or None,
                    lifecycle_stage="lead" if converted else lead_stage(row.get("Status")),
                    owner_id=owner(row), segments=_segments(row, context),
                    created_at=when(row, "CreatedDate"))


def account(row: dict[str, Any], _: Context) -> Record:
    """An Account: an organisation; the domain comes from its Website."""
    return Company(**_common(row), name=row.get("Name"), domain=domain_of(row.get("Website")),
                   industry=row.get("Industry"), created_at=when(row, "CreatedDate"))


def domain_of(website: Any) -> str | None:
    """``https://www.acme.example/about`` → ``acme.example``."""
    if not website:
        return None
    host = re.sub(r"^[a-z]+://", "", str(website).strip().lower()).split("/")[0].split(":")[0]
    return host.removeprefix("www.") or None


def opportunity(row: dict[str, Any], context: Context) -> Record:
    """An Opportunity with its stage history (OpportunityHistory rows, oldest first)."""
    closed = bool(row.get("IsClosed"))
    history: list[dict[str, Any]] = []
    for change in (context.history or {}).get(str(row.get("Id")), []):
        at = when(change, "CreatedDate")
        if at is not None and change.get("StageName") and (
                not history or history[-1]["stage"] != change["StageName"]):
            history.append({"stage": change["StageName"], "at": at.isoformat()})
    return Deal(**_common(row), name=row.get("Name"), stage=row.get("StageName"),
                amount=number(row, "Amount"), created_at=when(row, "CreatedDate"),
                closed_at=day(row, "CloseDate") if closed else None,
                won=bool(row.get("IsWon")) if closed else None,
                customer_external_id=_linked(row.get("ContactId"), CONTACT),
                company_external_id=row.get("AccountId") or None, stage_history=history, owner_id=owner(row))


def assignment(row: dict[str, Any], context: Context) -> tuple[datetime | None, bool | None]:
    """When the case got its owner and whether an assignment rule gave it: the first owner
    change in CaseHistory (``ownerAssignment`` is a rule's); a case owned by a User with no such
    change had its owner from creation (who set it is unknown)."""
    rows = (context.history or {}).get(str(record_id(row)), [])
    changes = [c for c in rows if c.get("Field") in OWNER_FIELDS]
    if changes:
        first = min(changes, key=lambda c: (when(c, "CreatedDate") or datetime.max.replace(tzinfo=UTC)))
        return when(first, "CreatedDate"), first.get("Field") == RULE_ASSIGNMENT
    if owner(row) is not None:
        return when(row, "CreatedDate"), None
    return None, None


def case(row: dict[str, Any], context: Context) -> Record:
    """A Case; first response, reopen count and CSAT come from the org's custom fields, the
    assignment from CaseHistory (:func:`assignment`)."""
    origin = _lower(row.get("Origin"))
    csat = number(row, context.case_csat)
    if csat is not None and not 1 <= csat <= 5:
        raise MappingError(f"{context.case_csat} {csat} is outside 1-5")
    assigned_at, auto = assignment(row, context)
    return Ticket(**_common(row), subject=row.get("Subject"), owner_id=owner(row), assigned_at=assigned_at,
                  auto_assigned=auto,
                  channel=ORIGIN_CHANNELS.get(origin or "", origin), status=_lower(row.get("Status")),
                  priority=_lower(row.get("Priority")), created_at=when(row, "CreatedDate"),
                  first_response_at=when(row, context.case_first_response),
                  resolved_at=when(row, "ClosedDate") if row.get("IsClosed") else None,
                  reopened=(number(row, context.case_reopened) or 0) > 0,
                  satisfaction=csat, satisfaction_scale=5 if csat is not None else None,
                  customer_external_id=_linked(row.get("ContactId"), CONTACT))


def task(row: dict[str, Any], _: Context) -> Record:
    """A Task: a call, an email or another to-do, at the stage of what it is about."""
    subtype = str(row.get("TaskSubtype") or "Task").lower()
    kind = "email" if subtype == "listemail" else (subtype if subtype in ("call", "email") else "task")
    call_type = _lower(row.get("CallType"))
    return Interaction(**_common(row), type=kind, channel={"call": "phone", "email": "email"}.get(kind),
                       owner_id=owner(row), automated=subtype in AUTOMATED_SUBTYPES,
                       journey_stage=WHAT_STAGES.get(str(row.get("WhatId") or "")[:3]),
                       direction=call_type if call_type in ("inbound", "outbound") else None,
                       occurred_at=when(row, "CompletedDateTime") or day(row, "ActivityDate"),
                       customer_external_id=_linked(row.get("WhoId"), CONTACT))


def event(row: dict[str, Any], _: Context) -> Record:
    """An Event: a meeting (or other calendar event) with a contact."""
    kind = "meeting" if str(row.get("Type") or "").lower() == "meeting" else "event"
    return Interaction(**_common(row), type=kind, channel="meeting", owner_id=owner(row),
                       occurred_at=when(row, "StartDateTime") or when(row, "ActivityDateTime"),
                       customer_external_id=_linked(row.get("WhoId"), CONTACT))


def question_metric(question: dict[str, Any]) -> str | None:
    """``nps``, ``csat`` or ``ces`` for a SurveyQuestion row; ``None`` for other questions."""
    if str(question.get("QuestionType") or "").lower() == "nps":
        return "nps"
    words = set(re.split(r"[^a-z]+", str(question.get("DeveloperName") or "").lower()))
    return next((metric for metric in ("csat", "ces", "nps") if metric in words), None)


def survey_response(row: dict[str, Any], context: Context) -> Record:
    """A SurveyQuestionResponse: one score, with its question's metric, scale and wording."""
    question_id = str(row.get("QuestionId") or "")
    metric, wording = (context.questions or {}).get(question_id, (None, None))
    if metric is None:
        raise MappingError(f"question {question_id or 'missing'} is not an NPS, CSAT or CES question")
    score = number(row, "NumberValue")
    if score is None:
        raise MappingError("NumberValue is missing")
    low, high = SCALES[metric]
    if not low <= score <= high:
        raise MappingError(f"{metric.upper()} score {score} is outside {low}-{high}")
    return Feedback(**_common(row), metric=metric, score=score, scale_min=low, scale_max=high,
                    question=wording, submitted_at=when(row, "CreatedDate"))


def deleted(kind: str, interaction_type: str = "task") -> Callable[[dict[str, Any]], Record]:
    """A mapper for getDeleted entries (``{"id", "deletedDate"}``) of a stream of ``kind``: an
    archived record with only its id. It is stamped a millisecond before the deletion, so a
    row queryAll already delivered as deleted (stamped at the deletion, fields and all) is kept,
    while a row the recycle bin no longer holds is still marked archived."""

    def to_record(entry: dict[str, Any]) -> Record:
        found = str(entry.get("id") or "")
        if record_id({"Id": found}) is None:
            raise MappingError("the deleted entry has no Salesforce id")
        at = when(entry, "deletedDate")
        common = {"external_id": found, "archived": True, "raw": entry,
                  "updated_at": at - timedelta(milliseconds=1) if at else None}
        types: dict[str, Callable[..., Record]] = {"customer": Customer, "company": Company, "deal": Deal,
                                                   "ticket": Ticket}
        if kind in types:
            return types[kind](**common)
        return Interaction(**common, type=interaction_type)

    return to_record


def error_id(row: dict[str, Any]) -> str:
    """The id a rejected row is reported under."""
    return record_id(row) or "unknown"
