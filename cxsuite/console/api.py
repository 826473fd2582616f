"""Calls into the app's own ``/api/v1``, in-process, as the signed-in person.

Why through the API and not the services directly: the API is where permissions (guards),
input validation, idempotency and problem details live. Going through it means the console
can never drift into a second, weaker copy of those rules. The call never leaves the process
(``httpx.ASGITransport``) and carries the browser's address, so throttles and the audit log
see the real client.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import httpx
from litestar import Request

from cxsuite.console.details import detail_in
from cxsuite.console.reasons import reason_in

API_ROOT = "/api/v1"


@dataclass
class ApiError(Exception):
    """A problem-details answer: the status, its detail, the per-field reasons and, where the
    API names them, the values a field may take (``(value, label)``)."""

    status: int
    detail: str
    title: str = ""
    fields: dict[str, str] = field(default_factory=dict)
    choices: dict[str, list[tuple[str, str]]] = field(default_factory=dict)

    def __str__(self) -> str:
        return f"{self.status} {self.title}: {self.detail}"


class ConsoleApi:
    """One request's view of the API, authenticated with ``token`` when there is one."""

    def __init__(self, request: Request, token: str | None, language: str) -> None:
        self._language = language
        client = (request.client.host, request.client.port) if request.client else ("127.0.0.1", 0)
        headers = {"Accept-Language": language, "Accept": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        self._http = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=request.app, client=client),
            base_url=f"http://{request.headers.get('host', 'console')}{API_ROOT}", headers=headers,
            timeout=120)

    async def close(self) -> None:
        """Release the in-process client."""
        await self._http.aclose()

    async def call(self, method: str, path: str, **kwargs: Any) -> Any:
        """The decoded JSON body (``None`` for 204); :class:`ApiError` for any problem."""
        response = await self._http.request(method, path, **kwargs)
        if response.status_code >= 400:
            raise _problem(response, self._language)
        if response.status_code == 204 or not response.content:
            return None
        if response.headers.get("content-type", "").startswith("application/json"):
            return response.json()
        return response

    async def get(self, path: str, **params: Any) -> Any:
        """GET with query parameters (``None`` values left out)."""
        return await self.call("GET", path, params={k: v for k, v in params.items() if v is not None})

    async def post(self, path: str, json: Any = None, **kwargs: Any) -> Any:
        """POST a JSON body."""
        return await self.call("POST", path, json=json, **kwargs)

    async def raw(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        """The response as it is (file downloads, HTML previews), or :class:`ApiError`."""
        response = await self._http.request(method, path, **kwargs)
        if response.status_code >= 400:
            raise _problem(response, self._language)
        return response


def _problem(response: httpx.Response, language: str) -> ApiError:
    """The problem's parts; its detail and each field's reason in ``language`` (the API writes
    English)."""
    try:
        body = response.json()
    except ValueError:
        body = {}
    if not isinstance(body, dict):
        body = {}
    fields, choices = {}, {}
    for item in body.get("errors") or []:
        name = str(item.get("field", "")).removeprefix("body.").removeprefix("query.")
        fields[name] = reason_in(language, str(item.get("reason", "")))
        if item.get("choices"):
            choices[name] = [(str(c.get("value", "")), str(c.get("label", ""))) for c in item["choices"]]
    return ApiError(response.status_code, detail_in(language, str(body.get("detail") or "")),
                    str(body.get("title") or ""), fields, choices)
