"""Vendor record ids in each vendor's own format, derived from a world record's sequence number.

Connectors parse, store and sort these ids, so their shapes matter: HubSpot ids are numeric
strings of varying length (search sorts them lexicographically, a known trap), Salesforce ids
are 18-character case-safe ids with the object's key prefix, Zoho ids are 19-digit numbers.
"""

from __future__ import annotations

import string

_BASE62 = string.digits + string.ascii_uppercase + string.ascii_lowercase
_CHECKSUM = string.ascii_uppercase + "012345"

# Contacts start small and grow by 37 so a few hundred of them cross several digit counts:
# "1000" sorts before "101" in HubSpot's search, which is what connectors must survive.
_HUBSPOT_BASE = {
    "contacts": (1, 37),
    "companies": (9_400_000_001, 3),
    "deals": (17_300_000_001, 7),
    "tickets": (2_600_000_001, 5),
    "calls": (41_000_000_001, 11),
    "emails": (42_000_000_001, 11),
    "meetings": (43_000_000_001, 11),
    "tasks": (44_000_000_001, 11),
    "feedback_submissions": (300_001, 1),
}

SALESFORCE_PREFIX = {
    "Account": "001",
    "Contact": "003",
    "Opportunity": "006",
    "OpportunityHistory": "008",
    "Case": "500",
    "Task": "00T",
    "Event": "00U",
    "SurveyQuestion": "0Tv",
    "SurveyQuestionResponse": "0Tw",
    "User": "005",
    "Organization": "00D",
    "Group": "00G",
    "Lead": "00Q",
    "Campaign": "701",
    "CampaignMember": "00v",
    "CaseHistory": "017",
}

_ZOHO_MODULE_OFFSET = {
    "Accounts": 1,
    "Contacts": 2,
    "Deals": 3,
    "Cases": 4,
    "Tasks": 5,
    "Events": 6,
    "Calls": 7,
    "Leads": 8,
    "Users": 9,
    "Stage_History": 10,
}


def hubspot_id(object_type: str, seq: int) -> str:
    """HubSpot's id for the ``seq``-th record of ``object_type`` (a numeric string)."""
    base, step = _HUBSPOT_BASE[object_type]
    return str(base + seq * step)


def hubspot_seq(object_type: str, object_id: str) -> int | None:
    """The sequence number behind :func:`hubspot_id` (``None`` for an id it never made), so
    the stand-in finds a record by id without a scan."""
    if not object_id.isdigit():
        return None
    base, step = _HUBSPOT_BASE[object_type]
    seq, rest = divmod(int(object_id) - base, step)
    return seq if rest == 0 and seq >= 0 else None


def salesforce_id(sobject: str, seq: int) -> str:
    """An 18-character Salesforce id: key prefix, pod, base-62 counter and case-safe suffix."""
    counter = seq * 7919 + 104_729
    digits = ""
    for _ in range(7):
        counter, rem = divmod(counter, 62)
        digits = _BASE62[rem] + digits
    return with_checksum(f"{SALESFORCE_PREFIX[sobject]}Dn000{digits}")


def salesforce_seq(sf_id: str) -> int | None:
    """The sequence number behind :func:`salesforce_id` (``None`` for an id it never made), so
    the stand-in can find a record by id the way Salesforce's index does, not by a scan."""
    counter = 0
    for ch in sf_id[8:15]:
        digit = _BASE62.find(ch)
        if digit < 0:
            return None
        counter = counter * 62 + digit
    seq, rest = divmod(counter - 104_729, 7919)
    return seq if rest == 0 and seq >= 0 else None


def with_checksum(id15: str) -> str:
    """The documented 15→18 character conversion: one suffix letter per 5-character chunk."""
    suffix = ""
    for chunk in range(3):
        bits = sum(1 << i for i, ch in enumerate(id15[chunk * 5 : chunk * 5 + 5]) if ch.isupper())
        suffix += _CHECKSUM[bits]
    return id15 + suffix


def zoho_id(module: str, seq: int) -> str:
    """A 19-digit Zoho CRM record id (org prefix, module block, counter)."""
    return str(5_725_767_000_000_000_000 + _ZOHO_MODULE_OFFSET[module] * 10_000_000 + 400_000 + seq * 3)


def zoho_seq(module: str, record_id: str) -> int | None:
    """The sequence number behind :func:`zoho_id` (``None`` for an id it never made), so the
    stand-in finds a record by id without a scan."""
    if not record_id.isdigit():
        return None
    seq, rest = divmod(int(record_id) - int(zoho_id(module, 0)), 3)
    return seq if rest == 0 and seq >= 0 else None
