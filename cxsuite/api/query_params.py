"""Unknown query parameters are refused (400 naming each), on every route: a typo such as
``?limt=5`` or ``?sort_by=name`` silently ignored returns a valid-looking answer to a question
that was not asked.

The names a handler accepts are exactly the query parameters Litestar resolved for it (its
own and its dependencies'), read once from each route's kwargs model when the app is built. A
handler that must take parameters it cannot name (a vendor's OAuth redirect adds its own) says
so with ``opt={OPEN_QUERY: True}``.
"""

from __future__ import annotations

from litestar import Litestar, Request
from litestar.routes import HTTPRoute

from cxsuite.api.input_limits import printable
from cxsuite.errors import BadRequest, FieldProblem

OPEN_QUERY = "open_query"
"""Handler ``opt`` key: the handler reads parameters beyond those it declares."""
_ACCEPTED = "accepted_query_parameters"


def remember_query_names(app: Litestar) -> None:
    """Record on each handler the query parameters it accepts (call once the app is built)."""
    for route in app.routes:
        if isinstance(route, HTTPRoute):
            for handler, kwargs_model in route.route_handler_map.values():
                handler.opt[_ACCEPTED] = frozenset(p.field_alias for p in kwargs_model.expected_query_params)


def check_query_names(request: Request) -> None:
    """``before_request``: a 400 naming every query parameter the route does not take."""
    if not request.query_params:
        return
    opt = request.route_handler.opt
    accepted = opt.get(_ACCEPTED)
    if accepted is None or opt.get(OPEN_QUERY):
        return
    unknown = sorted(set(request.query_params) - accepted)
    if unknown:
        allowed = ", ".join(sorted(accepted)) or "none"
        raise BadRequest("the request has query parameters this operation does not take", problems=[
            FieldProblem(f"query.{printable(name)}", f"unknown parameter (this operation takes: {allowed})")
            for name in unknown])
