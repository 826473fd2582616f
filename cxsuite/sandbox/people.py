"""Who works the client's CRM: owners, assignment, automation, segments, churn and leads.

These are drawn from their own random stream (``{seed}:people``) after the rest of the world,
so adding them left every earlier record exactly as it was. The shapes are chosen so the
metrics that read them have something to find: most but not all customers have an owner,
about two thirds of chat and web tickets are routed by a rule within a minute while email
tickets wait for a person, about a fifth of outbound emails come from a sequence or workflow,
and roughly one customer in seven has churned.
"""

from __future__ import annotations

import math
import random
from datetime import datetime, timedelta

from cxsuite.sandbox.world import (
    LEAD_STATUSES,
    SEGMENTS,
    Activity,
    Contact,
    Deal,
    Lead,
    Owner,
    Record,
    Ticket,
    World,
)

_OWNERS = (
    ("Greta", "Keller", "sales"),
    ("Jonas", "Petrauskas", "sales"),
    ("Maja", "Ozols", "sales"),
    ("Oskar", "Larsen", "sales"),
    ("Ines", "Moreau", "support"),
    ("Farid", "Rahimi", "support"),
    ("Nika", "Tamm", "support"),
    ("Liam", "Walsh", "support"),
)
_LEAD_FIRST = ("Anna", "Ben", "Chloe", "Dmitri", "Elena", "Hugo", "Karin", "Paula", "Simon", "Tara")
_LEAD_LAST = ("Berg", "Novak", "Jansen", "Silva", "Adler", "Kalnins", "Vaitkus", "Lepp")
_LEAD_SOURCES = ("Web", "Phone Inquiry", "Partner Referral", "Trade Show", "Advertisement")
# Share of tickets a routing rule assigns, by channel (phone: the agent who answers owns it).
_AUTO_SHARE = {"chat": 0.8, "web": 0.7, "email": 0.45, "phone": 0.0}
_SEGMENT_ODDS = {
    "Newsletter subscribers": 0.35,
    "VIP customers": 0.0,  # customers only, below
    "Baltic B2B": 0.2,
    "Webinar attendees": 0.12,
    "Win-back campaign": 0.0,  # churned customers only, below
    "Loyalty programme": 0.15,
}
CUSTOMER_STAGES = ("customer", "evangelist")


def owners() -> list[Owner]:
    """The client's CRM users: four sales reps and four support agents."""
    return [Owner(seq=i, first_name=first, last_name=last, team=team)
            for i, (first, last, team) in enumerate(_OWNERS)]


def _team(world: World, team: str) -> list[Owner]:
    return [o for o in world.owners if o.team == team]


def _at(start: datetime, seconds: float, now: datetime) -> datetime:
    """``start`` plus ``seconds``, never past ``now`` (or ``start``, for records added later)."""
    return min(max(now, start), start + timedelta(seconds=seconds)).replace(microsecond=0)


def fill_contact(world: World, c: Contact, rng: random.Random) -> None:
    """Owner (85 %), list memberships and, for some customers, the day they churned."""
    c.owner_seq = rng.choice(_team(world, "sales")).seq if rng.random() < 0.85 else None
    c.segments = [name for name, odds in _SEGMENT_ODDS.items() if rng.random() < odds]
    if c.lifecycle_stage in CUSTOMER_STAGES:
        if rng.random() < 0.3:
            c.segments.append("VIP customers")
        if rng.random() < 0.14 and (world.now - c.created_at).days > 60:
            days = rng.uniform(45, (world.now - c.created_at).days)
            c.churned_at = _at(c.created_at, days * 86400, world.now)
            if rng.random() < 0.6:
                c.segments.append("Win-back campaign")
    c.segments.sort(key=SEGMENTS.index)


def fill_deal(world: World, d: Deal, rng: random.Random) -> None:
    """The contact's owner works the deal; a few deals sit unowned in a shared queue."""
    contact = world.contacts[d.contact_seq] if d.contact_seq < len(world.contacts) else None
    owner = contact.owner_seq if contact else None
    d.owner_seq = owner if owner is not None and rng.random() < 0.9 else (
        rng.choice(_team(world, "sales")).seq if rng.random() < 0.93 else None)


def fill_ticket(world: World, t: Ticket, rng: random.Random) -> None:
    """Who got the ticket, when, and whether a routing rule or a person assigned it."""
    if t.status == "new" and rng.random() < 0.35:
        return  # still waiting in the queue, nobody assigned
    t.owner_seq = rng.choice(_team(world, "support")).seq
    if t.channel == "phone":
        t.assigned_at, t.auto_assigned = t.created_at, False
    elif rng.random() < _AUTO_SHARE[t.channel]:
        t.assigned_at, t.auto_assigned = _at(t.created_at, rng.uniform(2, 45), world.now), True
    else:
        wait = rng.lognormvariate(math.log(25 * 60), 1.0)
        assigned = _at(t.created_at, wait, world.now)
        if t.first_response_at is not None:
            assigned = min(assigned, t.first_response_at)
        t.assigned_at, t.auto_assigned = assigned, False


def fill_activity(world: World, a: Activity, rng: random.Random) -> None:
    """Owner of a touchpoint; automatic replies and sequence emails are marked automated."""
    if a.subject.endswith("[automatic reply]"):
        a.automated, a.owner_seq = True, None
        return
    team = "support" if a.ticket_seq is not None else "sales"
    a.owner_seq = rng.choice(_team(world, team)).seq
    if a.type == "email" and a.direction == "outbound" and rng.random() < 0.22:
        a.automated = True  # a sequence or workflow step sent on the rep's behalf


def fill(world: World, record: Record, rng: random.Random) -> None:
    """Fill the people fields of one record (used for generated and mutation-added records)."""
    if isinstance(record, Contact):
        fill_contact(world, record, rng)
    elif isinstance(record, Deal):
        fill_deal(world, record, rng)
    elif isinstance(record, Ticket):
        fill_ticket(world, record, rng)
    elif isinstance(record, Activity):
        fill_activity(world, record, rng)


def convertible_contacts(world: World) -> list[Contact]:
    """The contacts a lead can have been converted into."""
    return [c for c in world.contacts if c.lifecycle_stage in (*CUSTOMER_STAGES, "opportunity")]


def new_lead(world: World, seq: int, rng: random.Random, at: datetime | None = None,
             convertible: list[Contact] | None = None) -> Lead:
    """A lead: about a third were converted into one of the customers; the rest are open,
    nurtured or disqualified prospects. ``convertible`` (:func:`convertible_contacts`) is
    passed by a caller making many leads: finding them per lead made a world of n contacts
    cost n²/4 (minutes at 100,000 contacts)."""
    if at is None and convertible is None:
        convertible = convertible_contacts(world)
    if at is None and convertible and rng.random() < 0.35:
        contact = rng.choice(convertible)
        converted = contact.created_at
        created = _at(converted, -rng.expovariate(1 / (86400 * 9)), world.now)
        return Lead(seq=seq, first_name=contact.first_name, last_name=contact.last_name,
                    email=contact.email, phone=contact.phone, company=_company(world, contact),
                    source=rng.choice(_LEAD_SOURCES), status="qualified",
                    owner_seq=contact.owner_seq, converted_contact_seq=contact.seq, converted_at=converted,
                    created_at=created, updated_at=converted)
    first, last = rng.choice(_LEAD_FIRST), rng.choice(_LEAD_LAST)
    created = at or _at(world.now - timedelta(days=730), rng.uniform(0, 730 * 86400), world.now)
    status = rng.choices(LEAD_STATUSES, (30, 25, 20, 10, 15))[0]
    email = f"{first}.{last}.lead{seq}@mail.example".lower()
    return Lead(seq=seq, first_name=first, last_name=last, email=email,
                phone=f"+3716{rng.randrange(1_000_000, 9_999_999)}", company=f"{last} Trading",
                source=rng.choice(_LEAD_SOURCES), status=status,
                owner_seq=rng.choice(_team(world, "sales")).seq if rng.random() < 0.9 else None,
                created_at=created,
                updated_at=at or _at(created, rng.expovariate(1 / (86400 * 15)), world.now))


def _company(world: World, contact: Contact) -> str:
    if contact.company_seq is None:
        return "Private customer"
    return world.companies[contact.company_seq].name


def populate(world: World) -> None:
    """Owners, leads and every record's people fields, from the world's own people stream."""
    rng = random.Random(f"{world.seed}:people")  # noqa: S311 - simulated data
    world.owners = owners()
    for kind in ("contacts", "deals", "tickets", "activities"):
        for record in world.records(kind):
            fill(world, record, rng)
    convertible = convertible_contacts(world)
    world.leads = [new_lead(world, i, rng, convertible=convertible) for i in range(max(5, world.size // 4))]
