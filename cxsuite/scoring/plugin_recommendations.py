"""Plugins' recommendations joined to the model's library for a score run.

A plugin's ``register_recommendations`` entries (a consultancy's own playbook) are checked with
the rules the model file's library obeys — a known dimension, stages of the model, effort and
levels 1..5, a KPI movement that names its source (``source: default`` only for a movement that
reads "Assumption: …") — and an id that is not already taken. An entry that breaks one is
reported as a plugin problem (``cxsuite plugins list`` shows it) and left out; the others become
opportunities exactly like library actions, so they reach the stored run and the report.
"""

from __future__ import annotations

from typing import Any

import msgspec

from cxsuite.plugin_manager import Plugins
from cxsuite.scoring.schema import Recommendation, ScoringModel
from cxsuite.scoring.validation import library_problems

HOOK = "register_recommendations"


def plugin_recommendations(plugins: Plugins, model: ScoringModel) -> tuple[Recommendation, ...]:
    """The valid recommendations plugins register for ``model``, in registration order."""
    accepted: list[Recommendation] = []
    taken = {rec.id for rec in model.recommendations}
    for plugin, entry in plugins.entries(HOOK):
        rec, problem = _checked(entry, model, accepted, taken)
        if rec is None:
            plugins.report(plugin, f"recommendation {_id_of(entry)!r} skipped: {problem}")
            continue
        taken.add(rec.id)
        accepted.append(rec)
    return tuple(accepted)


def _checked(entry: Any, model: ScoringModel, accepted: list[Recommendation], taken: set[str],
             ) -> tuple[Recommendation | None, str]:
    try:
        rec = msgspec.convert(entry, Recommendation)
    except (msgspec.ValidationError, TypeError) as exc:
        return None, str(exc)
    if rec.id in taken:
        return None, "its id is already used by the library or another plugin"
    library = (*model.recommendations, *accepted, rec)
    mine = f"recommendations[{len(library) - 1}]"
    problems = [f"{path.split(' ', 1)[-1]}: {reason}" for path, reason in
                library_problems(msgspec.structs.replace(model, recommendations=library))
                if path.startswith(mine)]
    return (None, "; ".join(problems)) if problems else (rec, "")


def _id_of(entry: Any) -> str:
    return str(entry.get("id", "?")) if isinstance(entry, dict) else repr(entry)[:60]
