"""The sync engine: drives a connector's streams, committing batches with their checkpoint.

One transaction holds the upserted records of one or more consecutive batches, the record
issues they reported and the checkpoint of the last of them. A sync killed at any point
therefore resumes after the last committed batch, with no duplicate and no gap; re-reading a
page is harmless because upserts are idempotent. Consecutive batches are grouped until
``commit_rows`` records or ``commit_seconds`` have gone by, because a transaction per vendor
page (often 100 records) spends more time committing than writing. While a group is written,
the connector already reads the next one (:mod:`~cxsuite.connectors.readahead`, at most
``read_ahead`` groups ahead): the vendor and the database work at the same time, and since a
group read ahead is only memory until its own commit, the checkpoint still moves only with
committed rows. Cancellation is checked at each commit, so what was committed stays; a
connector that stops with an error (a file over an import limit) keeps the whole batches it
yielded before, and any error reaches the engine only after the groups read before it are
committed. Rejected records are stored as issues and summarised in one log line per stream
(:mod:`~cxsuite.connectors.rejects`).
"""

from __future__ import annotations

import json
import logging
from collections import defaultdict
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from typing import Any
from uuid import UUID, uuid4

from cxsuite.connectors.contract import BaseConnector, Batch, RecordError
from cxsuite.connectors.readahead import ReadAhead
from cxsuite.connectors.records import Record
from cxsuite.connectors.rejects import RejectSummary
from cxsuite.connectors.tables import SyncCheckpoint, SyncIssue
from cxsuite.connectors.upsert import PreparedRows, RecordScope, prepare_records, write_prepared
from cxsuite.db.session import Database
from cxsuite.errors import CxsuiteError

log = logging.getLogger("cxsuite.sync")

EXCERPT_CHARS = 500


class SyncCancelled(CxsuiteError):
    """The sync stopped at a batch boundary because cancellation was requested."""

    status_code = 409
    title = "Sync cancelled"


@dataclass
class SyncCounts:
    """Records read, written (inserted or changed), skipped (unchanged) and failed."""

    read: int = 0
    written: int = 0
    skipped: int = 0
    failed: int = 0

    def add(self, other: SyncCounts) -> None:
        """Accumulate another batch's counts."""
        self.read += other.read
        self.written += other.written
        self.skipped += other.skipped
        self.failed += other.failed

    def as_dict(self) -> dict[str, int]:
        """For job rows and logs."""
        return {"read": self.read, "written": self.written, "skipped": self.skipped,
                "failed": self.failed}


@dataclass
class SyncProgress:
    """Where a running sync is: the stream, its counts and, when known, the fraction done."""

    stream: str
    stream_index: int
    stream_count: int
    counts: SyncCounts
    stream_read: int
    stream_total: int | None

    @property
    def fraction(self) -> float:
        """Overall progress 0..1: finished streams plus the share of the current one."""
        within = 0.0
        if self.stream_total:
            within = min(self.stream_read / self.stream_total, 1.0)
        return min((self.stream_index + within) / max(self.stream_count, 1), 1.0)


@dataclass
class SyncResult:
    """Totals per stream and overall."""

    per_stream: dict[str, SyncCounts] = field(default_factory=dict)

    @property
    def totals(self) -> SyncCounts:
        """All streams added up."""
        total = SyncCounts()
        for counts in self.per_stream.values():
            total.add(counts)
        return total


@dataclass(frozen=True)
class PreparedGroup:
    """Consecutive batches made ready to commit: their rows per kind, the records they
    rejected, the checkpoint of the last of them and the vendor's total for progress."""

    rows: list[PreparedRows]
    errors: list[RecordError]
    checkpoint: dict[str, Any]
    total: int | None
    read: int


def prepare_group(kind: str, batches: list[Batch]) -> PreparedGroup:
    """Everything a commit needs from ``batches`` that Python alone can do; ``kind`` is the
    stream's, for records that do not name their own."""
    by_kind: dict[str, list[Record]] = defaultdict(list)
    for batch in batches:
        for record in batch.records:
            by_kind[record.kind or kind].append(record)
    errors = [error for batch in batches for error in batch.errors]
    read = sum(len(records) for records in by_kind.values()) + len(errors)
    return PreparedGroup([prepare_records(k, records) for k, records in by_kind.items()], errors,
                         batches[-1].checkpoint, batches[-1].total, read)


ProgressCallback = Callable[[SyncProgress], Awaitable[None]]
CancelCheck = Callable[[], Awaitable[bool]]


async def _never() -> bool:
    return False


async def _ignore(_: SyncProgress) -> None:
    return None


@dataclass
class SyncEngine:
    """Runs one connector instance over its streams for one connection."""

    db: Database
    scope: RecordScope
    connector: BaseConnector
    on_progress: ProgressCallback = _ignore
    cancelled: CancelCheck = _never
    job_id: UUID | None = None
    commit_rows: int = 2000
    commit_seconds: float = 2.0
    read_ahead: int = 1
    """Commit groups the connector may read while the previous one is written; 0 reads the
    next page only once the previous group is committed and the cancellation checked."""

    async def run(self, streams: Sequence[str] | None = None) -> SyncResult:
        """Sync ``streams`` (default: all the connector declares), resuming each one."""
        names = list(streams) if streams else [s.name for s in self.connector.streams]
        result = SyncResult()
        for index, name in enumerate(names):
            result.per_stream[name] = await self._run_stream(name, index, len(names), result)
        return result

    async def _run_stream(self, stream: str, index: int, count: int, result: SyncResult,
                          ) -> SyncCounts:
        counts, rejected = SyncCounts(), RejectSummary()
        checkpoint = await self.load_checkpoint(stream)
        kind = next(s.kind for s in self.connector.streams if s.name == stream)
        where = (index, count, result)
        groups = ReadAhead(self.connector.read(stream, checkpoint), partial(prepare_group, kind),
                           rows=self.commit_rows, seconds=self.commit_seconds, depth=self.read_ahead)
        try:
            async with groups:
                try:
                    async for group in groups:
                        rejected.add(group.errors)
                        await self._flush(stream, group, counts, where)
                except CxsuiteError:
                    if groups.unfinished:  # read before the connector stopped, and whole: keep them
                        group = prepare_group(kind, groups.unfinished)
                        rejected.add(group.errors)
                        await self._flush(stream, group, counts, where)
                    raise
        finally:
            if rejected.total:
                log.warning("stream %s: %s", stream, rejected.describe())
        await self._mark_complete(stream)
        log.info("stream %s done: %s", stream, counts.as_dict())
        return counts

    async def _flush(self, stream: str, group: PreparedGroup, counts: SyncCounts,
                     where: tuple[int, int, SyncResult]) -> None:
        """Commit a group, report progress, honour a cancellation."""
        index, count, result = where
        counts.add(await self._commit(stream, group))
        await self.on_progress(SyncProgress(stream, index, count, _sum(result, counts), counts.read,
                                            group.total))
        if await self.cancelled():
            raise SyncCancelled(f"cancelled during {stream}; {counts.written} records kept")

    async def _commit(self, stream: str, group: PreparedGroup) -> SyncCounts:
        now = datetime.now(UTC)
        counts = SyncCounts(read=group.read, failed=len(group.errors))
        # Not durable: a group lost to a database crash is lost with its checkpoint and read
        # again; the stream's completion (and the job's end) is durable and flushes it.
        async with self.db.transaction(self.scope.tenant_id, durable=False):
            for prepared in group.rows:
                upserted = await write_prepared(self.db.engine, self.scope, prepared, now)
                counts.written += upserted.written
                counts.skipped += upserted.skipped
            await self._report(stream, group.errors, now)
            await self._save_checkpoint(stream, group.checkpoint, now, complete=False)
        return counts

    async def _report(self, stream: str, errors: list[RecordError], now: datetime) -> None:
        if not errors:
            return
        await SyncIssue.insert(*[SyncIssue(
            id=uuid4(), tenant_id=self.scope.tenant_id, connection_id=self.scope.connection_id,
            job_id=self.job_id, stream=stream, external_id=e.external_id[:255], reason=e.reason,
            excerpt=e.excerpt[:EXCERPT_CHARS], occurred_at=now) for e in errors]).run()

    def _checkpoint_filter(self, stream: str) -> Any:
        return ((SyncCheckpoint.tenant_id == self.scope.tenant_id)
                & (SyncCheckpoint.connection_id == self.scope.connection_id)
                & (SyncCheckpoint.stream == stream))

    async def load_checkpoint(self, stream: str) -> dict[str, Any] | None:
        """The stream's last committed checkpoint, or ``None`` for a first sync."""
        async with self.db.transaction(self.scope.tenant_id, write=False):
            row = await SyncCheckpoint.select(SyncCheckpoint.checkpoint).where(
                self._checkpoint_filter(stream)).first().run()
        return json.loads(row["checkpoint"]) if row else None

    async def _save_checkpoint(self, stream: str, checkpoint: dict[str, Any], now: datetime,
                               complete: bool) -> None:
        encoded = json.dumps(checkpoint, sort_keys=True, default=str)
        updated = await SyncCheckpoint.update({
            SyncCheckpoint.checkpoint: encoded, SyncCheckpoint.complete: complete,
            SyncCheckpoint.updated_at: now}).where(self._checkpoint_filter(stream)).returning(
            SyncCheckpoint.stream).run()
        if not updated:
            await SyncCheckpoint.insert(SyncCheckpoint(
                tenant_id=self.scope.tenant_id, connection_id=self.scope.connection_id,
                stream=stream, checkpoint=encoded, complete=complete, updated_at=now)).run()

    async def _mark_complete(self, stream: str) -> None:
        async with self.db.transaction(self.scope.tenant_id):
            await SyncCheckpoint.update({SyncCheckpoint.complete: True}).where(
                self._checkpoint_filter(stream)).run()


def _sum(result: SyncResult, current: SyncCounts) -> SyncCounts:
    total = result.totals
    total.add(current)
    return total
