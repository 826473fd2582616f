"""Every problem ``detail`` the API's code can give in an answer the console shows a detail of
(a refusal: 400, 401, 409, 413, 422, 429; a 403 or 404 gets the console's own sentence), read
from the source: the first argument (or ``detail=``) of each error class of ``cxsuite.errors``'
tree whose status is one of those, a module constant it names resolved, and the details the
API's own handlers write. Samples have ``X`` for each value, as in ``reason_sources``."""

from __future__ import annotations

import ast

from tests.console.reason_sources import Found, _callee, _modules, _samples

SHOWN = frozenset({400, 401, 409, 413, 422, 429})
# Where a detail never reaches a console page, each with why.
ELSEWHERE = {
    "cxsuite/admin.py": "the operator's command line",
    "cxsuite/connectors/": "a vendor's answer during an import job: the job page shows it as the job's error",
    "cxsuite/scoring/evidence.py": "a score run's evidence check: the run's job error",
    "cxsuite/scoring/formulas.py": "a score run's arithmetic: the run's job error",
    "cxsuite/scoring/metrics/": "a score run's metric: the run's job error",
    "cxsuite/scoring/model.py": "a scoring model file read at start or by the command line",
    "cxsuite/scoring/validation.py": "a scoring model file's own check (uploaded through the API, not the console)",
    "cxsuite/scoring/opportunities.py": "a score run's opportunities: the run's job error",
    "cxsuite/scoring/priorities.py": "the priorities command line",
    "cxsuite/scoring/trend.py": "the trend of score runs, not offered by the console",
}


def _statuses(modules: dict[str, ast.Module]) -> dict[str, int]:
    """Each error class with the status it answers with (its own, else its base's)."""
    status = {"CxsuiteError": 500}
    changed = True
    while changed:
        changed = False
        for tree in modules.values():
            for node in ast.walk(tree):
                if not isinstance(node, ast.ClassDef) or node.name in status:
                    continue
                base = next((b.id for b in node.bases if isinstance(b, ast.Name) and b.id in status), None)
                if base is None:
                    continue
                own = [s.value.value for s in node.body if isinstance(s, ast.Assign) and isinstance(s.value, ast.Constant)
                       and any(isinstance(t, ast.Name) and t.id == "status_code" for t in s.targets)]
                status[node.name] = own[0] if own else status[base]
                changed = True
    return status


def _constants(tree: ast.Module) -> dict[str, ast.expr]:
    return {t.id: node.value for node in tree.body if isinstance(node, ast.Assign)
            for t in node.targets if isinstance(t, ast.Name)}


def details() -> list[Found]:
    """Every detail expression an answer the console shows can carry, with its sample when it
    is text (``None`` when it is not)."""
    modules = _modules()
    status = _statuses(modules)
    found = set()
    for module, tree in modules.items():
        if module.startswith(tuple(ELSEWHERE)):
            continue
        constants = _constants(tree)
        for call in ast.walk(tree):
            if not isinstance(call, ast.Call) or status.get(_callee(call)) not in SHOWN:
                continue
            arg = call.args[0] if call.args else next((k.value for k in call.keywords if k.arg == "detail"), None)
            if arg is None:
                continue  # the class's title stands in; titles are checked apart
            if isinstance(arg, ast.Name) and arg.id in constants:
                arg = constants[arg.id]
            for sample in _samples(arg) or [None]:
                found.add(Found(module, call.lineno, sample, ast.unparse(arg)))
    return sorted(found, key=lambda f: (f.module, f.line, f.sample or ""))


def titles() -> set[str]:
    """The titles of the error classes the console shows a detail of (the detail when none
    is given)."""
    modules = _modules()
    status = _statuses(modules)
    return {s.value.value for tree in modules.values() for node in ast.walk(tree)
            if isinstance(node, ast.ClassDef) and status.get(node.name) in SHOWN
            for s in node.body if isinstance(s, ast.Assign) and isinstance(s.value, ast.Constant)
            and any(isinstance(t, ast.Name) and t.id == "title" for t in s.targets)}

