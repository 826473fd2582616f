"""Generating the world deterministically from ``seed`` and ``size``.

The same arguments always give the same company, so tests can assert exact counts and reruns
produce identical data. Distributions are chosen so that scoring has something meaningful to
find: email first response has a median of a few hours, about 70 % of tickets are resolved on
first contact, NPS lands around +25, weekdays carry more web traffic than weekends. Owners,
assignment, automation, segments, churn and leads come last, from their own random stream
(:mod:`cxsuite.sandbox.people`), so adding them changed none of the records drawn before.
"""

from __future__ import annotations

import math
import random
from datetime import datetime, timedelta

from cxsuite.sandbox import people
from cxsuite.sandbox.web import generate_web_metrics
from cxsuite.sandbox.world import (
    ACTIVITY_TYPES,
    CHANNELS,
    DEFAULT_NOW,
    HISTORY_DAYS,
    LIFECYCLE_STAGES,
    OPEN_DEAL_STAGES,
    QUESTIONS,
    SCALES,
    TOUCHPOINTS,
    Activity,
    Company,
    Contact,
    Deal,
    Feedback,
    StageChange,
    Ticket,
    World,
    resolve_size,
)

_FIRST = (
    "Anna",
    "Ben",
    "Chloe",
    "Dmitri",
    "Elena",
    "Farid",
    "Greta",
    "Hugo",
    "Ines",
    "Jonas",
    "Karin",
    "Liam",
    "Maja",
    "Nika",
    "Oskar",
    "Paula",
    "Rasa",
    "Simon",
    "Tara",
    "Viktor",
    "Zane",
    "Laila",
)
_LAST = (
    "Berg",
    "Novak",
    "Kowalski",
    "Jansen",
    "Petrauskas",
    "Ozols",
    "Smirnov",
    "Rahimi",
    "Keller",
    "Larsen",
    "Moreau",
    "Rossi",
    "Silva",
    "Tamm",
    "Walsh",
    "Young",
    "Adler",
    "Bauer",
)
_COMPANY_WORDS = (
    "Baltic",
    "Nordic",
    "Amber",
    "Harbor",
    "Summit",
    "Cedar",
    "Aurora",
    "Granite",
    "Riverside",
    "Lumen",
    "Vertex",
    "Meridian",
    "Pine",
    "Coastal",
)
_COMPANY_KINDS = ("Logistics", "Retail", "Foods", "Clinic", "Studio", "Systems", "Hotels", "Motors")
_INDUSTRIES = ("RETAIL", "HOSPITALITY", "LOGISTICS_AND_SUPPLY_CHAIN", "HEALTH_CARE", "COMPUTER_SOFTWARE")
_CITIES = (
    ("Vilnius", "Lithuania"),
    ("Riga", "Latvia"),
    ("Tallinn", "Estonia"),
    ("Warsaw", "Poland"),
    ("Berlin", "Germany"),
    ("Stockholm", "Sweden"),
)
_SUBJECTS = (
    "Order arrived damaged",
    "Cannot log in",
    "Invoice question",
    "Change delivery address",
    "Refund status",
    "Size exchange",
    "Loyalty points missing",
    "Website checkout error",
)
_COMMENTS = {
    "low": ("Took far too long to get an answer.", "Nobody called me back."),
    "mid": ("Fine, nothing special.", "Delivery was a bit slow."),
    "high": ("Quick and friendly support!", "Great products, easy returns."),
}


def generate_world(seed: int = 7, size: int | str = "small", now: datetime | None = None) -> World:
    """Build the whole world; the same arguments always give the same data."""
    n = resolve_size(size)
    now = now or DEFAULT_NOW
    gen = RecordFactory(seed, now)
    companies = [gen.company(i) for i in range(max(3, n // 6))]
    contacts = gen.contacts(n, len(companies))
    deals = [gen.deal(i, gen.pick(contacts)) for i in range(n // 2)]
    tickets = [gen.ticket(i, gen.pick(contacts)) for i in range(n * 4 // 5)]
    activities = gen.activities(n * 3, contacts, tickets)
    feedback = gen.feedback(n * 3 // 5, contacts, tickets)
    web = generate_web_metrics(
        random.Random(f"{seed}:web"),  # noqa: S311 - simulated data
        now.date(),
        HISTORY_DAYS,
        n,
    )
    world = World(seed, n, now, companies, contacts, deals, tickets, activities, feedback, web)
    people.populate(world)
    return world


class RecordFactory:
    """Random draws that make records: the generator uses it for the initial world, mutations
    use it (with their own stream and a later ``now``) to add records that look the same."""

    def __init__(self, seed: int | str, now: datetime) -> None:
        self.now = now
        self.rng = random.Random(f"{seed}:crm")  # noqa: S311 - simulated data

    def pick(self, contacts: list[Contact]) -> Contact:
        """A random contact (customers with more activity are not modelled)."""
        return self.rng.choice(contacts)

    def moment(self, not_before: datetime | None = None) -> datetime:
        """A time in the history window, after ``not_before`` when given, at millisecond precision."""
        start = not_before or self.now - timedelta(days=HISTORY_DAYS)
        span = max(1.0, (self.now - start).total_seconds())
        return (start + timedelta(seconds=self.rng.uniform(0, span))).replace(microsecond=0)

    def later(self, at: datetime, seconds: float) -> datetime:
        """``at`` plus ``seconds``, never past ``now``."""
        return min(self.now, at + timedelta(seconds=seconds)).replace(microsecond=0)

    def stamps(self, created: datetime) -> dict[str, datetime]:
        """created/updated pair: most records were edited some time after creation."""
        return {
            "created_at": created,
            "updated_at": self.later(created, self.rng.expovariate(1 / 86400 / 20)),
        }

    def company(self, i: int) -> Company:
        """One customer organisation."""
        rng = self.rng
        name = f"{rng.choice(_COMPANY_WORDS)} {rng.choice(_COMPANY_KINDS)}"
        city, country = rng.choice(_CITIES)
        slug = name.lower().replace(" ", "")
        return Company(
            seq=i,
            name=name,
            domain=f"{slug}{i}.example",
            industry=rng.choice(_INDUSTRIES),
            employees=int(rng.lognormvariate(3.5, 1.2)) + 1,
            city=city,
            country=country,
            **self.stamps(self.moment()),
        )

    def contacts(self, n: int, n_companies: int) -> list[Contact]:
        """``n`` contacts; about 5 % reuse another's email and 5 % another's phone."""
        people = [self.contact(i, n_companies) for i in range(n)]
        for person in people[10:]:
            roll = self.rng.random()
            if roll < 0.05:
                person.email = self.rng.choice(people[: person.seq]).email.upper()
            elif roll < 0.10:
                person.phone = self.rng.choice(people[: person.seq]).phone
        return people

    def contact(self, i: int, n_companies: int) -> Contact:
        """One customer person."""
        rng = self.rng
        first, last = rng.choice(_FIRST), rng.choice(_LAST)
        stage = rng.choices(LIFECYCLE_STAGES, (8, 20, 12, 8, 10, 35, 7))[0] if rng.random() < 0.8 else None
        return Contact(
            seq=i,
            first_name=first,
            last_name=last,
            email=f"{first}.{last}{i}@mail.example".lower(),
            phone=f"+3706{rng.randrange(1_000_000, 9_999_999)}",
            company_seq=rng.randrange(n_companies) if rng.random() < 0.7 else None,
            lifecycle_stage=stage,
            job_title=rng.choice(("Owner", "Buyer", "Manager", "")),
            **self.stamps(self.moment()),
        )

    def deal(self, i: int, contact: Contact) -> Deal:
        """A deal walking through the pipeline; older deals are mostly closed, ~35 % of closed won."""
        rng = self.rng
        created = self.moment(contact.created_at)
        history, at = [StageChange(stage="qualification", at=created)], created
        outcome = "won" if rng.random() < 0.35 else "lost"
        for stage in (*OPEN_DEAL_STAGES[1:], outcome):
            at = at + timedelta(days=rng.expovariate(1 / 12))
            if at >= self.now or (stage == "lost" and rng.random() < 0.3):
                break
            history.append(StageChange(stage=stage, at=at.replace(microsecond=0)))
            if stage == "negotiation" and outcome == "lost" and rng.random() < 0.5:
                history.append(StageChange(stage="lost", at=self.later(at, 86400 * 3)))
                break
        closed = history[-1].at if history[-1].stage in ("won", "lost") else None
        return Deal(
            seq=i,
            name=f"{contact.last_name} order #{1000 + i}",
            company_seq=contact.company_seq,
            contact_seq=contact.seq,
            stage=history[-1].stage,
            amount=round(rng.lognormvariate(7.2, 0.8), 2),
            close_date=(closed or self.now + timedelta(days=rng.randrange(5, 90))).date(),
            closed_at=closed,
            history=history,
            created_at=created,
            updated_at=max(history[-1].at, created),
        )

    def ticket(self, i: int, contact: Contact) -> Ticket:
        """A support ticket with realistic response and resolution times per channel."""
        rng = self.rng
        channel = rng.choices(CHANNELS, (45, 20, 20, 15))[0]
        created = self.moment(contact.created_at)
        median = {"email": 4 * 3600, "chat": 180, "phone": 20, "web": 6 * 3600}[channel]
        first = self.later(created, rng.lognormvariate(math.log(median), 1.0))
        auto_ack = self.later(created, 30) if channel in ("email", "web") and rng.random() < 0.6 else None
        replies = 1 if rng.random() < 0.77 else rng.randrange(2, 6)
        resolved = self.later(first, replies * rng.expovariate(1 / 7200)) if rng.random() < 0.88 else None
        reopened = 1 if resolved and rng.random() < 0.08 else 0
        csat = (
            rng.choices((1, 2, 3, 4, 5), (5, 7, 12, 36, 40))[0] if resolved and rng.random() < 0.4 else None
        )
        status = "closed" if resolved else rng.choice(("new", "waiting_on_us", "waiting_on_contact"))
        return Ticket(
            seq=i,
            subject=rng.choice(_SUBJECTS),
            contact_seq=contact.seq,
            company_seq=contact.company_seq,
            channel=channel,
            priority=rng.choices(("low", "medium", "high", "urgent"), (30, 45, 20, 5))[0],
            status=status,
            auto_ack_at=auto_ack,
            first_response_at=first if first < self.now else None,
            resolved_at=resolved,
            agent_replies=replies,
            reopened=reopened,
            satisfaction=csat,
            created_at=created,
            updated_at=max(filter(None, (created, first, resolved))),
        )

    def activities(self, n: int, contacts: list[Contact], tickets: list[Ticket]) -> list[Activity]:
        """Calls, emails, meetings, tasks and events; auto-acknowledgement emails come first."""
        out = [self._auto_ack(i, t) for i, t in enumerate(t for t in tickets if t.auto_ack_at)]
        while len(out) < n:
            out.append(self.activity(len(out), self.pick(contacts)))
        return out

    def _auto_ack(self, i: int, ticket: Ticket) -> Activity:
        """The automatic 'we received your request' email a ticket got before a human answered."""
        at = ticket.auto_ack_at or ticket.created_at
        return Activity(
            seq=i,
            type="email",
            subject=f"Re: {ticket.subject} [automatic reply]",
            contact_seq=ticket.contact_seq,
            ticket_seq=ticket.seq,
            direction="outbound",
            occurred_at=at,
            duration_s=0,
            completed=True,
            created_at=at,
            updated_at=at,
        )

    def activity(self, i: int, contact: Contact) -> Activity:
        """One sales or service interaction."""
        rng = self.rng
        kind = rng.choices(ACTIVITY_TYPES, (25, 35, 15, 15, 10))[0]
        at = self.moment(contact.created_at)
        duration = int(rng.lognormvariate(5.5, 0.8)) if kind in ("call", "meeting", "event") else 0
        return Activity(
            seq=i,
            type=kind,
            subject=f"{kind.title()} with {contact.first_name}",
            contact_seq=contact.seq,
            ticket_seq=None,
            direction=rng.choice(("inbound", "outbound")),
            occurred_at=at,
            duration_s=duration,
            completed=rng.random() < 0.85,
            **self.stamps(at),
        )

    def feedback(self, n: int, contacts: list[Contact], tickets: list[Ticket]) -> list[Feedback]:
        """NPS (relationship), CSAT and CES (after resolved tickets) answers."""
        resolved = [t for t in tickets if t.resolved_at]
        return [self.answer(i, self.pick(contacts), self.rng.choice(resolved)) for i in range(n)]

    def answer(self, i: int, contact: Contact, ticket: Ticket) -> Feedback:
        """One survey answer; NPS ≈ +25, CSAT mean ≈ 4, CES mean ≈ 5.3."""
        rng = self.rng
        metric = rng.choices(("NPS", "CSAT", "CES"), (45, 35, 20))[0]
        if metric == "NPS":
            score = rng.choices(range(11), (2, 1, 2, 2, 3, 5, 10, 12, 13, 22, 28))[0]
            at, linked, touchpoint = self.moment(contact.created_at), None, rng.choice(TOUCHPOINTS)
        else:
            weights = (4, 6, 14, 36, 40) if metric == "CSAT" else (3, 4, 6, 10, 20, 30, 27)
            score = rng.choices(range(1, len(weights) + 1), weights)[0]
            at, linked, touchpoint = (
                self.later(ticket.resolved_at or ticket.created_at, 3600),
                ticket,
                "support_ticket",
            )
        low, high = SCALES[metric]
        band = "low" if score <= low + (high - low) * 0.5 else ("high" if score >= high - 1 else "mid")
        comment = rng.choice(_COMMENTS[band]) if rng.random() < 0.4 else None
        return Feedback(
            seq=i,
            metric=metric,
            score=score,
            question=QUESTIONS[metric],
            comment=comment,
            contact_seq=linked.contact_seq if linked else contact.seq,
            ticket_seq=linked.seq if linked else None,
            touchpoint=touchpoint,
            created_at=at,
            updated_at=at,
        )
