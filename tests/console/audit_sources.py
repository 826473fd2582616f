"""Every audit action, outcome and object type the API's code can record, read from the
source: what is given to ``cxsuite.audit.service.record`` (under any name it is imported as),
the action also through the helpers that pass a parameter of theirs on to it as the action
(found until nothing new turns up), and ``record``'s defaults. A value that is not text in the
code is returned as ``None`` so a test can refuse it."""

from __future__ import annotations

import ast

from tests.console.reason_sources import _functions, _modules, _params, _samples

RECORDER = "cxsuite.audit.service"


def _recorders(tree: ast.Module) -> set[str]:
    """The local names ``record`` is imported as in a module."""
    return {alias.asname or alias.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
            and node.module == RECORDER for alias in node.names if alias.name == "record"}


def _given(call: ast.Call, index: int, keyword: str) -> ast.expr | None:
    for given in call.keywords:
        if given.arg == keyword:
            return given.value
    return call.args[index] if len(call.args) > index else None


def _named_calls(node: ast.AST, names: dict[str, int]) -> list[ast.Call]:
    return [n for n in ast.walk(node) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)
            and n.func.id in names]


def _texts(node: ast.expr | None) -> list[str | None]:
    if node is None:
        return []
    samples = _samples(node)
    return list(samples) if samples else [None]


def actions() -> dict[str | None, list[str]]:
    """Each action (``None`` for one that is not text) with where it is recorded."""
    found: dict[str | None, list[str]] = {}
    for module, tree in _modules().items():
        sinks = dict.fromkeys(_recorders(tree), 2)
        changed = bool(sinks)
        while changed:  # a function of this module that forwards its parameter as the action
            changed = False
            for function in _functions(tree):
                params = _params(function)
                for call in _named_calls(function, sinks):
                    arg = _given(call, sinks[call.func.id], "action")
                    if isinstance(arg, ast.Name) and arg.id in params and function.name not in sinks:
                        sinks[function.name] = params.index(arg.id)
                        changed = True
        for function in _functions(tree):
            params = _params(function)
            for call in _named_calls(function, sinks):
                arg = _given(call, sinks[call.func.id], "action")
                if isinstance(arg, ast.Name) and arg.id in params:
                    continue  # forwarded: its callers are read instead
                for text in _texts(arg):
                    found.setdefault(text, []).append(f"{module}:{call.lineno}")
    return found


def keyword_values(keyword: str) -> set[str | None]:
    """Each value given to ``record`` as ``keyword`` (``outcome``, ``object_type``), and its
    default when that is text."""
    found: set[str | None] = set()
    for module, tree in _modules().items():
        for call in _named_calls(tree, dict.fromkeys(_recorders(tree), 0)):
            found.update(_texts(next((k.value for k in call.keywords if k.arg == keyword), None)))
        if module == "cxsuite/audit/service.py":
            record = next(f for f in _functions(tree) if f.name == "record")
            names = [a.arg for a in record.args.kwonlyargs]
            default = record.args.kw_defaults[names.index(keyword)]
            if isinstance(default, ast.Constant) and isinstance(default.value, str) and default.value:
                found.add(default.value)
    return found
