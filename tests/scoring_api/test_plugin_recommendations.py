"""A plugin's recommendations reach the score run and the report: a test plugin registered on
the plugin manager adds an action to the library; it is matched to the gaps like the library's
own, stored with the run, and listed on the report's roadmap with its description. Entries that
break the library's rules are reported as plugin problems and left out."""

from __future__ import annotations

from html import escape
from uuid import UUID

import pytest

from cxsuite import hookimpl
from cxsuite.access.principal import Principal, Role
from cxsuite.plugin_manager import build_plugins
from cxsuite.reports.builder import build_document, load_inputs
from cxsuite.reports.i18n import localiser
from cxsuite.reports.render import TEMPLATES_DIR, render_html
from cxsuite.scoring.service import run_score, start_run
from tests.support.engagement import answer_all, seed

pytestmark = pytest.mark.anyio

CALLBACK = {
    "id": "acme.callback", "dimension": "D1", "stages": "all", "levels": [1, 2, 3, 4],
    "title": "Acme playbook: one customer record per household",
    "description": "Merge household members into one customer record with the Acme matching service.",
    "effort": 1, "horizon": "0-3", "owner_role": "Head of CRM", "needs_integrated_data": False,
    "expected_kpi": {"kpi": "customer_link_rate", "movement": "+10 points within a quarter",
                     "source": "Acme client study 2025"}}


class AcmePlaybook:
    @hookimpl
    def register_recommendations(self):
        return [
            CALLBACK,
            {**CALLBACK, "id": "acme.unsourced", "expected_kpi": {**CALLBACK["expected_kpi"], "source": "default"}},
            {**CALLBACK, "id": "acme.nowhere", "dimension": "D9"},
            {**CALLBACK, "id": "d1_link_records"},  # the library's own id
            {"id": "acme.half"},
        ]


def principal_of(eng) -> Principal:
    return Principal(user_id=UUID(eng.owner.user_id), tenant_id=eng.tenant_id, token_id=UUID(int=0),
                     email=eng.owner.email, tenant_role=Role.OWNER)


async def test_a_plugins_recommendation_reaches_the_run_and_the_report(eng, client, settings):
    await seed(eng, reply_hours=30)
    await answer_all(eng, client, 2)
    plugins = build_plugins(load_entrypoints=False, extra=[("acme", AcmePlaybook())])
    summary = await start_run(eng.db, principal_of(eng), eng.project_id)
    await run_score(eng.db, settings, eng.tenant_id, eng.project_id, summary.id, plugins=plugins)

    problems = {p.problem.split(" skipped:")[0] for p in plugins.problems if p.plugin == "acme"}
    assert problems == {"recommendation 'acme.unsourced'", "recommendation 'acme.nowhere'",
                        "recommendation 'd1_link_records'", "recommendation 'acme.half'"}

    run = (await client.get(f"/api/v1/score-runs/{summary.id}", headers=eng.owner.headers)).json()
    mine = [o for o in run["opportunities"] if o["recommendation_id"] == "acme.callback"]
    assert mine and all(o["dimension"] == "D1" and o["description"] == CALLBACK["description"] for o in mine)
    assert not {o["recommendation_id"] for o in run["opportunities"]} & {"acme.unsourced", "acme.nowhere"}

    async with eng.db.transaction(eng.tenant_id, write=False):
        inputs = await load_inputs(eng.tenant_id, summary.id, {})
    document = build_document(inputs, "en", localiser(TEMPLATES_DIR, "en"))  # the plugin is not needed now
    roadmap = {o.title.msgid: o for o in document.opportunities}
    assert CALLBACK["title"] in roadmap
    assert roadmap[CALLBACK["title"]].description.msgid == CALLBACK["description"]
    html = render_html(document)
    missing = [text for text in (CALLBACK["title"], CALLBACK["description"], "Acme client study 2025")
               if escape(text) not in html]
    assert not missing, missing
