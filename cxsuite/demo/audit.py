"""The demo audit, step by step, over the public HTTP API (the same paths a client uses)."""

from __future__ import annotations

import asyncio
import json
import logging
import shutil
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import anyio
import httpx
from PIL import Image, ImageDraw
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from cxsuite.db.migrate import run_migrations
from cxsuite.demo.consultant import VALUE_INPUTS, report_text
from cxsuite.demo.services import api_server, demo_settings, free_port, sandbox
from cxsuite.reports.service import evidence_filename
from cxsuite.sandbox.connections import SANDBOX_CONFIG, sandbox_config
from cxsuite.scoring import shipped_model

CLIENT_NAME = "Aurora Home & Garden"
PASSWORD = "demo-password-2026"  # noqa: S105 - the demo tenant's, on a throw-away database
SAMPLE = Path(__file__).with_name("questionnaire_sample.json")
TERMINAL = ("succeeded", "failed", "cancelled")


@dataclass
class DemoResult:
    """What the summary shows."""

    client_name: str
    records: dict[str, int] = field(default_factory=dict)
    failures: dict[str, str] = field(default_factory=dict)
    overall: dict[str, Any] = field(default_factory=dict)
    top: list[str] = field(default_factory=list)
    ranked: list[str] = field(default_factory=list)
    pdf: Path | None = None
    console_url: str = ""
    logins: list[tuple[str, str, str]] = field(default_factory=list)
    sandbox_url: str = ""


class Api:
    """An authenticated client that fails loudly with the API's own problem details."""

    def __init__(self, http: httpx.AsyncClient) -> None:
        self.http, self.headers = http, {}

    async def call(self, method: str, path: str, expect: int = 200, **kwargs: Any) -> Any:
        response = await self.http.request(method, path, headers=self.headers, **kwargs)
        if response.status_code != expect:
            raise RuntimeError(f"{method} {path} answered {response.status_code}: {response.text[:300]}")
        return response.json() if "json" in response.headers.get("content-type", "") else response


async def run_demo(output: Path, size: int | str, language: str, console: Console,
                   serve: bool = False) -> DemoResult:
    """Run the whole audit; the data folder is recreated each time, so it can run again.

    With ``serve`` the app (console at ``/``) and the sandbox keep running after the audit,
    until the process is interrupted, so the demo tenant can be explored in a browser."""
    data_dir = output / ".cxsuite-demo"
    logging.getLogger("piccolo").setLevel(logging.WARNING)  # its engine version notice is noise here
    await anyio.to_thread.run_sync(_fresh, data_dir)
    with sandbox(size) as stand_in:
        port = free_port()
        settings = demo_settings(data_dir, stand_in, port)
        await run_migrations(settings)
        with api_server(settings, port) as base:
            async with httpx.AsyncClient(base_url=base, timeout=300) as http:
                result = await _audit(Api(http), stand_in, output, language, console)
            result.console_url, result.sandbox_url = f"{base}/", stand_in.base_url
            result.logins = [("owner (consultant)", "lead@northwind-cx.example", PASSWORD)]
            if serve:
                show_console(result, console, serving=True)
                await _forever()
            return result


def show_console(result: DemoResult, console: Console, serving: bool) -> None:
    """Where the console is and who can sign in."""
    if serving:
        console.print(f"console: [bold]{result.console_url}[/bold] (Ctrl-C stops it)")
    else:
        console.print(f"console: {result.console_url} while the demo runs; "
                      "'./dev demo --serve' keeps it running")
    for role, email, password in result.logins:
        console.print(f"  sign in as {role}: {email} / {password}")
    console.print(f"  to connect a vendor in the console, use the vendor address "
                  f"{result.sandbox_url}/<vendor> under Advanced settings "
                  "(hubspot, salesforce, zoho; GA4 takes the bare address)")


async def _forever() -> None:
    """Until the process is interrupted (Ctrl-C cancels the wait)."""
    await asyncio.Event().wait()


def _fresh(data_dir: Path) -> None:
    shutil.rmtree(data_dir, ignore_errors=True)
    data_dir.mkdir(parents=True)


async def _audit(api: Api, stand_in: Any, output: Path, language: str, console: Console) -> DemoResult:
    result = DemoResult(CLIENT_NAME)
    signup = await api.call("POST", "/api/v1/signup", 201, json={
        "tenant_name": "Northwind CX Partners", "email": "lead@northwind-cx.example", "password": PASSWORD})
    api.headers = {"Authorization": f"Bearer {signup['access_token']}"}
    console.print(f"signed up [bold]{signup['tenant']['name']}[/bold]")
    await _brand(api, language)
    workspace = await api.call("POST", "/api/v1/workspaces", 201, json={"name": CLIENT_NAME})
    project = await api.call("POST", f"/api/v1/workspaces/{workspace['id']}/projects", 201, json={
        "name": "Digital CX audit", "industry": "Retail"})
    connections = await _connect_all(api, workspace["id"], stand_in, console)
    await _sync_all(api, connections, result, console)
    await _answer(api, project["id"])
    await api.call("PUT", f"/api/v1/projects/{project['id']}/value-inputs", json=VALUE_INPUTS)
    run = await _score(api, project["id"], console, result)
    first = (result.ranked or [None])[0]
    await api.call("PUT", f"/api/v1/projects/{project['id']}/report-text", json=report_text(language, first))
    result.pdf = await _render(api, project["id"], language, output, console)
    console.print(f"score run {run['run']['id']}")
    return result


async def _brand(api: Api, language: str) -> None:
    """The consultancy's colours, footer, language and logo; the confidentiality line is left to the
    report, which prints it in the report's language."""
    await api.call("PUT", "/api/v1/branding", json={
        "primary_colour": "#1F3A5F", "accent_colour": "#E07A1F", "footer_text": "Northwind CX Partners",
        "default_language": language})
    await api.call("PUT", "/api/v1/branding/logo", files={"file": ("logo.png", _logo(), "image/png")})


def _logo() -> bytes:
    """A generated monogram, so the demo ships no binary file."""
    image = Image.new("RGB", (240, 80), "#ffffff")
    draw = ImageDraw.Draw(image)
    draw.ellipse((6, 8, 70, 72), fill="#1f3a5f")
    draw.rectangle((30, 24, 46, 56), fill="#e07a1f")
    draw.rectangle((86, 30, 228, 40), fill="#1f3a5f")
    draw.rectangle((86, 48, 180, 54), fill="#9aa9bb")
    out = BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


async def _connect_all(api: Api, workspace_id: str, stand_in: Any, console: Console) -> dict[str, str]:
    """Every installed connector the sandbox stands in for, through the real OAuth flow."""
    installed = {c["key"] for c in await api.call("GET", "/api/v1/connectors")}
    connections = {}
    async with httpx.AsyncClient(timeout=60) as browser:
        for key in (k for k in SANDBOX_CONFIG if k in installed):
            created = await api.call("POST", f"/api/v1/workspaces/{workspace_id}/connections", 201, json={
                "connector": key, "config": sandbox_config(key, stand_in.base_url)})
            consent = await browser.get(created["authorize_url"])
            callback = consent.headers["location"]
            await api.call("GET", urlsplit(callback).path, params=dict(parse_qsl(urlsplit(callback).query)))
            connections[key] = created["connection"]["id"]
            console.print(f"connected [bold]{created['connection']['name']}[/bold] (OAuth)")
    return connections


async def _follow(api: Api, jobs: dict[str, str], label: str, console: Console) -> dict[str, dict]:
    """Progress bars for running jobs until each ends."""
    done: dict[str, dict] = {}
    with Progress(TextColumn("{task.description:<28}"), BarColumn(), TextColumn("{task.percentage:>5.1f}%"),
                  TextColumn("{task.fields[note]}"), TimeElapsedColumn(), console=console) as bars:
        tasks = {name: bars.add_task(f"{label} {name}", total=1.0, note="") for name in jobs}
        while len(done) < len(jobs):
            for name, job_id in jobs.items():
                if name in done:
                    continue
                job = await api.call("GET", f"/api/v1/jobs/{job_id}")
                written = job["counts"].get("written")
                bars.update(tasks[name], completed=job["progress"],
                            note=f"{written} written" if written is not None else job["status"])
                if job["status"] in TERMINAL:
                    done[name] = job
            await asyncio.sleep(0.2)
    return done


async def _sync_all(api: Api, connections: dict[str, str], result: DemoResult, console: Console) -> None:
    jobs = {key: (await api.call("POST", f"/api/v1/connections/{cid}/sync", 202))["id"]
            for key, cid in connections.items()}
    for key, job in (await _follow(api, jobs, "sync", console)).items():
        if job["status"] == "succeeded":
            result.records[key] = int(job["counts"].get("written", 0))
        else:
            result.failures[key] = job["error"]


async def _answer(api: Api, project_id: str) -> None:
    """The bundled self-assessment, at every stage each item covers."""
    sample = json.loads(SAMPLE.read_text())["answers"]
    items = (await api.call("GET", f"/api/v1/projects/{project_id}/questionnaire"))["items"]
    answers = [{"item_id": item["item_id"], "stage": stage, "answer": sample.get(item["item_id"])}
               for item in items for stage in item["stages"]]
    await api.call("PUT", f"/api/v1/projects/{project_id}/questionnaire/answers", json={"answers": answers})


async def _score(api: Api, project_id: str, console: Console, result: DemoResult) -> dict:
    started = await api.call("POST", f"/api/v1/projects/{project_id}/score-runs", 202)
    job = (await _follow(api, {"maturity": started["job"]["id"]}, "score", console))["maturity"]
    if job["status"] != "succeeded":
        raise RuntimeError(f"scoring failed: {job['error']}")
    run = await api.call("GET", f"/api/v1/score-runs/{started['run']['id']}")
    overall = run["result"]["overall"]
    dimensions = {d["key"]: d["name"] for d in run["result"]["dimensions"]}
    levels = {level.level: level.name for level in shipped_model().levels}
    result.overall = {**overall, "level_name": levels.get(overall["level"], ""),
                      "weakest_name": dimensions.get(overall["weakest_dimension"], "")}
    ranked = (await api.call("GET", f"/api/v1/score-runs/{started['run']['id']}/priorities"))["priorities"]
    result.ranked = [p["recommendation_id"] for p in ranked]
    result.top = top_priorities(ranked, dimensions)
    return run


def top_priorities(ranked: list[dict], dimensions: dict[str, str], count: int = 5) -> list[str]:
    """The first ``count`` priorities as the priorities API ranks them (the report's order)."""
    return [f"{p['title']} ({dimensions[p['dimension']]}, priority {p['priority']:.2f})"
            for p in ranked[:count]]


async def _render(api: Api, project_id: str, language: str, output: Path, console: Console) -> Path:
    """Render the report as a job, then download the PDF and, beside it, the evidence workbook the
    PDF names into ``output``."""
    started = await api.call("POST", f"/api/v1/projects/{project_id}/reports", 202,
                             json={"language": language})
    job = (await _follow(api, {language: started["job"]["id"]}, "report", console))[language]
    if job["status"] != "succeeded":
        raise RuntimeError(f"rendering failed: {job['error']}")
    report_id = started["report"]["id"]
    pdf = await api.call("GET", f"/api/v1/reports/{report_id}/download")
    path = output / f"cx-strategy-report-{language}.pdf"
    await anyio.Path(output).mkdir(parents=True, exist_ok=True)
    await anyio.Path(path).write_bytes(pdf.content)
    workbook = await api.call("GET", f"/api/v1/reports/{report_id}/evidence.xlsx")
    name = evidence_filename(language, started["report"]["score_run_id"])
    await anyio.Path(output / name).write_bytes(workbook.content)
    return path
