"""Journey maturity scoring: pure, versioned, explainable, no database.

What this package owns (SCORING.md): the scoring model as data (``model/v1.yaml``), the
standard CX formulas, the engine that turns metric values and questionnaire answers into
stage × dimension maturity scores with confidence and evidence, and opportunity scoring.
What it does not own: computing metric values from imported records (the SQL metrics engine
does that, where the data lives, and hands the values in), storing score runs, and rendering.

Public API:

- ``shipped_model()``, ``load_model(path)``, ``parse_model(data, origin)``: a validated
  :class:`ScoringModel`; ``content_hash(model)``; ``model_to_dict(model)`` to store it;
  ``derive_model(base, ModelOverrides(...))`` for a tenant's model, versioned
  ``<base>+tenant.<hash8>``.
- ``score(model, journey, metrics, answers) -> ScoreResult`` with inputs :class:`Journey`
  (:class:`StageSpec` per stage), :class:`MetricValue` and :class:`Answer`;
  ``ScoreResult.encode()`` gives canonical JSON bytes for storage.
- ``find_opportunities(model, result, business) -> tuple[Opportunity, ...]`` with optional
  :class:`StageBusiness` figures per stage.
- :mod:`cxsuite.scoring.formulas`: NPS (with margin of error), CSAT, CES v1/v2, median and
  P90, win rate, churn, repeat purchase rate, sales cycle, engagement rate.
- Errors: :class:`ScoringError` (a ``ValueError``) and its subclasses.

Everything is deterministic: same model and inputs, in any order, give identical bytes.
"""

from cxsuite.scoring.engine import score
from cxsuite.scoring.errors import InputInvalid, MixedScalesError, ModelInvalid, ScaleError, ScoringError
from cxsuite.scoring.inputs import Answer, Journey, MetricValue, StageSpec
from cxsuite.scoring.model import (
    ModelOverrides,
    ThresholdOverride,
    content_hash,
    derive_model,
    load_model,
    model_to_dict,
    parse_model,
    shipped_model,
)
from cxsuite.scoring.opportunities import Opportunity, StageBusiness, find_opportunities
from cxsuite.scoring.results import Cell, DimensionScore, EvidenceItem, Outcome, Overall, ScoreResult
from cxsuite.scoring.schema import ScoringModel

__all__ = [
    "Answer",
    "Cell",
    "DimensionScore",
    "EvidenceItem",
    "InputInvalid",
    "Journey",
    "MetricValue",
    "MixedScalesError",
    "ModelInvalid",
    "ModelOverrides",
    "Opportunity",
    "Outcome",
    "Overall",
    "ScaleError",
    "ScoreResult",
    "ScoringError",
    "ScoringModel",
    "StageBusiness",
    "StageSpec",
    "ThresholdOverride",
    "content_hash",
    "derive_model",
    "find_opportunities",
    "load_model",
    "model_to_dict",
    "parse_model",
    "score",
    "shipped_model",
]
