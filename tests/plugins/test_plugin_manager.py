"""The plugin manager: entry-point discovery, broken plugins skipped, hooks documented."""

from __future__ import annotations

import inspect
from dataclasses import replace
from importlib.metadata import EntryPoint
from pathlib import Path

from cxsuite import hookimpl, hookspecs
from cxsuite.connectors import BaseConnector, StreamSpec
from cxsuite.plugin_manager import build_plugins
from cxsuite.reports.render import render_html
from cxsuite.reports.sample import sample_document
from cxsuite.reports.service import plugin_sections

DOCS = Path(__file__).resolve().parents[2] / "docs" / "plugin_hooks.md"


def documented(hook: str, text: str) -> str:
    """The section of docs/plugin_hooks.md about ``hook``."""
    return text.split(f"## {hook}", 1)[1].split("\n## ", 1)[0]


def documented_plugin(hook: str) -> type:
    """A plugin implementing ``hook`` with exactly the example its documentation gives."""
    example = documented(hook, DOCS.read_text()).split("```python", 2)[2].split("```", 1)[0]
    namespace: dict = {}
    exec(compile(example, "docs/plugin_hooks.md", "exec"), namespace)  # noqa: S102 - our own docs
    return type("DocPlugin", (), {hook: staticmethod(namespace[hook])})


class GoodConnector(BaseConnector):
    key = "good"
    display_name = "Good"
    auth_kind = "api_key"
    streams = (StreamSpec("contacts", "customer"),)


class GoodPlugin:
    @hookimpl
    def register_connectors(self):
        return [GoodConnector]


class RaisingPlugin:
    @hookimpl
    def register_connectors(self):
        raise RuntimeError("boom")


class JunkPlugin:
    @hookimpl
    def register_connectors(self):
        return ["not a class", GoodConnector]


def test_broken_plugins_are_reported_and_skipped_while_good_ones_load():
    missing = EntryPoint(name="ghost", value="cxsuite_no_such_module:plugin", group="cxsuite")
    plugins = build_plugins(discovered=[missing], extra=[
        ("good", GoodPlugin()), ("raising", RaisingPlugin()), ("junk", JunkPlugin())])
    assert list(plugins.connectors()) == ["good"]
    problems = {p.plugin: p.problem for p in plugins.problems}
    assert "ModuleNotFoundError" in problems["ghost"]
    assert "boom" in problems["raising"]
    assert "not a BaseConnector" in problems["junk"] or "already registered" in problems["junk"]


def test_every_hook_is_documented_with_an_example():
    text = DOCS.read_text()
    hooks = [name for name, fn in inspect.getmembers(hookspecs, inspect.isfunction)
             if hasattr(fn, "cxsuite_spec")]
    assert hooks, "no hookspecs found"
    for hook in hooks:
        assert f"## {hook}" in text, f"document {hook} in docs/plugin_hooks.md"
        section = documented(hook, text)
        assert "```python" in section and "@hookimpl" in section, f"{hook} needs an example"


def test_the_documented_connector_example_registers_cleanly():
    plugins = build_plugins(load_entrypoints=False, extra=[("doc", documented_plugin("register_connectors"))])
    assert list(plugins.connectors()) == ["acme_crm"]
    assert plugins.problems == []


def test_the_documented_report_section_lands_where_it_says():
    plugin = documented_plugin("register_report_sections")
    sections = plugin_sections(build_plugins(load_entrypoints=False, extra=[("doc", plugin)]))
    document = sample_document("en")
    html = render_html(document, extra_sections=sections)
    order = [html.index(f'id="sec-{key}"') for key in ("journey_map", "nps_verbatims", "kpi_table")]
    assert order == sorted(order)
    assert "Customer verbatims" in html.split('id="sec-contents"', 1)[1].split("</section>", 1)[0]
    hidden = render_html(replace(document, disabled_sections=frozenset({"nps_verbatims"})), extra_sections=sections)
    assert 'id="sec-nps_verbatims"' not in hidden
