"""The client company's records: what the sandbox's four vendors show in their own shapes.

The sandbox's vendors all show slices of this one world, so a demo that connects HubSpot and
GA4 sees the same company. ``generate.py`` fills it deterministically; ``mutate.py`` changes it.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from cxsuite.sandbox.web import WebMetricRow

DEFAULT_NOW = datetime(2026, 1, 15, 9, 0, tzinfo=UTC)
HISTORY_DAYS = 730
SIZES = {"small": 300, "demo": 2000}

DEAL_STAGES = ("qualification", "discovery", "proposal", "negotiation", "won", "lost")
OPEN_DEAL_STAGES = DEAL_STAGES[:4]
LIFECYCLE_STAGES = (
    "subscriber",
    "lead",
    "marketingqualifiedlead",
    "salesqualifiedlead",
    "opportunity",
    "customer",
    "evangelist",
)
CHANNELS = ("email", "chat", "phone", "web")
ACTIVITY_TYPES = ("call", "email", "meeting", "task", "event")
TOUCHPOINTS = ("onboarding", "support_ticket", "checkout", "website", "renewal")
QUESTIONS = {
    "NPS": "How likely are you to recommend Northwind Outfitters to a friend or colleague?",
    "CSAT": "How satisfied were you with the support you received?",
    "CES": "Northwind Outfitters made it easy for me to handle my issue.",
}
SCALES = {"NPS": (0, 10), "CSAT": (1, 5), "CES": (1, 7)}
# The client's CRM lists / segments a contact can be in (HubSpot lists, Salesforce campaigns,
# Zoho tags): a few broad ones, some behavioural ones.
SEGMENTS = (
    "Newsletter subscribers",
    "VIP customers",
    "Baltic B2B",
    "Webinar attendees",
    "Win-back campaign",
    "Loyalty programme",
)
LEAD_STATUSES = ("new", "working", "nurturing", "qualified", "unqualified")


@dataclass(kw_only=True)
class Owner:
    """A user of the client's CRM who owns records: a sales rep or a support agent."""

    seq: int
    first_name: str
    last_name: str
    team: str  # "sales" or "support"

    @property
    def email(self) -> str:
        """The owner's work address."""
        return f"{self.first_name}.{self.last_name}@northwind-outfitters.example".lower()


@dataclass(kw_only=True)
class Record:
    """What every world record has: its sequence (the source of every vendor id) and timestamps."""

    seq: int
    created_at: datetime
    updated_at: datetime
    deleted_at: datetime | None = None
    # Deleted and gone from the recycle bin too (emptied by an admin, or hard-deleted): APIs
    # that list deleted records (Salesforce queryAll) no longer show it; delete logs still do.
    purged: bool = False


@dataclass(kw_only=True)
class Company(Record):
    """A client company's customer organisation (B2B side of the customer base)."""

    name: str
    domain: str
    industry: str
    employees: int
    city: str
    country: str


@dataclass(kw_only=True)
class Contact(Record):
    """A customer person; some share an email or phone with another contact (duplicates)."""

    first_name: str
    last_name: str
    email: str
    phone: str
    company_seq: int | None
    lifecycle_stage: str | None
    job_title: str
    owner_seq: int | None = None
    segments: list[str] = field(default_factory=list)
    churned_at: datetime | None = None


@dataclass(kw_only=True)
class StageChange:
    """One entry of a deal's stage history."""

    stage: str
    at: datetime


@dataclass(kw_only=True)
class Deal(Record):
    """A sales opportunity with its stage history, so win rate and cycle time can be measured."""

    name: str
    company_seq: int | None
    contact_seq: int
    stage: str
    amount: float
    close_date: date
    closed_at: datetime | None
    history: list[StageChange] = field(default_factory=list)
    owner_seq: int | None = None


@dataclass(kw_only=True)
class Ticket(Record):
    """A support case: channel, auto-acknowledgement, first human response, resolution, CSAT."""

    subject: str
    contact_seq: int
    company_seq: int | None
    channel: str
    priority: str
    status: str
    auto_ack_at: datetime | None
    first_response_at: datetime | None
    resolved_at: datetime | None
    agent_replies: int
    reopened: int
    satisfaction: int | None
    owner_seq: int | None = None
    assigned_at: datetime | None = None
    auto_assigned: bool | None = None


@dataclass(kw_only=True)
class Activity(Record):
    """A call, email, meeting, task or event with a contact (a journey touchpoint)."""

    type: str
    subject: str
    contact_seq: int
    ticket_seq: int | None
    direction: str
    occurred_at: datetime
    duration_s: int
    completed: bool
    owner_seq: int | None = None
    automated: bool = False


@dataclass(kw_only=True)
class Feedback(Record):
    """A survey answer (NPS, CSAT or CES) with the question wording and its touchpoint."""

    metric: str
    score: int
    question: str
    comment: str | None
    contact_seq: int
    ticket_seq: int | None
    touchpoint: str


@dataclass(kw_only=True)
class Lead(Record):
    """A prospect not (yet) a customer: Salesforce Lead, Zoho Leads. A converted lead names the
    contact it became; HubSpot has no lead object (its contacts carry the lifecycle stage)."""

    first_name: str
    last_name: str
    email: str
    phone: str
    company: str
    source: str
    status: str
    owner_seq: int | None = None
    converted_contact_seq: int | None = None
    converted_at: datetime | None = None


@dataclass
class World:
    """All of one client company's data; vendors render slices of it in their own shapes."""

    seed: int
    size: int
    now: datetime
    companies: list[Company]
    contacts: list[Contact]
    deals: list[Deal]
    tickets: list[Ticket]
    activities: list[Activity]
    feedback: list[Feedback]
    web: list[WebMetricRow]
    owners: list[Owner] = field(default_factory=list)
    leads: list[Lead] = field(default_factory=list)
    # Bumped by every mutation (``mutate.py``): the derived views below are stale after one.
    changes: int = 0
    _views: dict[Hashable, tuple[tuple[int, int], list[Any]]] = field(
        default_factory=dict, repr=False, compare=False
    )

    def records(self, kind: str) -> list[Record]:
        """Every record of ``kind`` (``contacts``, ``deals``, ...), deleted ones included."""
        return getattr(self, kind)

    def live(self, kind: str) -> list[Record]:
        """Records of ``kind`` that are not archived or deleted."""
        return [r for r in self.records(kind) if r.deleted_at is None]

    def view(self, key: Hashable, kind: str, build: Callable[[], list[Any]], fresh: bool = False,
             ) -> list[Any]:
        """A list derived from ``kind``'s records (filtered, sorted), kept until a mutation or a
        new record, so a vendor serves each page of a listing in time proportional to the page,
        not to the world (real vendors answer from indexes). ``fresh`` rebuilds it anyway: a
        listing's first page, so edits made without ``mutate.py`` (tests set fields) are seen."""
        stamp = (self.changes, len(self.records(kind)))
        cached = self._views.get(key)
        if fresh or cached is None or cached[0] != stamp:
            cached = (stamp, build())
            self._views[key] = cached
        return cached[1]

    def by_seq(self, kind: str, seq: int | None) -> Record | None:
        """The record of ``kind`` with sequence ``seq``: at its position (records are numbered
        by position), else found in the list (never in generated or mutated worlds)."""
        rows = self.records(kind)
        if seq is None or seq < 0:
            return None
        if seq < len(rows) and rows[seq].seq == seq:
            return rows[seq]
        return next((r for r in rows if r.seq == seq), None)


def resolve_size(size: int | str) -> int:
    """``small``/``demo`` or any positive integer: the number of contacts."""
    value = SIZES.get(size, size) if isinstance(size, str) else size
    if int(value) < 10:
        raise ValueError(f"world size must be at least 10 contacts, got {size!r}")
    return int(value)
