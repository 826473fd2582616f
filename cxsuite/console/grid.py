"""The maturity grid as a table: stages across, dimensions down, each cell with what it was
scored from (metrics, evidence, caveats), read from a score run's stored result.

Stage and dimension names are shown as the report shows them: the journey's name of a stage
(the consultant may rename one), and a name that is the scoring model's own term (``Onboarding``,
``Customer understanding``) in the page's language through the report's catalogue."""

from __future__ import annotations

from typing import Any

from cxsuite.console.i18n import model_term


def grid_of(result: dict[str, Any] | None, stages: list[dict[str, Any]] | None = None,
            language: str = "en") -> dict[str, Any] | None:
    """``{"stages", "stage_names", "names" (key → name), "rows": [[cell | None, ...]], "overall"}``
    or ``None``; ``stages`` are the journey's (``{"key", "name"}``; keys stand in for names without)."""
    if not result:
        return None
    term = model_term(language)
    cells = result.get("cells") or []
    keys = list(result.get("stages") or []) or _ordered(c.get("stage") for c in cells)
    named = {s.get("key"): s.get("name") for s in stages or [] if isinstance(s, dict)}
    dimensions = _ordered(c.get("dimension") for c in cells)
    by_key = {(c.get("dimension"), c.get("stage")): c for c in cells}
    names = {d.get("key"): d.get("name") or d.get("key") for d in result.get("dimensions") or []
             if isinstance(d, dict)}
    rows = [{"dimension": d, "name": term(names.get(d) or d), "cells": [by_key.get((d, s)) for s in keys]}
            for d in dimensions]
    shown = [term(named[s]) if named.get(s) else s for s in keys]
    return {"stages": keys, "stage_names": shown, "names": dict(zip(keys, shown, strict=True)), "rows": rows,
            "overall": result.get("overall") or {}, "dimensions": result.get("dimensions") or []}


def _ordered(values: Any) -> list[str]:
    seen: list[str] = []
    for value in values:
        if value is not None and value not in seen:
            seen.append(value)
    return seen
