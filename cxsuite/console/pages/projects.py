"""A project: audit period, scoring, the maturity grid with drill-down, reports, the
questionnaire and what later stages (priorities, business inputs) attach to."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath

from cxsuite.console.api import ApiError
from cxsuite.console.context import Console, deleted, redirect, shown
from cxsuite.console.forms import FormState, form_of, refusable
from cxsuite.console.grid import grid_of
from cxsuite.console.pages.home import items

REPORT_LANGUAGES = ("en", "lt", "lv", "ru", "fa")


class ProjectPages(Controller):
    """Project pages."""

    @get("/p/{project_id:uuid}")
    async def show(self, request: Request, project_id: FromPath[UUID]) -> Response[Any]:
        """The project at a glance: period, latest grid, runs and reports."""
        return await shown(request, _page, project_id)

    @post("/p/{project_id:uuid}")
    async def save(self, request: Request, project_id: FromPath[UUID]) -> Response[Any]:
        """Name and audit period."""
        values = await form_of(request)
        async with await Console.open(request) as c:
            body = {"name": values.get("name") or None, "period_start": values.get("period_start") or None,
                    "period_end": values.get("period_end") or None}
            try:
                await c.api.call("PATCH", f"/projects/{project_id}",
                                 json={k: v for k, v in body.items() if v is not None})
            except ApiError as error:
                if not refusable(error):
                    raise
                return await _page(c, project_id, status=error.status, form=FormState.refused(
                    values, error, known=("name", "period_start", "period_end")))
            return redirect(f"/p/{project_id}", "project-saved")

    @post("/p/{project_id:uuid}/archive")
    async def archive(self, request: Request, project_id: FromPath[UUID]) -> Response[Any]:
        """Archive (the API's delete) the project."""
        return await deleted(request, f"/projects/{project_id}", "project-archived")

    @post("/p/{project_id:uuid}/score")
    async def score(self, request: Request, project_id: FromPath[UUID]) -> Response[Any]:
        """Start a score run and watch it."""
        async with await Console.open(request) as c:
            accepted = await c.api.post(f"/projects/{project_id}/score-runs", {})
            job = accepted.get("job")
            if job:
                return redirect(f"/jobs/{job['id']}?back=/p/{project_id}")
            return redirect(f"/p/{project_id}/runs/{accepted['run']['id']}")

    @post("/p/{project_id:uuid}/reports")
    async def render(self, request: Request, project_id: FromPath[UUID]) -> Response[Any]:
        """Generate the PDF report of the latest score run, in the chosen language."""
        values = await form_of(request)
        async with await Console.open(request) as c:
            language = values.get("language") if values.get("language") in REPORT_LANGUAGES else None
            try:
                accepted = await c.api.post(f"/projects/{project_id}/reports",
                                            {"language": language} if language else {})
            except ApiError as error:
                if not refusable(error):
                    raise
                return await _page(c, project_id, status=error.status,
                                   report_form=FormState.refused(values, error, known=("language",)))
            return redirect(f"/jobs/{accepted['job']['id']}?back=/p/{project_id}")

    @get("/p/{project_id:uuid}/runs/{run_id:uuid}")
    async def run(self, request: Request, project_id: FromPath[UUID],
                  run_id: FromPath[UUID]) -> Response[str]:
        """The maturity grid of one run; each cell opens to its metrics, evidence and caveats."""
        async with await Console.open(request) as c:
            project = await c.api.get(f"/projects/{project_id}")
            run = await c.api.get(f"/score-runs/{run_id}")
            journey = await c.api.get(f"/projects/{project_id}/journey")
            return c.page("run.html", project=project, run=run,
                          grid=grid_of(run.get("result"), journey["stages"], c.language))

    @get("/p/{project_id:uuid}/questionnaire")
    async def questionnaire(self, request: Request, project_id: FromPath[UUID]) -> Response[str]:
        """The questionnaire, one question per fieldset, answers pre-filled."""
        async with await Console.open(request) as c:
            project = await c.api.get(f"/projects/{project_id}")
            questionnaire = await c.api.get(f"/projects/{project_id}/questionnaire")
            journey = await c.api.get(f"/projects/{project_id}/journey")
            named = {s["key"]: s.get("name") or s["key"] for s in journey.get("stages") or []}
            asked = {stage for item in questionnaire["items"] for stage in item["stages"]}
            stages = [(k, n) for k, n in named.items() if k in asked]
            stages += [(k, k) for k in sorted(asked - set(named))]
            return c.page("questionnaire.html", project=project, questionnaire=questionnaire, stages=stages)

    @post("/p/{project_id:uuid}/questionnaire")
    async def answer(self, request: Request, project_id: FromPath[UUID]) -> Response[Any]:
        """Save every answered question (``a:<item>:<stage>`` fields; "0" is don't know)."""
        values = await form_of(request)
        async with await Console.open(request) as c:
            answers = []
            for name, value in values.items():
                if name.startswith("a:") and value != "":
                    _, item_id, stage = name.split(":", 2)
                    answers.append({"item_id": item_id, "stage": stage,
                                    "answer": None if value == "0" else int(value)})
            if answers:
                await c.api.call("PUT", f"/projects/{project_id}/questionnaire/answers",
                                 json={"answers": answers})
            return redirect(f"/p/{project_id}", "answers-saved")


async def _page(c: Console, project_id: UUID, status: int = 200, **forms: FormState) -> Response[str]:
    project = await c.api.get(f"/projects/{project_id}")
    role = c.role_in(project["workspace_id"])
    staff = role in ("owner", "consultant")
    runs = await items(c, f"/projects/{project_id}/score-runs", limit=10) if staff else []
    latest = next((r for r in runs if r.get("status") == "succeeded"), None)
    grid = None
    if latest is not None:
        journey = await c.api.get(f"/projects/{project_id}/journey")
        grid = grid_of((await c.api.get(f"/score-runs/{latest['id']}")).get("result"), journey["stages"],
                       c.language)
    reports = await items(c, f"/projects/{project_id}/reports", limit=20)
    return c.page("project.html", status_code=status, project=project, role=role, staff=staff, runs=runs,
                  latest=latest, grid=grid, reports=reports, report_languages=REPORT_LANGUAGES,
                  form=forms.get("form", FormState()), report_form=forms.get("report_form", FormState()))
