"""Offset pagination shared by every list endpoint: bounded ``limit``, ``offset``, ``total``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from litestar.params import QueryParameter

MAX_LIMIT = 200
DEFAULT_LIMIT = 50


@dataclass(frozen=True)
class PageParams:
    """Which slice of a list the caller wants."""

    limit: int
    offset: int


def provide_page(
    limit: Annotated[int, QueryParameter(ge=1, le=MAX_LIMIT, description="Items per page")] = DEFAULT_LIMIT,
    offset: Annotated[int, QueryParameter(ge=0, le=1_000_000, description="Items to skip")] = 0,
) -> PageParams:
    """Dependency: the validated page parameters."""
    return PageParams(limit=limit, offset=offset)
