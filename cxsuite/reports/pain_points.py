"""The journey map's pain points as the report prints them, from the stages' counted evidence.

One path for real runs and the sample report: each pain point comes with the number of records
behind it (:mod:`cxsuite.scoring.journey_evidence` counts them) and a severity from its share of
its stage's records, so no pain point is ever printed without its n.
"""

from __future__ import annotations

from collections.abc import Sequence

from cxsuite.reports import document as doc
from cxsuite.reports.figures import N_
from cxsuite.scoring.journey_evidence import StageEvidence

PAIN_SOURCES = {"feedback": N_("Comment with a low rating"), "ticket": N_("Reason for contacting support")}


def severity(n: int, total: int) -> int:
    """3 when the theme is at least a fifth of the stage's records, 2 from a twentieth, else 1."""
    share = n / total if total else 0.0
    return 3 if share >= 0.2 else 2 if share >= 0.05 else 1


def pain_points(stages: Sequence[StageEvidence]) -> tuple[doc.PainPoint, ...]:
    """Every stage's pain points, ranked by their records (the largest first, journey order on a tie)."""
    return tuple(sorted((doc.PainPoint(s.stage, p.quote, doc.Term(PAIN_SOURCES[p.source]),
                                       severity(p.n, s.total), n=p.n, quote=p.quote)
                         for s in stages for p in s.pain_points), key=lambda p: -p.n))
