"""Two years of daily GA4 web metrics for the world's company, with weekly seasonality.

One row per date × default channel group × device category × landing page × new or
returning visitor, the grain a CX audit reads from GA4; the GA4 stand-in aggregates these rows
to whatever dimensions a runReport asks for. Combinations with no sessions are absent, as in GA4.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import date, timedelta

CHANNEL_GROUPS = {
    "Organic Search": 0.34,
    "Direct": 0.22,
    "Paid Search": 0.16,
    "Email": 0.1,
    "Organic Social": 0.1,
    "Referral": 0.08,
}
DEVICES = {"mobile": 0.58, "desktop": 0.37, "tablet": 0.05}
LANDING_PAGES = {
    "/": 0.38,
    "/products": 0.22,
    "/pricing": 0.12,
    "/blog/care-guide": 0.14,
    "/support": 0.09,
    "/contact": 0.05,
}
# Share of a channel's sessions from returning visitors (GA4 ``newVsReturning``); the rest are new.
RETURNING_SHARE = {"Direct": 0.55, "Email": 0.7, "Referral": 0.3}
DEFAULT_RETURNING_SHARE = 0.25
RETURNING_CONVERSION_LIFT = 1.6  # returning visitors reach a key event more often
# Monday first: business traffic dips at the weekend.
WEEKDAY_FACTOR = (1.12, 1.1, 1.06, 1.03, 0.97, 0.84, 0.88)


@dataclass(frozen=True)
class WebMetricRow:
    """One day's traffic for one channel group, device and landing page."""

    day: date
    channel_group: str
    device: str
    landing_page: str
    sessions: int
    engaged_sessions: int
    key_events: int
    revenue: float
    visitor: str = "new"  # GA4 newVsReturning: "new" or "returning"


def generate_web_metrics(rng: random.Random, end: date, days: int, size: int) -> list[WebMetricRow]:
    """Daily rows for ``days`` days up to (excluding) ``end``; traffic scales with ``size``."""
    base = size * 0.6
    rows: list[WebMetricRow] = []
    for offset in range(days, 0, -1):
        day = end - timedelta(days=offset)
        trend = 1 + 0.15 * (days - offset) / 365
        daily = base * trend * WEEKDAY_FACTOR[day.weekday()] * rng.uniform(0.85, 1.15)
        rows.extend(_day_rows(rng, day, daily))
    return rows


def _day_rows(rng: random.Random, day: date, daily: float) -> list[WebMetricRow]:
    """Split one day's sessions over the dimension combinations."""
    rows = []
    for channel, c_share in CHANNEL_GROUPS.items():
        for device, d_share in DEVICES.items():
            for page, p_share in LANDING_PAGES.items():
                sessions = int(rng.gauss(daily * c_share * d_share * p_share, 0.6) + 0.5)
                if sessions > 0:
                    rows.extend(split_by_visitor(_row(rng, day, (channel, device, page), sessions)))
    return rows


def split_by_visitor(row: WebMetricRow) -> list[WebMetricRow]:
    """A combination's traffic as its new and returning visitors' rows (without drawing from the
    generator, so every other figure of the world stays as it was); empty parts are left out."""
    share = RETURNING_SHARE.get(row.channel_group, DEFAULT_RETURNING_SHARE)
    sessions = round(row.sessions * share)
    # Engaged sessions never outnumber sessions on either side.
    engaged = row.engaged_sessions - min(row.sessions - sessions, round(row.engaged_sessions * (1 - share)))
    weight = sessions * RETURNING_CONVERSION_LIFT
    key_share = weight / (weight + row.sessions - sessions) if row.sessions else 0.0
    key_events = min(sessions, round(row.key_events * key_share))
    revenue = round(row.revenue * key_events / row.key_events, 2) if row.key_events else 0.0
    returning = replace(row, sessions=sessions, engaged_sessions=engaged, key_events=key_events,
                        revenue=revenue, visitor="returning")
    new = replace(row, sessions=row.sessions - sessions, engaged_sessions=row.engaged_sessions - engaged,
                  key_events=row.key_events - key_events, revenue=round(row.revenue - revenue, 2),
                  visitor="new")
    return [part for part in (new, returning) if part.sessions > 0]


def _row(rng: random.Random, day: date, key: tuple[str, str, str], sessions: int) -> WebMetricRow:
    """Engagement ~60 %, key events ~3 % of sessions (more on desktop), revenue per key event ~€85."""
    engaged = min(sessions, int(sessions * rng.uniform(0.5, 0.72) + 0.5))
    rate = 0.04 if key[1] == "desktop" else 0.025
    key_events = sum(1 for _ in range(sessions) if rng.random() < rate)
    revenue = round(sum(rng.lognormvariate(4.3, 0.5) for _ in range(key_events)), 2)
    return WebMetricRow(day, *key, sessions, engaged, key_events, revenue)
