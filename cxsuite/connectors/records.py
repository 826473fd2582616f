"""Canonical records: what every connector maps vendor data to, and what scoring reads.

A connector yields these Structs; the sync engine upserts them into one table per kind,
keyed by ``(tenant, workspace, connection, external_id)``. Field names are the column names.
Timestamps are timezone-aware UTC; ``updated_at`` is the vendor's last-modified time, which
lets a re-sync skip rows that did not change. ``raw`` keeps the vendor payload for audit.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, ClassVar

import msgspec


class Record(msgspec.Struct, kw_only=True, frozen=True):
    """Fields every canonical record has."""

    kind: ClassVar[str] = ""
    external_id: str
    updated_at: datetime | None = None
    archived: bool = False
    raw: dict[str, Any] = msgspec.field(default_factory=dict)


class Customer(Record, kw_only=True, frozen=True):
    """A person the client company serves (CRM contact)."""

    kind: ClassVar[str] = "customer"
    email: str | None = None
    phone: str | None = None
    name: str | None = None
    company_external_id: str | None = None
    lifecycle_stage: str | None = None
    segment: str | None = None
    created_at: datetime | None = None
    owner_id: str | None = None
    segments: list[str] = msgspec.field(default_factory=list)
    churned_at: datetime | None = None
    web_user_id: str | None = None


class Company(Record, kw_only=True, frozen=True):
    """An organisation the client company sells to (CRM account)."""

    kind: ClassVar[str] = "company"
    name: str | None = None
    domain: str | None = None
    industry: str | None = None
    created_at: datetime | None = None


class Deal(Record, kw_only=True, frozen=True):
    """An opportunity; ``won`` is ``None`` while open. ``stage_history`` is a list of
    ``{"stage", "at"}`` where the vendor provides it."""

    kind: ClassVar[str] = "deal"
    name: str | None = None
    pipeline: str | None = None
    stage: str | None = None
    amount: float | None = None
    currency: str | None = None
    created_at: datetime | None = None
    closed_at: datetime | None = None
    won: bool | None = None
    customer_external_id: str | None = None
    company_external_id: str | None = None
    stage_history: list[dict[str, Any]] = msgspec.field(default_factory=list)
    owner_id: str | None = None


class Ticket(Record, kw_only=True, frozen=True):
    """A support case. ``first_response_at`` is the first *human* reply (connectors leave
    auto-acknowledgements out); ``satisfaction`` is on ``satisfaction_scale`` when given."""

    kind: ClassVar[str] = "ticket"
    subject: str | None = None
    channel: str | None = None
    status: str | None = None
    priority: str | None = None
    created_at: datetime | None = None
    first_response_at: datetime | None = None
    resolved_at: datetime | None = None
    reopened: bool = False
    satisfaction: float | None = None
    satisfaction_scale: int | None = None
    customer_external_id: str | None = None
    owner_id: str | None = None
    assigned_at: datetime | None = None
    auto_assigned: bool | None = None


class Interaction(Record, kw_only=True, frozen=True):
    """A touchpoint: a call, email, meeting, task, chat or visit, at a journey stage."""

    kind: ClassVar[str] = "interaction"
    type: str
    channel: str | None = None
    journey_stage: str | None = None
    direction: str | None = None
    automated: bool = False
    occurred_at: datetime | None = None
    customer_external_id: str | None = None
    owner_id: str | None = None


class Feedback(Record, kw_only=True, frozen=True):
    """One survey answer. ``metric`` is ``nps``, ``csat`` or ``ces``; the scale and the
    question wording travel with the score so scales are never mixed."""

    kind: ClassVar[str] = "feedback"
    metric: str
    score: float
    scale_min: int
    scale_max: int
    question: str | None = None
    comment: str | None = None
    touchpoint: str | None = None
    channel: str | None = None
    journey_stage: str | None = None
    submitted_at: datetime | None = None
    customer_external_id: str | None = None
    ticket_external_id: str | None = None


class WebMetric(Record, kw_only=True, frozen=True):
    """One GA4 row: a day × channel group × device × landing page (× new or returning visitor).

    A metric the source did not report is ``None`` (absent), never 0: a property without
    e-commerce has no revenue, not zero revenue. ``quality_flags`` holds ``other_row``,
    ``sampled`` and ``thresholded`` when the source says the row is an approximation."""

    kind: ClassVar[str] = "web_metric"
    date: date
    channel_group: str | None = None
    device: str | None = None
    landing_page: str | None = None
    sessions: int | None = None
    engaged_sessions: int | None = None
    conversions: float | None = None
    revenue: float | None = None
    new_vs_returning: str | None = None
    quality_flags: list[str] = msgspec.field(default_factory=list)


RECORD_TYPES: dict[str, type[Record]] = {
    cls.kind: cls for cls in (Customer, Company, Deal, Ticket, Interaction, Feedback, WebMetric)}


def table_for(kind: str) -> str:
    """The table a kind of record lives in."""
    return f"record_{kind}"


def columns_of(record_type: type[Record]) -> list[str]:
    """Typed columns of a kind (everything but the common bookkeeping fields)."""
    common = set(Record.__struct_fields__)
    return [name for name in record_type.__struct_fields__ if name not in common]
