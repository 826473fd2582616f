"""Zoho CRM v8 records → canonical records.

Every record keeps the Zoho row as sent as ``raw``. ``updated_at`` is ``Modified_Time`` (the
incremental cursor), lookups (``Account_Name``, ``Who_Id`` …) are ``{"name", "id"}`` objects
whose id becomes the link. A row whose id, times or numbers do not parse raises
:class:`MappingError` and becomes a sync issue; it never turns into a half-filled record.

Entries of the ``/deleted`` list carry only an id, a display name and the deletion time;
they become archived records of the module's kind (the typed fields they cannot fill are
empty, the entry is kept as ``raw``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from cxsuite.connectors import mapping as values
from cxsuite.connectors.mapping import MappingError
from cxsuite.connectors.records import Company, Customer, Deal, Interaction, Record, Ticket

_ID = re.compile(r"^\d{1,30}$")
CASE_CHANNELS = {"email": "email", "phone": "phone", "web": "web", "chat": "chat"}
# What a task, call or meeting is about (``What_Id`` with ``$se_module``) says where in the
# journey the touchpoint happened.
WHAT_STAGES = {"Deals": "purchase", "Quotes": "purchase", "Cases": "usage_service"}
CALL_DIRECTIONS = {"inbound": "inbound", "outbound": "outbound", "missed": "inbound"}


@dataclass(frozen=True)
class Custom:
    """The org's custom fields (API names) for what Zoho CRM has no standard field for:
    a contact's lifecycle stage and churn date, a case's first response, resolution and CSAT."""

    contact_lifecycle: str | None = None
    contact_churn: str | None = None
    case_first_response: str | None = None
    case_resolved: str | None = None
    case_csat: str | None = None


Mapper = Callable[[dict[str, Any], Custom], Record]


def record_id(row: dict[str, Any]) -> str | None:
    """A Zoho record id (a long number sent as a string), or ``None`` when missing or odd."""
    value = str(row.get("id") or "")
    return value if _ID.match(value) else None


def when(row: dict[str, Any], name: str) -> datetime | None:
    """A Zoho datetime (``2024-05-01T10:00:00+05:30``) as aware UTC; empty is ``None``."""
    return values.moment(row.get(name), f"field {name}")


def day(row: dict[str, Any], name: str) -> datetime | None:
    """A Zoho date field (``2024-05-01``) as midnight UTC."""
    return values.day(row.get(name), f"field {name}")


def number(row: dict[str, Any], name: str) -> float | None:
    """A numeric field; empty is ``None``."""
    return values.number(row.get(name), f"field {name}")


def lookup(row: dict[str, Any], name: str) -> str | None:
    """The id a lookup field points at."""
    value = row.get(name)
    return record_id(value) if isinstance(value, dict) else None


def _text(row: dict[str, Any], name: str) -> str | None:
    value = row.get(name)
    return str(value) if value not in (None, "") else None


def _lower(row: dict[str, Any], name: str) -> str | None:
    value = _text(row, name)
    return value.lower() if value else None


def _named(row: dict[str, Any], name: str | None) -> Any:
    return row.get(name) if name else None


def date_or_time(row: dict[str, Any], name: str | None) -> datetime | None:
    """A date field (midnight UTC) or a datetime field, whichever the custom field is."""
    value = _named(row, name)
    if isinstance(value, str) and len(value.strip()) == 10:
        return values.day(value, f"field {name}")
    return values.moment(value, f"field {name}")


def tags(row: dict[str, Any]) -> list[str]:
    """The record's tag names (Zoho's way of putting records in segments), sorted."""
    return sorted({str(t["name"]) for t in row.get("Tag") or [] if isinstance(t, dict) and t.get("name")})


def _common(row: dict[str, Any]) -> dict[str, Any]:
    found = record_id(row)
    if found is None:
        raise MappingError("the row has no Zoho record id")
    return {"external_id": found, "raw": row, "updated_at": when(row, "Modified_Time"),
            "created_at": when(row, "Created_Time")}


def domain_of(website: str | None) -> str | None:
    """``https://www.acme.example/about`` → ``acme.example``."""
    if not website:
        return None
    host = re.sub(r"^[a-z]+://", "", website.strip().lower()).split("/")[0].split(":")[0]
    return host.removeprefix("www.") or None


def _person_name(row: dict[str, Any]) -> str | None:
    return _text(row, "Full_Name") or " ".join(
        part for part in (_text(row, "First_Name"), _text(row, "Last_Name")) if part) or None


def contact(row: dict[str, Any], custom: Custom = Custom()) -> Record:
    """A Contact: a customer of the client company, linked to its Account, with its owner, its
    tags (segments) and, where the org keeps them in the configured fields, its lifecycle
    stage and churn date."""
    stage = _named(row, custom.contact_lifecycle)
    return Customer(**_common(row), name=_person_name(row), email=_text(row, "Email"),
                    phone=_text(row, "Phone") or _text(row, "Mobile"),
                    company_external_id=lookup(row, "Account_Name"), owner_id=lookup(row, "Owner"),
                    lifecycle_stage=str(stage).lower() if stage else None, segments=tags(row),
                    churned_at=date_or_time(row, custom.contact_churn))


def lead_stage(status: str | None) -> str:
    """The lifecycle stage of a lead from its Lead_Status: junk, lost or not qualified leads
    are ``other``, (pre-)qualified ones sales-qualified leads, the rest leads."""
    text = (status or "").lower()
    if any(word in text for word in ("junk", "lost", "not qualified")):
        return "other"
    if "qualified" in text:
        return "salesqualifiedlead"
    return "lead"


def lead(row: dict[str, Any], _: Custom = Custom()) -> Record:
    """A Lead: a prospect (Zoho moves a converted lead out of the module, to Contacts)."""
    return Customer(**_common(row), name=_person_name(row), email=_text(row, "Email"),
                    phone=_text(row, "Phone") or _text(row, "Mobile"), owner_id=lookup(row, "Owner"),
                    lifecycle_stage=lead_stage(_text(row, "Lead_Status")), segments=tags(row))


def account(row: dict[str, Any], _: Custom = Custom()) -> Record:
    """An Account: an organisation; the domain comes from its Website."""
    return Company(**_common(row), name=_text(row, "Account_Name"), domain=domain_of(_text(row, "Website")),
                   industry=_text(row, "Industry"))


def deal_outcome(stage: str | None) -> bool | None:
    """Won, lost or open from the stage name: Zoho's closed stages all start ``Closed Won`` or
    ``Closed Lost`` (``Closed-Lost to Competition`` included)."""
    text = (stage or "").lower().replace("-", " ")
    if text.startswith("closed won"):
        return True
    if text.startswith("closed lost"):
        return False
    return None


def stage_history(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``Stage_History`` related-list entries as ``{"stage", "at"}``, oldest first, each stage
    once per entry into it (an entry repeating the stage before it is an amount change)."""
    dated = []
    for entry in entries:
        at = values.moment(entry.get("Last_Modified_Time") or entry.get("Modified_Time"),
                           "Stage_History Last_Modified_Time")
        if at is not None and entry.get("Stage"):
            dated.append((at, str(entry["Stage"])))
    history: list[dict[str, Any]] = []
    for at, stage in sorted(dated, key=lambda pair: pair[0]):
        if not history or history[-1]["stage"] != stage:
            history.append({"stage": stage, "at": at.isoformat()})
    return history


def deal(row: dict[str, Any], _: Custom = Custom()) -> Record:
    """A Deal; its Closing_Date is the close date once the stage is closed. ``Stage_History``
    is the related list the connector reads for each deal (see :func:`stage_history`)."""
    won = deal_outcome(_text(row, "Stage"))
    return Deal(**_common(row), name=_text(row, "Deal_Name"), pipeline=_text(row, "Pipeline"),
                stage=_text(row, "Stage"), amount=number(row, "Amount"), currency=_text(row, "Currency"),
                closed_at=day(row, "Closing_Date") if won is not None else None, won=won,
                customer_external_id=lookup(row, "Contact_Name"),
                company_external_id=lookup(row, "Account_Name"), owner_id=lookup(row, "Owner"),
                stage_history=stage_history(row.get("Stage_History") or []))


def case(row: dict[str, Any], custom: Custom = Custom()) -> Record:
    """A Case; the channel is its Case_Origin, the customer its contact (``Related_To``), the
    assignee its Owner. Zoho CRM has no standard first-response, resolution or CSAT field on
    cases; the org's custom ones are read when configured (CSAT on 1–5)."""
    origin = _lower(row, "Case_Origin")
    csat = values.number(_named(row, custom.case_csat), f"field {custom.case_csat}")
    if csat is not None and not 1 <= csat <= 5:
        raise MappingError(f"{custom.case_csat} {csat} is outside 1-5")
    return Ticket(**_common(row), subject=_text(row, "Subject"),
                  channel=CASE_CHANNELS.get(origin or "", origin), status=_lower(row, "Status"),
                  priority=_lower(row, "Priority"), customer_external_id=lookup(row, "Related_To"),
                  owner_id=lookup(row, "Owner"),
                  first_response_at=date_or_time(row, custom.case_first_response),
                  resolved_at=date_or_time(row, custom.case_resolved),
                  satisfaction=csat, satisfaction_scale=5 if csat is not None else None)


def _touchpoint(row: dict[str, Any]) -> dict[str, Any]:
    common = _common(row)
    del common["created_at"]  # an Interaction's time is when it happened
    return {**common, "customer_external_id": lookup(row, "Who_Id"), "owner_id": lookup(row, "Owner"),
            "journey_stage": WHAT_STAGES.get(str(row.get("$se_module") or ""))}


def task(row: dict[str, Any], _: Custom = Custom()) -> Record:
    """A Task: a to-do with a contact, at the time it was closed (else its due date)."""
    return Interaction(**_touchpoint(row), type="task",
                       occurred_at=when(row, "Closed_Time") or day(row, "Due_Date"))


def event(row: dict[str, Any], _: Custom = Custom()) -> Record:
    """An Event: a meeting with a contact."""
    return Interaction(**_touchpoint(row), type="meeting", channel="meeting",
                       occurred_at=when(row, "Start_DateTime"))


def call(row: dict[str, Any], _: Custom = Custom()) -> Record:
    """A Call: a phone touchpoint; a missed call was an inbound one."""
    return Interaction(**_touchpoint(row), type="call", channel="phone",
                       direction=CALL_DIRECTIONS.get(_lower(row, "Call_Type") or ""),
                       occurred_at=when(row, "Call_Start_Time"))


def deleted(kind: str, interaction_type: str) -> Mapper:
    """A mapper for ``/deleted`` entries of a module whose records are of ``kind``."""

    def to_record(entry: dict[str, Any], _: Custom = Custom()) -> Record:
        found = record_id(entry)
        if found is None:
            raise MappingError("the deleted entry has no Zoho record id")
        common = {"external_id": found, "archived": True, "raw": entry,
                  "updated_at": when(entry, "deleted_time")}
        name = _text(entry, "display_name")
        if kind == "customer":
            return Customer(**common, name=name)
        if kind == "company":
            return Company(**common, name=name)
        if kind == "deal":
            return Deal(**common, name=name)
        if kind == "ticket":
            return Ticket(**common, subject=name)
        return Interaction(**common, type=interaction_type)

    return to_record
