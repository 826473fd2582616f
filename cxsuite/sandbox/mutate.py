"""World mutations: what happens in the client's CRM between two syncs.

Incremental sync is only tested when something changes: these functions modify, archive
(delete) and add records at the sandbox clock's current time, so every vendor's change
cursor (``hs_lastmodifieddate``, ``SystemModstamp``, ``Modified_Time``) moves for exactly
those records. Choices are seeded, so a test that mutates the same way twice sees the same ids.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import datetime

from cxsuite.sandbox import people
from cxsuite.sandbox.generate import RecordFactory
from cxsuite.sandbox.world import (
    OPEN_DEAL_STAGES,
    Activity,
    Company,
    Contact,
    Deal,
    Feedback,
    Lead,
    Record,
    StageChange,
    Ticket,
    World,
)

Mutation = Callable[[World, str, int, datetime, random.Random], list[Record]]
KINDS = ("companies", "contacts", "deals", "tickets", "activities", "feedback", "leads")


def _check(kind: str) -> None:
    if kind not in KINDS:
        raise ValueError(f"unknown record kind {kind!r}; use one of {', '.join(KINDS)}")


def modify(world: World, kind: str, count: int, at: datetime, rng: random.Random) -> list[Record]:
    """Change ``count`` live records of ``kind`` and stamp them modified at ``at``."""
    _check(kind)
    world.changes += 1
    live = world.live(kind)
    chosen = rng.sample(live, min(count, len(live)))
    for record in chosen:
        _change(record, at, rng)
        record.updated_at = at
    return chosen


def archive(world: World, kind: str, count: int, at: datetime, rng: random.Random) -> list[Record]:
    """Archive/delete ``count`` live records (HubSpot archived, Salesforce IsDeleted, Zoho recycle bin)."""
    _check(kind)
    world.changes += 1
    live = world.live(kind)
    chosen = rng.sample(live, min(count, len(live)))
    for record in chosen:
        record.deleted_at = record.updated_at = at
    return chosen


def add(world: World, kind: str, count: int, at: datetime, rng: random.Random) -> list[Record]:
    """Create ``count`` new records of ``kind`` at ``at``, linked to existing contacts."""
    _check(kind)
    world.changes += 1
    factory = RecordFactory(rng.random(), at)
    records = world.records(kind)
    new = [_new(world, kind, factory, len(records) + i) for i in range(count)]
    for record in new:
        record.created_at = record.updated_at = at
        people.fill(world, record, factory.rng)
    records.extend(new)
    return new


def _new(world: World, kind: str, factory: RecordFactory, seq: int) -> Record:
    contact = factory.pick(world.contacts)
    if kind == "leads":
        return people.new_lead(world, seq, factory.rng, factory.now)
    if kind == "companies":
        return factory.company(seq)
    if kind == "contacts":
        return factory.contact(seq, len(world.companies))
    if kind == "deals":
        return factory.deal(seq, contact)
    if kind == "tickets":
        return factory.ticket(seq, contact)
    if kind == "activities":
        return factory.activity(seq, contact)
    return factory.answer(seq, contact, factory.rng.choice(world.tickets))


def _change(record: Record, at: datetime, rng: random.Random) -> None:
    """A plausible edit per kind: a deal moves on, a ticket gets closed, a contact converts."""
    if isinstance(record, Contact):
        record.lifecycle_stage = "customer" if record.lifecycle_stage != "customer" else "evangelist"
    elif isinstance(record, Company):
        record.employees += rng.randrange(1, 20)
    elif isinstance(record, Deal):
        _advance_deal(record, at, rng)
    elif isinstance(record, Ticket):
        _close_ticket(record, at, rng)
    elif isinstance(record, Activity):
        record.completed = True
    elif isinstance(record, Feedback):
        record.comment = "Edited after follow-up call."
    elif isinstance(record, Lead):
        record.status = "working" if record.status == "new" else "qualified"


def _advance_deal(deal: Deal, at: datetime, rng: random.Random) -> None:
    if deal.stage in OPEN_DEAL_STAGES:
        index = OPEN_DEAL_STAGES.index(deal.stage)
        deal.stage = OPEN_DEAL_STAGES[index + 1] if index + 1 < len(OPEN_DEAL_STAGES) else "won"
        deal.history.append(StageChange(stage=deal.stage, at=at))
        deal.closed_at = at if deal.stage == "won" else None
    else:
        deal.amount = round(deal.amount * rng.uniform(0.9, 1.2), 2)


def _close_ticket(ticket: Ticket, at: datetime, rng: random.Random) -> None:
    if ticket.resolved_at is None:
        ticket.first_response_at = ticket.first_response_at or at
        ticket.resolved_at, ticket.status = at, "closed"
    else:
        ticket.satisfaction = rng.randint(3, 5)
