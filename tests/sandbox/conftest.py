"""A small sandbox served on a free loopback port, fresh per test (world generation is ~0.3 s)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from cxsuite.sandbox import CLIENTS, Limits, RunningSandbox, running


@pytest.fixture
def sb() -> Iterator[RunningSandbox]:
    """A running small sandbox with auto-approve and shrunken limits so paging edges are reachable."""
    limits = Limits(hubspot_search_window=40, zoho_discrete_limit=40)
    with running(seed=11, size=60, limits=limits, auto_approve=True) as handle:
        yield handle


@pytest.fixture
async def http(sb: RunningSandbox) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client pointed at the sandbox; redirects are not followed (OAuth callbacks are asserted)."""
    async with httpx.AsyncClient(base_url=sb.base_url, timeout=30) as client:
        yield client


async def authorize(http: httpx.AsyncClient, path: str, vendor: str, **extra: str) -> dict[str, str]:
    """Run the authorize step and return the callback's query parameters."""
    query = {"client_id": CLIENTS[vendor].client_id, "redirect_uri": "http://localhost:9/cb", "state": "s1",
             "response_type": "code", **extra}
    response = await http.get(path, params=query)
    assert response.status_code == 302, response.text
    location = response.headers["location"]
    assert location.startswith("http://localhost:9/cb?")
    return {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}


def client_form(vendor: str, **extra: str) -> dict[str, str]:
    """Client credentials plus ``extra`` as a token request form."""
    return {"client_id": CLIENTS[vendor].client_id, "client_secret": CLIENTS[vendor].client_secret,
            "redirect_uri": "http://localhost:9/cb", **extra}


class Counted(list):
    """A world list that counts the records iterated over: a vendor that serves a page by
    scanning every record of the world reads them all, one that looks them up by id or
    continues a listing reads none (indexing by position is not counted)."""

    read = 0

    def __iter__(self):  # type: ignore[override]
        for item in super().__iter__():
            self.read += 1
            yield item


def count_reads(world: object, kind: str) -> Counted:
    """Swap ``world``'s list of ``kind`` for a :class:`Counted` copy of it; returns that copy."""
    counted = Counted(getattr(world, kind))
    setattr(world, kind, counted)
    return counted
