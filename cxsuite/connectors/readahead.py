"""Reading the next commit group while the engine writes the previous one.

A sync spends its time in two places that do not need each other: waiting for the vendor's
pages and waiting for the database to take the rows. Read one after the other, each waits
for the other. :class:`ReadAhead` runs the connector in a task of its own, groups its batches
the way the engine commits them, turns each group into rows (``prepare``: deduplicating,
hashing, encoding — Python work the database need not wait for) and lets it get at most
``depth`` groups ahead of the group being written. Memory stays bounded (``depth + 2``
groups at most: one written, ``depth`` waiting, one being read) and a slow database holds
the connector back instead of letting pages pile up.

Nothing here writes. A group read ahead is only records in memory until the engine commits
it with its checkpoint, so a sync stopped at any point (crash, cancellation, an error on
either side) resumes after the last committed group, exactly as without read-ahead. An error
of the connector reaches the engine only after every group read before it, in order; the
batches read after the last whole group are handed over with it (:attr:`ReadAhead.unfinished`)
for the engine to keep or drop, as it always did.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from contextlib import aclosing
from dataclasses import dataclass
from types import TracebackType
from typing import Generic, TypeVar

from cxsuite.connectors.contract import Batch

T = TypeVar("T")


@dataclass(frozen=True)
class _Stopped:
    """The connector ended (``error`` is ``None``) or failed; ``batches`` were read after the
    last whole group and not handed over."""

    error: Exception | None
    batches: list[Batch]


class ReadAhead(Generic[T]):
    """Commit groups of a connector's batches, read and prepared in a task ``depth`` groups ahead.

    A group closes at ``rows`` records or ``seconds`` after it began. Used as
    ``async with ReadAhead(...) as groups: async for group in groups: ...``; asking for the
    next group is what tells the reader the previous one is written. Leaving the block stops
    the reader and closes the connector's generator (its ``finally`` blocks run), so a
    cancelled or failed sync does not keep reading in the background.
    """

    def __init__(self, batches: AsyncIterator[Batch], prepare: Callable[[list[Batch]], T], *,
                 rows: int, seconds: float, depth: int) -> None:
        self._batches, self._prepare, self._rows, self._seconds = batches, prepare, rows, seconds
        self._permits = asyncio.Semaphore(depth + 1)
        self._ready: asyncio.Queue[tuple[T] | _Stopped] = asyncio.Queue()
        self._task: asyncio.Task[None] | None = None
        self._handed = False
        self.unfinished: list[Batch] = []
        """Batches read after the last whole group, set when the connector's error is raised."""

    async def __aenter__(self) -> ReadAhead[T]:
        self._task = asyncio.create_task(self._read(), name="sync-read-ahead")
        return self

    async def __aexit__(self, kind: type[BaseException] | None, error: BaseException | None,
                        trace: TracebackType | None) -> None:
        assert self._task is not None
        self._task.cancel()
        await asyncio.wait([self._task])

    def __aiter__(self) -> ReadAhead[T]:
        return self

    async def __anext__(self) -> T:
        if self._handed:  # the caller is done with the previous group: one more may be read
            self._permits.release()
        item = await self._ready.get()
        if isinstance(item, tuple):
            self._handed = True
            return item[0]
        self._handed = False
        if item.error is not None:
            self.unfinished = item.batches
            raise item.error
        raise StopAsyncIteration

    async def _read(self) -> None:
        group: list[Batch] = []
        try:
            async with aclosing(self._batches) as batches:  # type: ignore[type-var]
                await self._permits.acquire()
                started, rows = time.monotonic(), 0
                async for batch in batches:
                    group.append(batch)
                    rows += len(batch.records)
                    if rows < self._rows and time.monotonic() - started < self._seconds:
                        continue
                    whole, group = group, []
                    self._ready.put_nowait((self._prepare(whole),))
                    await self._permits.acquire()
                    started, rows = time.monotonic(), 0
            if group:
                last, group = group, []
                self._ready.put_nowait((self._prepare(last),))
            self._ready.put_nowait(_Stopped(None, []))
        except Exception as exc:  # handed to the engine in order; it decides what it means
            self._ready.put_nowait(_Stopped(exc, group))
