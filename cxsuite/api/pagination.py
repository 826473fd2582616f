"""Pagination shared by every list endpoint: bounded ``limit``, ``offset``, ``total``, search
(``q``) and order (``sort``, whitelisted per list by :func:`list_params`); long lists also take
``after`` (keyset: the id of the previous page's last item), whose cost does not grow with
depth the way an offset's does. Every list answers ``{items, limit, offset, total}``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Literal
from uuid import UUID

from litestar.di import Provide
from litestar.params import QueryParameter

from cxsuite.db.listing import DEFAULT as DEFAULT_LISTING
from cxsuite.db.listing import MAX_Q_CHARS, Listing, ListSpec
from cxsuite.errors import FieldProblem, ValidationFailed

MAX_LIMIT = 200
DEFAULT_LIMIT = 50
AFTER_DESCRIPTION = ("Id of the last item of the previous page: the page after it in the same "
                     "order, at the same cost at any depth (instead of offset)")


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
    after: Annotated[UUID | None, QueryParameter(description=AFTER_DESCRIPTION)] = None,
) -> KeysetPageParams:
    """Dependency: the validated page parameters of a list that also pages by key."""
    if after is not None and offset:
        raise ValidationFailed("page either by offset or after an item, not both", problems=[
            FieldProblem("query.offset", "must be 0 when 'after' is given")])
    return KeysetPageParams(limit=limit, offset=offset, after=after)


@dataclass(frozen=True)
class ListPage(KeysetPageParams):
    """A page of a searchable, sortable list: the slice plus what to search for and the order."""

    listing: Listing = DEFAULT_LISTING


def list_params(spec: ListSpec, *, keyset: bool = False) -> Provide:
    """The dependency of one list endpoint (register it under the handler's ``page`` or
    ``keyset_page`` name): ``limit``, ``offset``, ``after`` when ``keyset``, ``q`` and ``sort``,
    with ``sort`` an enum of exactly the spec's fields so the schema lists them and anything
    else is a 400 naming ``query.sort``."""
    sort_type = Literal[spec.sort_values()]  # type: ignore[valid-type]

    def provide(limit: int = DEFAULT_LIMIT, offset: int = 0, after: UUID | None = None,
                q: str | None = None, sort: str | None = None) -> ListPage:
        if after is not None and offset:
            raise ValidationFailed("page either by offset or after an item, not both", problems=[
                FieldProblem("query.offset", "must be 0 when 'after' is given")])
        return ListPage(limit=limit, offset=offset, after=after, listing=Listing(q=q or None, sort=sort))

    annotations: dict[str, object] = {
        "limit": Annotated[int, QueryParameter(ge=1, le=MAX_LIMIT, description="Items per page")],
        "offset": Annotated[int, QueryParameter(ge=0, le=1_000_000, description="Items to skip")],
        "q": Annotated[str | None, QueryParameter(min_length=1, max_length=MAX_Q_CHARS,
                                                  description=spec.describe_q())],
        "sort": Annotated[sort_type | None, QueryParameter(description=spec.describe_sort())],
        "return": ListPage,
    }
    if keyset:
        annotations["after"] = Annotated[UUID | None, QueryParameter(description=AFTER_DESCRIPTION)]
    else:  # not a parameter of this list: drop it from the signature
        provide = _without_after(provide)
    provide.__annotations__ = annotations
    return Provide(provide, sync_to_thread=False)


def _without_after(provide: Callable[..., ListPage]) -> Callable[..., ListPage]:
    def without_after(limit: int = DEFAULT_LIMIT, offset: int = 0, q: str | None = None,
                      sort: str | None = None) -> ListPage:
        return provide(limit=limit, offset=offset, q=q, sort=sort)
    return without_after
