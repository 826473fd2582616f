"""Plain-language caveats printed beside a figure the client should not take at face value.

Scoring keeps every figure it computes; a report must not print "100 % duplicates" or "72,990
minutes to reply" as if they were facts. These rules read the figure and the data behind it and
return the catalogue sentences the report prints next to it (in the KPI table, the evidence
summary and the workbook), so a doubtful figure is always qualified where it is read.
"""

from __future__ import annotations

from cxsuite.reports.document import Term
from cxsuite.reports.figures import N_

MIN_ANSWERS = 30
MIN_DAYS = 90
# Durations beyond these (in the unit the scorer reports) mean open items or broken timestamps,
# not a service level: a month for hours and minutes, a year for days.
IMPLAUSIBLE_DURATION = {"minutes": 30 * 24 * 60, "hours": 30 * 24, "days": 365}

FEW_ANSWERS = N_("Fewer than 30 answers: read as an indication, not a measurement.")
SHORT_PERIOD = N_("Less than 90 days of data: seasonal effects may be missing.")
EXTREME_SHARE = N_(
    "Exactly 0% or 100% usually means the field is not recorded; check the data before acting."
)
LONG_DURATION = N_("Unusually long: probably open or unlogged items; check the data before acting.")
NOT_MEASURED = N_("Not enough data to calculate this figure.")
NO_SOURCE = N_("None of the connected sources records what this figure needs.")
FLAGGED = N_("Looks implausible, so it was left out of the maturity score; check the data before acting.")
INSUFFICIENT = N_("Insufficient evidence")
# The scorer's reason when a metric simply had no records (cxsuite.scoring.metrics.scope.NO_RECORDS).
NO_RECORDS_REASON = "no records in the period"


def caveats_for(value: float | None, unit: str | None, *, n: int | None = None,
                days: float | None = None, answers: bool = False) -> tuple[Term, ...]:
    """The caveats of one figure; ``unit`` is the scorer's unit key (``percent``, ``hours`` …) and
    ``answers`` says ``n`` counts survey answers (where 30 is the usual minimum)."""
    if value is None:
        return (Term(NOT_MEASURED),)
    found = []
    if unit == "percent" and value in (0, 100):
        found.append(EXTREME_SHARE)
    if unit in IMPLAUSIBLE_DURATION and value > IMPLAUSIBLE_DURATION[unit]:
        found.append(LONG_DURATION)
    if answers and n is not None and n < MIN_ANSWERS:
        found.append(FEW_ANSWERS)
    if days is not None and days < MIN_DAYS:
        found.append(SHORT_PERIOD)
    return tuple(Term(text) for text in found)


def state_caveats(status: str, reason: str | None, value: float | None, unit: str | None,
                  n: int | None = None, *, answers: bool = False) -> tuple[Term, ...]:
    """The caveats of a metric the scorer could not use (``cxsuite.scoring.results.MetricState``):
    why there is no figure, or that the figure was flagged and left out of the score."""
    if status == "insufficient":
        return (Term(NOT_MEASURED if reason in (None, NO_RECORDS_REASON) else NO_SOURCE),)
    return (Term(FLAGGED), *caveats_for(value, unit, n=n, answers=answers))
