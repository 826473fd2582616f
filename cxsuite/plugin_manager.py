"""Build the plugin manager (never at import time) and a typed facade over its hooks.

Plugins are discovered through the ``cxsuite`` entry-point group, the built-in connectors in
``plugins/`` exactly like a third party's. A plugin that fails to import, or a hook that
raises, is recorded in :attr:`Plugins.problems` and skipped: it never takes the service down.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib.metadata import EntryPoint, entry_points
from typing import Any

import pluggy

from cxsuite import hookspecs
from cxsuite.connectors.contract import BaseConnector

log = logging.getLogger("cxsuite.plugins")
ENTRY_POINT_GROUP = "cxsuite"
BUILTIN_PLUGINS: tuple[tuple[str, str], ...] = (("file_import", "cxsuite.imports.plugin"),)
"""Plugins of the core itself, registered with the installed ones (the file import is part of
cxsuite, not a package to install)."""


@dataclass(frozen=True)
class PluginProblem:
    """Why a plugin, or one thing it registered, was skipped."""

    plugin: str
    problem: str


@dataclass
class Plugins:
    """The loaded plugins and what they registered."""

    manager: pluggy.PluginManager
    problems: list[PluginProblem] = field(default_factory=list)

    def names(self) -> list[str]:
        """Names of the plugins that loaded."""
        return sorted(name for name, _ in self.manager.list_name_plugin())

    def connectors(self) -> dict[str, type[BaseConnector]]:
        """Connector classes by key; invalid or duplicate ones are reported and skipped."""
        found: dict[str, type[BaseConnector]] = {}
        for plugin, connector in self._collect("register_connectors"):
            problem = _connector_problem(connector, found)
            if problem:
                self._report(plugin, problem)
            else:
                found[connector.key] = connector
        return found

    def extras(self, hook: str) -> list[Any]:
        """Everything plugins returned from a ``register_*`` hook other than connectors."""
        return [item for _, item in self._collect(hook)]

    def entries(self, hook: str) -> list[tuple[str, Any]]:
        """``(plugin name, item)`` for everything plugins returned from a ``register_*`` hook, so
        a caller that checks the items can :meth:`report` the plugin of one it skips."""
        return list(self._collect(hook))

    def report(self, plugin: str, problem: str) -> None:
        """Record (once) and log why something ``plugin`` registered was skipped."""
        self._report(plugin, problem)

    def _collect(self, hook: str) -> Iterable[tuple[str, Any]]:
        for impl in getattr(self.manager.hook, hook).get_hookimpls():
            try:
                items = impl.function() or []
            except Exception as exc:  # a plugin's bug must not stop the others
                self._report(impl.plugin_name, f"{hook} raised {type(exc).__name__}: {exc}")
                continue
            for item in items:
                yield impl.plugin_name, item

    def _report(self, plugin: str, problem: str) -> None:
        entry = PluginProblem(plugin, problem)
        if entry not in self.problems:
            log.warning("plugin %s skipped: %s", plugin, problem)
            self.problems.append(entry)


def _connector_problem(connector: Any, found: dict[str, type[BaseConnector]]) -> str:
    if not (isinstance(connector, type) and issubclass(connector, BaseConnector)):
        return f"{connector!r} is not a BaseConnector subclass"
    if not connector.key or not connector.streams:
        return f"connector {connector.__name__} needs a key and at least one stream"
    if connector.key in found:
        return f"connector key {connector.key!r} is already registered"
    if connector.auth_kind == "oauth2" and connector.oauth is None:
        return f"connector {connector.key!r} uses OAuth but declares no OAuth2Spec"
    return ""


def build_plugins(load_entrypoints: bool = True, extra: Iterable[tuple[str, object]] = (),
                  discovered: Iterable[EntryPoint] | None = None) -> Plugins:
    """A fresh plugin manager with the hookspecs, entry-point plugins and ``extra`` plugins.

    ``discovered`` replaces the installed ``cxsuite`` entry points and the built-in plugins
    (tests pass their own).
    """
    manager = pluggy.PluginManager(hookspecs.PROJECT)
    manager.add_hookspecs(hookspecs)
    plugins = Plugins(manager)
    if load_entrypoints:
        found = entry_points(group=ENTRY_POINT_GROUP) if discovered is None else discovered
        for ep in found:
            _register(plugins, ep.name, ep.load)
        if discovered is None:
            for name, module in BUILTIN_PLUGINS:
                _register(plugins, name, lambda module=module: importlib.import_module(module))
    for name, plugin in extra:
        _register(plugins, name, lambda plugin=plugin: plugin)
    return plugins


def _register(plugins: Plugins, name: str, load: Callable[[], object]) -> None:
    try:
        plugins.manager.register(load(), name=name)
    except Exception as exc:  # broken import or bad hook signature: report, keep going
        plugins._report(name, f"could not load: {type(exc).__name__}: {exc}")
