"""Pagination shared by every list endpoint: bounded ``limit``, ``offset``, ``total``; long
lists also take ``after`` (keyset: the id of the previous page's last item), whose cost does
not grow with depth the way an offset's does."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated
from uuid import UUID

from litestar.params import QueryParameter

from cxsuite.errors import FieldProblem, ValidationFailed

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


@dataclass(frozen=True)
class KeysetPageParams(PageParams):
    """A page by offset, or (``after`` set) the page after one item, in the list's own order."""

    after: UUID | None = None


def provide_keyset_page(
    limit: Annotated[int, QueryParameter(ge=1, le=MAX_LIMIT, description="Items per page")] = DEFAULT_LIMIT,
    offset: Annotated[int, QueryParameter(ge=0, le=1_000_000, description="Items to skip")] = 0,
    after: Annotated[UUID | None, QueryParameter(
        description="Id of the last item of the previous page: the page after it, at the same "
                    "cost at any depth (instead of offset)")] = None,
) -> KeysetPageParams:
    """Dependency: the validated page parameters of a list that also pages by key."""
    if after is not None and offset:
        raise ValidationFailed("page either by offset or after an item, not both", problems=[
            FieldProblem("query.offset", "must be 0 when 'after' is given")])
    return KeysetPageParams(limit=limit, offset=offset, after=after)
