"""A synthetic workspace at the scale of SCORING.md, written the fast way for each database.

Scale 1.0 = 100 k customers, 10 k companies, 20 k deals, 50 k tickets, 1 M interactions,
200 k feedback answers and two years of daily web metrics (730 days × 16 segments). Rows are
generated deterministically (fixed seed) and written by COPY on PostgreSQL, by ``executemany``
in large transactions on SQLite, straight into the canonical record tables.
"""

from __future__ import annotations

import itertools
import json
import random
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import UUID

END = datetime(2025, 12, 31, 23, 0, tzinfo=UTC)
SPAN_S = 2 * 365 * 86_400
STAGES = ("awareness", "consideration", "purchase", "onboarding", "usage_service", "retention", "advocacy")
BASE = {
    "customer": 100_000,
    "company": 10_000,
    "deal": 20_000,
    "ticket": 50_000,
    "interaction": 1_000_000,
    "feedback": 200_000,
}
COMMON = (
    "tenant_id",
    "workspace_id",
    "connection_id",
    "external_id",
    "source",
    "content_hash",
    "synced_at",
    "archived",
    "raw",
)


def _when(rng: random.Random) -> datetime:
    return END - timedelta(seconds=rng.randrange(SPAN_S))


def _later(rng: random.Random, start: datetime, mean_hours: float) -> datetime:
    return start + timedelta(seconds=int(rng.expovariate(1 / (mean_hours * 3600))))


def customers(rng: random.Random, n: int) -> Iterator[tuple[str, dict[str, Any], dict[str, Any]]]:
    stages = ("lead", "lead", "customer", "customer", "customer", "evangelist", "churned", None)
    for i in range(n):
        created = _when(rng) - timedelta(days=365)
        yield (
            f"c{i}",
            {
                "email": f"user{i if rng.random() > 0.01 else i // 2}@example.test",
                "phone": f"+44 20 {i:08d}" if rng.random() < 0.6 else None,
                "name": f"Customer {i}",
                "company_external_id": f"co{i % max(1, n // 10)}",
                "lifecycle_stage": rng.choice(stages),
                "segment": rng.choice(("smb", "mid", "enterprise", None)),
                "created_at": created,
                "updated_at": _later(rng, created, 24 * 200),
            },
            ({"OwnerId": f"u{i % 40}"} if rng.random() < 0.8 else {}),
        )


def companies(rng: random.Random, n: int) -> Iterator[tuple[str, dict[str, Any], dict[str, Any]]]:
    for i in range(n):
        yield f"co{i}", {"name": f"Company {i}", "domain": f"co{i}.test", "created_at": _when(rng)}, {}


def deals(
    rng: random.Random, n: int, n_customers: int
) -> Iterator[tuple[str, dict[str, Any], dict[str, Any]]]:
    for i in range(n):
        created = _when(rng)
        closed = _later(rng, created, 24 * 40) if rng.random() < 0.7 else None
        yield (
            f"d{i}",
            {
                "name": f"Deal {i}",
                "amount": float(rng.randrange(1000, 50_000)),
                "created_at": created,
                "closed_at": closed,
                "won": None if closed is None else rng.random() < 0.4,
                "customer_external_id": f"c{rng.randrange(n_customers)}",
            },
            {},
        )


def tickets(
    rng: random.Random, n: int, n_customers: int
) -> Iterator[tuple[str, dict[str, Any], dict[str, Any]]]:
    for i in range(n):
        created, channel = _when(rng), rng.choice(("email", "email", "chat", "phone", "web"))
        reply = _later(rng, created, 0.05 if channel == "chat" else 8) if rng.random() < 0.9 else None
        yield (
            f"t{i}",
            {
                "channel": channel,
                "status": "closed",
                "created_at": created,
                "first_response_at": reply,
                "resolved_at": _later(rng, created, 30) if rng.random() < 0.8 else None,
                "reopened": rng.random() < 0.05,
                "customer_external_id": f"c{rng.randrange(n_customers)}",
            },
            ({"assigned_at": _later(rng, created, 0.02).isoformat()} if rng.random() < 0.5 else {}),
        )


def interactions(
    rng: random.Random, n: int, n_customers: int
) -> Iterator[tuple[str, dict[str, Any], dict[str, Any]]]:
    for i in range(n):
        kind = rng.choice(("email", "email", "call", "task", "meeting", "chat"))
        yield (
            f"i{i}",
            {
                "type": kind,
                "channel": "phone" if kind == "call" else kind,
                "journey_stage": rng.choice(STAGES),
                "direction": rng.choice(("inbound", "outbound")),
                "automated": rng.random() < 0.3,
                "occurred_at": _when(rng),
                "customer_external_id": f"c{rng.randrange(n_customers)}",
            },
            {},
        )


def feedback(
    rng: random.Random,
    n: int,
    n_customers: int,
    n_tickets: int,
) -> Iterator[tuple[str, dict[str, Any], dict[str, Any]]]:
    scales = {"nps": (0, 10), "csat": (1, 5), "ces": (1, 7)}
    for i in range(n):
        metric = rng.choice(("nps", "nps", "csat", "csat", "ces"))
        low, high = scales[metric]
        yield (
            f"f{i}",
            {
                "metric": metric,
                "score": float(rng.randint(low, high)),
                "scale_min": low,
                "scale_max": high,
                "journey_stage": rng.choice(STAGES),
                "channel": rng.choice(("email", "chat")),
                "submitted_at": _when(rng),
                "customer_external_id": f"c{rng.randrange(n_customers)}",
                "ticket_external_id": f"t{rng.randrange(n_tickets)}" if metric == "csat" else None,
            },
            {},
        )


def web_metrics(rng: random.Random) -> Iterator[tuple[str, dict[str, Any], dict[str, Any]]]:
    first = END.date() - timedelta(days=729)
    for day in range(730):
        for group in ("organic", "paid", "email", "direct"):
            for device in ("desktop", "mobile"):
                for visitor in ("new", "returning"):
                    sessions = rng.randrange(50, 500)
                    yield (
                        f"w{day}-{group}-{device}-{visitor}",
                        {
                            "date": first + timedelta(days=day),
                            "channel_group": group,
                            "device": device,
                            "sessions": sessions,
                            "engaged_sessions": sessions * rng.randrange(40, 80) // 100,
                            "conversions": float(sessions * rng.randrange(1, 5) // 100),
                        },
                        {"newVsReturning": visitor},
                    )


def workload(scale: float) -> dict[str, Iterator[tuple[str, dict[str, Any], dict[str, Any]]]]:
    """Every record kind's rows for ``scale`` (1.0 = the SCORING.md workspace)."""
    rng = random.Random(7)
    n = {kind: max(1, int(count * scale)) for kind, count in BASE.items()}
    return {
        "customer": customers(rng, n["customer"]),
        "company": companies(rng, n["company"]),
        "deal": deals(rng, n["deal"], n["customer"]),
        "ticket": tickets(rng, n["ticket"], n["customer"]),
        "interaction": interactions(rng, n["interaction"], n["customer"]),
        "feedback": feedback(rng, n["feedback"], n["customer"], n["ticket"]),
        "web_metric": web_metrics(rng),
    }


def rows(
    kind: str,
    source: Iterator[tuple[str, dict[str, Any], dict[str, Any]]],
    scope: tuple[UUID, UUID, UUID],
    sqlite: bool,
) -> tuple[list[str], Iterator[tuple[Any, ...]]]:
    """Column names and value tuples ready for COPY (PostgreSQL) or executemany (SQLite)."""
    first_id, first, first_raw = next(source)
    columns = [*COMMON, *first]
    synced = END + timedelta(days=1)

    def convert(value: Any) -> Any:
        if not sqlite:
            return value
        if isinstance(value, datetime):
            return str(value.astimezone(UTC))
        if isinstance(value, date | UUID):
            return value.isoformat() if isinstance(value, date) else str(value)
        return value

    def generate() -> Iterator[tuple[Any, ...]]:
        for external_id, values, raw in itertools.chain([(first_id, first, first_raw)], source):
            common = (*scope, external_id, "bench", "0" * 32, synced, False, json.dumps(raw))
            yield tuple(convert(v) for v in (*common, *values.values()))

    return columns, generate()
