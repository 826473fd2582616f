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
from datetime import datetime
from typing import Any

from cxsuite.connectors import mapping as values
from cxsuite.connectors.mapping import MappingError
from cxsuite.connectors.records import Company, Customer, Deal, Interaction, Record, Ticket

Mapper = Callable[[dict[str, Any]], Record]
_ID = re.compile(r"^\d{1,30}$")
CASE_CHANNELS = {"email": "email", "phone": "phone", "web": "web", "chat": "chat"}
# What a task, call or meeting is about (``What_Id`` with ``$se_module``) says where in the
# journey the touchpoint happened.
WHAT_STAGES = {"Deals": "purchase", "Quotes": "purchase", "Cases": "usage_service"}
CALL_DIRECTIONS = {"inbound": "inbound", "outbound": "outbound", "missed": "inbound"}


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


def contact(row: dict[str, Any]) -> Record:
    """A Contact: a customer of the client company, linked to its Account."""
    name = _text(row, "Full_Name") or " ".join(
        part for part in (_text(row, "First_Name"), _text(row, "Last_Name")) if part) or None
    return Customer(**_common(row), name=name, email=_text(row, "Email"),
                    phone=_text(row, "Phone") or _text(row, "Mobile"),
                    company_external_id=lookup(row, "Account_Name"))


def account(row: dict[str, Any]) -> Record:
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


def deal(row: dict[str, Any]) -> Record:
    """A Deal; its Closing_Date is the close date once the stage is closed. Zoho keeps stage
    history in a related list the records API does not return, so ``stage_history`` is empty."""
    won = deal_outcome(_text(row, "Stage"))
    return Deal(**_common(row), name=_text(row, "Deal_Name"), pipeline=_text(row, "Pipeline"),
                stage=_text(row, "Stage"), amount=number(row, "Amount"), currency=_text(row, "Currency"),
                closed_at=day(row, "Closing_Date") if won is not None else None, won=won,
                customer_external_id=lookup(row, "Contact_Name"),
                company_external_id=lookup(row, "Account_Name"))


def case(row: dict[str, Any]) -> Record:
    """A Case; the channel is its Case_Origin, the customer its contact (``Related_To``). Zoho
    CRM cases carry no first-response or closing time, so those stay empty."""
    origin = _lower(row, "Case_Origin")
    return Ticket(**_common(row), subject=_text(row, "Subject"),
                  channel=CASE_CHANNELS.get(origin or "", origin), status=_lower(row, "Status"),
                  priority=_lower(row, "Priority"), customer_external_id=lookup(row, "Related_To"))


def _touchpoint(row: dict[str, Any]) -> dict[str, Any]:
    common = _common(row)
    del common["created_at"]  # an Interaction's time is when it happened
    return {**common, "customer_external_id": lookup(row, "Who_Id"),
            "journey_stage": WHAT_STAGES.get(str(row.get("$se_module") or ""))}


def task(row: dict[str, Any]) -> Record:
    """A Task: a to-do with a contact, at the time it was closed (else its due date)."""
    return Interaction(**_touchpoint(row), type="task",
                       occurred_at=when(row, "Closed_Time") or day(row, "Due_Date"))


def event(row: dict[str, Any]) -> Record:
    """An Event: a meeting with a contact."""
    return Interaction(**_touchpoint(row), type="meeting", channel="meeting",
                       occurred_at=when(row, "Start_DateTime"))


def call(row: dict[str, Any]) -> Record:
    """A Call: a phone touchpoint; a missed call was an inbound one."""
    return Interaction(**_touchpoint(row), type="call", channel="phone",
                       direction=CALL_DIRECTIONS.get(_lower(row, "Call_Type") or ""),
                       occurred_at=when(row, "Call_Start_Time"))


def deleted(kind: str, interaction_type: str) -> Mapper:
    """A mapper for ``/deleted`` entries of a module whose records are of ``kind``."""

    def to_record(entry: dict[str, Any]) -> Record:
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
