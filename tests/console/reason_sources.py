"""Every reason text the API's code can put in a problem (``errors[].reason``) or an import row
problem, read from the source: the reasons given to ``FieldProblem``, ``CellProblem`` and
``CellError``, to the helpers that pass a ``reason`` parameter on to them, and the
``(field, reason)`` pairs of the ``*_problems`` checks. A literal stays itself; an f-string or a
concatenation becomes a sample with ``X`` for each value (what a console msgid's placeholder
matches). Reasons that are not text in the code (another error's message, msgspec's words) are
returned separately, by module and expression, so a test can name each one it accepts."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2] / "cxsuite"
SKIPPED = ("console", "sandbox", "testing")
SINKS = {"FieldProblem": 1, "CellProblem": 3, "CellError": 0}
VALUE = "X"


@dataclass(frozen=True)
class Found:
    """One reason expression: the module, its line, and its sample (``None`` when dynamic)."""

    module: str
    line: int
    sample: str | None
    expression: str


def _modules() -> dict[str, ast.Module]:
    found = {}
    for path in sorted(ROOT.rglob("*.py")):
        relative = path.relative_to(ROOT.parent).as_posix()
        if relative.split("/")[1] not in SKIPPED:
            found[relative] = ast.parse(path.read_text(encoding="utf-8"))
    return found


def _callee(call: ast.Call) -> str:
    func = call.func
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""


def _reason_arg(call: ast.Call, key: str, sinks: dict[str, tuple[int, str]]) -> ast.expr | None:
    index, keyword = sinks[key]
    for given in call.keywords:
        if given.arg == keyword:
            return given.value
    return call.args[index] if len(call.args) > index else None


def _params(function: ast.FunctionDef | ast.AsyncFunctionDef) -> list[str]:
    names = [a.arg for a in function.args.posonlyargs + function.args.args]
    return names[1:] if names and names[0] in ("self", "cls") else names


def _functions(tree: ast.Module) -> list[ast.FunctionDef | ast.AsyncFunctionDef]:
    return [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]


def _sinks(modules: dict[str, ast.Module]) -> dict[str, tuple[int, str]]:
    """The three constructors, and every function that hands one of its parameters to a sink
    as the reason (found until nothing new turns up). A private function (``_problem``) is a
    sink of its own module only: its key is ``module:name``."""
    sinks = {name: (index, "reason") for name, index in SINKS.items()}
    sinks["CellError"] = (0, "")
    changed = True
    while changed:
        changed = False
        for module, tree in modules.items():
            for function in _functions(tree):
                params = _params(function)
                key = f"{module}:{function.name}" if function.name.startswith("_") else function.name
                for call in _calls(module, function, sinks):
                    for name in _names(_reason_arg(call, _key(module, call, sinks), sinks)):
                        if name in params and key not in sinks:
                            sinks[key] = (params.index(name), name)
                            changed = True
    return sinks


def _key(module: str, call: ast.Call, sinks: dict[str, tuple[int, str]]) -> str:
    name = _callee(call)
    return f"{module}:{name}" if name.startswith("_") else name


def _calls(module: str, node: ast.AST, sinks: dict[str, tuple[int, str]]) -> list[ast.Call]:
    return [n for n in ast.walk(node) if isinstance(n, ast.Call) and _key(module, n, sinks) in sinks]


def _names(node: ast.expr | None) -> list[str]:
    if isinstance(node, ast.Name):
        return [node.id]
    if isinstance(node, ast.IfExp):
        return _names(node.body) + _names(node.orelse)
    return []


def _samples(node: ast.expr) -> list[str] | None:
    """The texts an expression can be, values as ``X``; ``None`` when it is not text in the code."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.JoinedStr):
        parts = []
        for part in node.values:
            if isinstance(part, ast.Constant):
                parts.append(str(part.value))
            else:
                parts.append(VALUE)
        return ["".join(parts)]
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _samples(node.left), _samples(node.right)
        return [a + b for a in left or [VALUE] for b in right or [VALUE]] if left or right else None
    if isinstance(node, ast.IfExp):
        body, orelse = _samples(node.body), _samples(node.orelse)
        return None if body is None or orelse is None else body + orelse
    return None


def _pairs(function: ast.FunctionDef | ast.AsyncFunctionDef) -> list[ast.expr]:
    """The reasons of ``(field, reason)`` pairs a ``*_problems`` check appends."""
    if not function.name.endswith("_problems"):
        return []
    return [n.args[0].elts[1] for n in ast.walk(function) if isinstance(n, ast.Call) and _callee(n) == "append"
            and n.args and isinstance(n.args[0], ast.Tuple) and len(n.args[0].elts) == 2]


def _assigned(function: ast.AST, name: str) -> list[ast.expr]:
    """The values a local variable is given in ``function``."""
    return [n.value for n in ast.walk(function) if isinstance(n, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == name for t in n.targets)]


def reasons() -> list[Found]:
    """Every reason expression of the API's code, with its sample when it is text."""
    modules = _modules()
    sinks = _sinks(modules)
    found = []
    for module, tree in modules.items():
        for function in _functions(tree):
            params = _params(function)
            given = [_reason_arg(n, _key(module, n, sinks), sinks) for n in _calls(module, function, sinks)]
            for arg in [*given, *_pairs(function)]:
                if arg is None:
                    continue
                if isinstance(arg, ast.IfExp) and (_names(arg.body) or _names(arg.orelse)):
                    arg = arg.orelse if _names(arg.body) else arg.body  # one side is a forwarded parameter
                if isinstance(arg, ast.Name) and arg.id in params:
                    continue  # a forwarded parameter: its call sites are collected instead
                values = _assigned(function, arg.id) if isinstance(arg, ast.Name) else [arg]
                for value in values or [arg]:
                    for sample in _samples(value) or [None]:
                        found.append(Found(module, value.lineno, sample, ast.unparse(value)))
    return sorted(set(found), key=lambda f: (f.module, f.line, f.sample or ""))
