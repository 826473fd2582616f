"""The consultant's editing pages of a project: business value inputs beside the ranked
priorities, the report's own text, the stage mapping and the journey model.

Each page reads and writes one existing ``/api/v1`` resource; nothing here validates or
computes. Form fields are named like the API's fields (``stages[0].revenue``) so a refusal's
``errors[].field`` lands next to its input. Rows left empty are not sent, so the indexes the
API names are mapped back to the rows of the form (:func:`_rows_back`).
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from typing import Any
from uuid import UUID

from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath

from cxsuite.console.api import ApiError
from cxsuite.console.context import Console, redirect, shown
from cxsuite.console.forms import FormState, form_of, refusable
from cxsuite.console.messages import PRIORITY_BASES, PRIORITY_FORMULA, VALUE_BASES
from cxsuite.console.pages.home import items

FIGURES = ("customers", "revenue", "average_order_value", "margin", "lost_deal_value", "churned_revenue",
           "abandoned_sessions", "contact_share")
RULE_FIELDS = ("stage", "source", "channel", "type", "touchpoint", "lifecycle", "touchpoint_name")
SOURCES = ("feedback", "ticket", "interaction")
BLANK_ROWS = 2
_INDEX = re.compile(r"^(\w+)\[(\d+)\](.*)$")


def _rows_back(error: ApiError, sent: dict[str, list[int]]) -> ApiError:
    """``stages[1].x`` of the sent list becomes ``stages[4].x``, the form row it came from."""
    fields = {}
    for name, reason in error.fields.items():
        match = _INDEX.match(name)
        if match and match.group(1) in sent and int(match.group(2)) < len(sent[match.group(1)]):
            name = f"{match.group(1)}[{sent[match.group(1)][int(match.group(2))]}]{match.group(3)}"
        fields[name] = reason
    return ApiError(error.status, error.detail, error.title, fields)


def _number(text: str) -> float | int | str | None:
    """A form's number as the API takes it; text that is no number goes as it is (the API
    names the field)."""
    if text == "":
        return None
    try:
        value = float(text.replace(",", "."))
    except ValueError:
        return text
    return int(value) if value.is_integer() else value


def _levels(text: str) -> dict[str, Any]:
    """``dimension=level, …`` as the API's map of dimension to level."""
    pairs = (part.partition("=") for part in text.split(","))
    return {k.strip(): _number(v.strip()) for k, _, v in pairs if k.strip()}


def _rows(values: dict[str, str], prefix: str) -> dict[int, dict[str, str]]:
    """``prefix[i].name`` fields grouped by row ``i``."""
    rows: dict[int, dict[str, str]] = {}
    for name, value in values.items():
        match = _INDEX.match(name)
        if match and match.group(1) == prefix and match.group(3).startswith("."):
            rows.setdefault(int(match.group(2)), {})[match.group(3)[1:]] = value
    return dict(sorted(rows.items()))


async def _latest_run(c: Console, project_id: UUID) -> dict[str, Any] | None:
    runs = await items(c, f"/projects/{project_id}/score-runs", limit=10)
    return next((r for r in runs if r.get("status") == "succeeded"), None)


Body = tuple[dict[str, Any], dict[str, list[int]]]
"""What a form sends: the API's body, and per list the form rows its entries came from."""


async def _submitted(request: Request, project_id: UUID, resource: str,
                     body_of: Callable[[Console, UUID, dict[str, str]], Awaitable[Body]],
                     page: Callable[..., Awaitable[Response[str]]]) -> Response[Any]:
    """The whole of a save: the form read, ``body_of`` it PUT to ``/projects/{id}/{resource}``;
    a refusal shows ``page`` again with the values sent and each error at its field."""
    values = await form_of(request)
    async with await Console.open(request) as c:
        body, sent = await body_of(c, project_id, values)
        try:
            await c.api.call("PUT", f"/projects/{project_id}/{resource}", json=body)
        except ApiError as error:
            if not refusable(error):
                raise
            return await page(c, project_id, error.status, FormState.refused(values, _rows_back(error, sent)))
        return redirect(f"/p/{project_id}/{resource}", "edits-saved")


class EditingPages(Controller):
    """Value inputs, report text, stage mapping and journey model of one project."""

    @get("/p/{project_id:uuid}/value-inputs")
    async def value_inputs(self, request: Request, project_id: FromPath[UUID]) -> Response[Any]:
        """Figures or a judgement per stage, effort and confidence per opportunity, and the
        ranked priorities they produce."""
        return await shown(request, _value_page, project_id)

    @post("/p/{project_id:uuid}/value-inputs")
    async def save_value_inputs(self, request: Request, project_id: FromPath[UUID]) -> Response[Any]:
        """Replace the value inputs with what the form holds."""
        return await _submitted(request, project_id, "value-inputs", _value_body, _value_page)

    @get("/p/{project_id:uuid}/report-text")
    async def report_text(self, request: Request, project_id: FromPath[UUID]) -> Response[Any]:
        """Executive summary, commentary per stage and a note per opportunity."""
        return await shown(request, _text_page, project_id)

    @post("/p/{project_id:uuid}/report-text")
    async def save_report_text(self, request: Request, project_id: FromPath[UUID]) -> Response[Any]:
        """Replace the report text (empty boxes are left out)."""
        return await _submitted(request, project_id, "report-text", _text_body, _text_page)

    @get("/p/{project_id:uuid}/journey-mapping")
    async def journey_mapping(self, request: Request, project_id: FromPath[UUID]) -> Response[Any]:
        """The rules that attribute records to stages, and the defaults tried after them."""
        return await shown(request, _mapping_page, project_id)

    @post("/p/{project_id:uuid}/journey-mapping")
    async def save_journey_mapping(self, request: Request, project_id: FromPath[UUID]) -> Response[Any]:
        """Replace the rules; a row without a stage is dropped."""
        return await _submitted(request, project_id, "journey-mapping", _mapping_body, _mapping_page)

    @get("/p/{project_id:uuid}/journey")
    async def journey(self, request: Request, project_id: FromPath[UUID]) -> Response[Any]:
        """The journey's stages, their touchpoints and target levels."""
        return await shown(request, _journey_page, project_id)

    @post("/p/{project_id:uuid}/journey")
    async def save_journey(self, request: Request, project_id: FromPath[UUID]) -> Response[Any]:
        """Store a new journey version over the one the form was read at (409 if stale)."""
        return await _submitted(request, project_id, "journey", _journey_body, _journey_page)


async def _value_body(c: Console, project_id: UUID, values: dict[str, str]) -> Body:
    body: dict[str, Any] = {"currency": values.get("currency", "").upper(), "stages": [], "opportunities": []}
    sent: dict[str, list[int]] = {"stages": [], "opportunities": []}
    for i, row in _rows(values, "stages").items():
        given = {k: _number(row.get(k, "")) for k in (*FIGURES, "judgement")}
        given = {k: v for k, v in given.items() if v is not None}
        if given or row.get("reason"):
            body["stages"].append({"stage": row.get("stage", ""), **given, "reason": row.get("reason", "")})
            sent["stages"].append(i)
    for i, row in _rows(values, "opportunities").items():
        given = {k: _number(row.get(k, "")) for k in ("effort", "confidence")}
        given = {k: v for k, v in given.items() if v is not None}
        if given or row.get("reason"):
            body["opportunities"].append({"recommendation_id": row.get("recommendation_id", ""),
                                          "stage": row.get("stage") or None, **given,
                                          "reason": row.get("reason", "")})
            sent["opportunities"].append(i)
    # Overrides of opportunities this form did not show (not in the latest run) are kept.
    shown_here = {(r.get("recommendation_id"), r.get("stage") or None)
                  for r in _rows(values, "opportunities").values()}
    stored = (await c.api.get(f"/projects/{project_id}/value-inputs"))["inputs"]
    body["opportunities"] += [
        o for o in stored.get("opportunities") or []
        if (o["recommendation_id"], o.get("stage")) not in shown_here
        and not (o.get("stage") is None and o["recommendation_id"] in {rec for rec, _ in shown_here})]
    return body, sent


async def _text_body(c: Console, project_id: UUID, values: dict[str, str]) -> Body:
    body: dict[str, Any] = {"executive_summary": values.get("executive_summary", ""),
                            "stage_commentary": {}, "opportunity_notes": {}}
    for name, value in values.items():
        part, _, key = name.partition(".")
        if part in ("stage_commentary", "opportunity_notes") and key and value:
            body[part][key] = value
    # Notes on opportunities the form did not show (not in the latest run) are kept.
    shown_here = {name.partition(".")[2] for name in values if name.startswith("opportunity_notes.")}
    stored = (await c.api.get(f"/projects/{project_id}/report-text"))["text"]
    for key, text in (stored.get("opportunity_notes") or {}).items():
        if key not in shown_here:
            body["opportunity_notes"][key] = text
    return body, {}


async def _mapping_body(c: Console, project_id: UUID, values: dict[str, str]) -> Body:
    rules, sent = [], []
    for i, row in _rows(values, "rules").items():
        if not row.get("stage"):
            continue
        rule: dict[str, Any] = {k: row[k] for k in RULE_FIELDS if row.get(k)}
        if row.get("linked_ticket") in ("yes", "no"):
            rule["linked_ticket"] = row["linked_ticket"] == "yes"
        rules.append(rule)
        sent.append(i)
    return {"rules": rules}, {"rules": sent}


async def _journey_body(c: Console, project_id: UUID, values: dict[str, str]) -> Body:
    stages, sent = [], []
    for i, row in _rows(values, "stages").items():
        if not row.get("key") and not row.get("name"):
            continue
        stage: dict[str, Any] = {"key": row.get("key", ""), "name": row.get("name", "")}
        stage["touchpoints"] = [
            {"name": name.strip(), "channel": channel.strip()}
            for name, _, channel in (t.rpartition(":") for t in row.get("touchpoints", "").split(";"))
            if name.strip() or channel.strip()]
        stage["targets"] = _levels(row.get("targets", ""))
        if row.get("applicability"):
            stage["applicability"] = _levels(row["applicability"])
        stages.append(stage)
        sent.append(i)
    return {"version": _number(values.get("version", "0")) or 0, "stages": stages}, {"stages": sent}


def _row_count(form: FormState, prefix: str) -> int:
    """How many ``prefix[i]`` rows the form holds (the highest index plus one)."""
    found = [int(m.group(2)) + 1 for m in map(_INDEX.match, form.values) if m and m.group(1) == prefix]
    return max(found, default=0)


def _shown(value: Any) -> Any:
    """A stored value as the form shows it: nothing for none, 1200000 rather than 1200000.0."""
    if value is None:
        return ""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _pairs(mapping: dict[str, Any]) -> str:
    return ", ".join(f"{k}={v}" for k, v in mapping.items())


async def _value_page(c: Console, project_id: UUID, status: int = 200,
                      form: FormState | None = None) -> Response[str]:
    project = await c.api.get(f"/projects/{project_id}")
    journey = await c.api.get(f"/projects/{project_id}/journey")
    current = await c.api.get(f"/projects/{project_id}/value-inputs")
    latest = await _latest_run(c, project_id)
    priorities = (await c.api.get(f"/score-runs/{latest['id']}/priorities")) if latest else None
    form = form or FormState()
    if not form.values and not form.errors:
        inputs = current["inputs"]
        given = {s["stage"]: s for s in inputs.get("stages") or []}
        form.values["currency"] = inputs.get("currency", "")
        for i, stage in enumerate(journey["stages"]):
            for k, v in given.get(stage["key"], {}).items():
                form.values[f"stages[{i}].{k}"] = _shown(v)
        overrides = {(o["recommendation_id"], o.get("stage")): o for o in inputs.get("opportunities") or []}
        for i, p in enumerate((priorities or {}).get("priorities") or []):
            rec = p["recommendation_id"]
            o = overrides.get((rec, p["stage"])) or overrides.get((rec, None))
            for k in ("effort", "confidence", "reason"):
                form.values[f"opportunities[{i}].{k}"] = _shown(o.get(k)) if o else ""
    bases = {b["stage"]: VALUE_BASES.get(b["basis"]) for b in current.get("stages") or []}
    formula = (priorities or {}).get("formula", "")
    return c.page("edit_values.html", status_code=status, project=project, stages=journey["stages"],
                  stage_names={s["key"]: s["name"] for s in journey["stages"]}, bases=bases,
                  priorities=priorities, figures=FIGURES, form=form,
                  basis_words={k: c.translate(v) for k, v in PRIORITY_BASES.items()},
                  formula=c.translate(PRIORITY_FORMULA) if formula == PRIORITY_FORMULA else formula)


async def _text_page(c: Console, project_id: UUID, status: int = 200,
                     form: FormState | None = None) -> Response[str]:
    project = await c.api.get(f"/projects/{project_id}")
    journey = await c.api.get(f"/projects/{project_id}/journey")
    current = (await c.api.get(f"/projects/{project_id}/report-text"))["text"]
    latest = await _latest_run(c, project_id)
    priorities = (await c.api.get(f"/score-runs/{latest['id']}/priorities"))["priorities"] if latest else []
    seen: set[str] = set()
    opportunities = []
    for p in priorities:  # one note per recommendation, at its best-ranked stage
        if p["recommendation_id"] not in seen:
            seen.add(p["recommendation_id"])
            opportunities.append(p)
    form = form or FormState()
    if not form.values and not form.errors:
        form.values["executive_summary"] = current.get("executive_summary", "")
        for part in ("stage_commentary", "opportunity_notes"):
            for k, v in (current.get(part) or {}).items():
                form.values[f"{part}.{k}"] = v
    return c.page("edit_text.html", status_code=status, project=project, stages=journey["stages"],
                  opportunities=opportunities, form=form)


async def _mapping_page(c: Console, project_id: UUID, status: int = 200,
                        form: FormState | None = None) -> Response[str]:
    project = await c.api.get(f"/projects/{project_id}")
    journey = await c.api.get(f"/projects/{project_id}/journey")
    current = await c.api.get(f"/projects/{project_id}/journey-mapping")
    form = form or FormState()
    if not form.values and not form.errors:
        for i, rule in enumerate(current.get("rules") or []):
            for k, v in rule.items():
                form.values[f"rules[{i}].{k}"] = ("yes" if v else "no") if k == "linked_ticket" else v
    count = _row_count(form, "rules")
    return c.page("edit_mapping.html", status_code=status, project=project, stages=journey["stages"],
                  defaults=current.get("defaults") or [], rows=range(count + BLANK_ROWS), sources=SOURCES,
                  fields=RULE_FIELDS, form=form)


async def _journey_page(c: Console, project_id: UUID, status: int = 200,
                        form: FormState | None = None) -> Response[str]:
    project = await c.api.get(f"/projects/{project_id}")
    journey = await c.api.get(f"/projects/{project_id}/journey")
    form = form or FormState()
    if not form.values and not form.errors:
        form.values["version"] = journey["version"]
        for i, stage in enumerate(journey["stages"]):
            form.values[f"stages[{i}].key"] = stage["key"]
            form.values[f"stages[{i}].name"] = stage["name"]
            form.values[f"stages[{i}].touchpoints"] = "; ".join(
                f"{t['name']}:{t['channel']}" for t in stage.get("touchpoints") or [])
            form.values[f"stages[{i}].targets"] = _pairs(stage.get("targets") or {})
            form.values[f"stages[{i}].applicability"] = _pairs(stage.get("applicability") or {})
    elif form.errors:
        # A nested field (stages[0].touchpoints[1].name) is shown at its row's input.
        for name in list(form.errors):
            match = re.match(r"^(stages\[\d+\]\.(?:touchpoints|targets|applicability))\b", name)
            if match and match.group(1) != name:
                form.errors.setdefault(match.group(1), form.errors.pop(name))
    count = _row_count(form, "stages")
    return c.page("edit_journey.html", status_code=status, project=project, journey=journey,
                  rows=range(count + 1), form=form)
