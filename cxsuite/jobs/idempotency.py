"""``Idempotency-Key`` for the POSTs that start work (sync, score run, report render).

A client that does not know whether its POST arrived (a timeout, a dropped connection) sends
it again with the same key and gets the first answer back, status code and body byte for byte,
instead of starting the work twice. Keys are remembered in the database (``idempotency_key``,
tenant-scoped under row-level security) for 24 hours, per tenant and user, so every web
process sees them. The key's row is inserted before the work starts: of two concurrent
requests with one key, the database lets one insert it; the other waits for the first answer
(or gets 409 while the first is still being handled). The same key with a different request
(another body or another endpoint) is 422. A request that fails (an error response) forgets
its key, so the client may retry it.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

import msgspec
from litestar import Request, Response
from litestar.params import HeaderParameter

from cxsuite.access.principal import Principal
from cxsuite.db.session import Database
from cxsuite.errors import Conflict, FieldProblem, ValidationFailed
from cxsuite.jobs.tables import IdempotencyKey

TTL = timedelta(hours=24)
WAIT_FOR_FIRST_S = 10.0
POLL_S = 0.1
REPLAYED_HEADER = "Idempotent-Replayed"
KEPT_HEADERS = ("location",)

IdempotencyKeyHeader = Annotated[str | None, HeaderParameter(
    name="Idempotency-Key", required=False, min_length=1, max_length=255,
    description="Any unique string (a UUID, say). Sending the same request again with the same key "
                "within 24 hours returns the first response instead of starting the work twice; "
                "the same key with a different request is refused (422).")]


async def once(request: Request[Any, Any, Any], db: Database, principal: Principal, key: str | None,
               start: Callable[[], Awaitable[Response[Any]]]) -> Response[bytes]:
    """Run ``start`` once per key; a repeated key gets the stored first response."""
    if key is None:
        return _encoded(await start())
    request_hash = hashlib.sha256(
        f"{request.method} {request.url.path}\n".encode() + await request.body()).hexdigest()
    stored = await _reserve(db, principal, key, request_hash)
    if stored is not None:
        return _replay(stored)
    try:
        response = _encoded(await start())
    except BaseException:
        await _forget(db, principal, key)
        raise
    if response.status_code >= 400:
        await _forget(db, principal, key)
        return response
    await _remember(db, principal, key, response)
    return response


def _encoded(response: Response[Any]) -> Response[bytes]:
    """The response with its body as the bytes that are sent, so a replay is byte-identical."""
    content = response.content
    body = content if isinstance(content, bytes) else msgspec.json.encode(content)
    return Response(body, status_code=response.status_code, media_type="application/json",
                    headers=dict(response.headers))


def _where(principal: Principal, key: str) -> Any:
    return ((IdempotencyKey.tenant_id == principal.tenant_id) & (IdempotencyKey.user_id == principal.user_id)
            & (IdempotencyKey.request_key == key))


async def _reserve(db: Database, principal: Principal, key: str, request_hash: str) -> dict[str, Any] | None:
    """Insert the key (``None``: this request does the work) or return the first response."""
    deadline = asyncio.get_running_loop().time() + WAIT_FOR_FIRST_S
    while True:
        inserted, row = await _insert_or_read(db, principal, key, request_hash)
        if inserted:
            return None
        if row is None:
            continue  # a concurrent request inserted the key and has not committed; look again
        if row["request_hash"] != request_hash:
            raise ValidationFailed("this Idempotency-Key was already used for a different request", problems=[
                FieldProblem("header.Idempotency-Key", "already used within 24 hours with another body or "
                                                       "endpoint; use a new key for a new request")])
        if row["status_code"] is not None:
            return row
        if asyncio.get_running_loop().time() > deadline:
            raise Conflict("a request with this Idempotency-Key is still being handled; retry shortly")
        await asyncio.sleep(POLL_S)


async def _insert_or_read(db: Database, principal: Principal, key: str, request_hash: str,
                          ) -> tuple[bool, dict[str, Any] | None]:
    """``(True, None)`` when this request inserted the key, else ``(False, the key's row)``.

    ``ON CONFLICT DO NOTHING`` makes two concurrent inserts of one key safe on PostgreSQL (the
    second waits for the first to commit, then inserts nothing); SQLite has one writer."""
    now = datetime.now(UTC)
    async with db.transaction(principal.tenant_id, principal.user_id):
        row = await IdempotencyKey.select().where(_where(principal, key)).first().run()
        if row is not None and row["created_at"] > now - TTL:
            return False, row
        if row is not None:
            await IdempotencyKey.delete().where(_where(principal, key)).run()
        inserted = await IdempotencyKey.insert(IdempotencyKey(
            tenant_id=principal.tenant_id, user_id=principal.user_id, request_key=key,
            request_hash=request_hash, created_at=now)).on_conflict(action="DO NOTHING").returning(
            IdempotencyKey.request_key).run()
        return bool(inserted), None


async def _remember(db: Database, principal: Principal, key: str, response: Response[bytes]) -> None:
    headers = {k: v for k, v in response.headers.items() if k.lower() in KEPT_HEADERS}
    async with db.transaction(principal.tenant_id, principal.user_id):
        await IdempotencyKey.update({
            IdempotencyKey.status_code: response.status_code,
            IdempotencyKey.response_body: response.content.decode(),
            IdempotencyKey.response_headers: json.dumps(headers)}).where(_where(principal, key)).run()


async def _forget(db: Database, principal: Principal, key: str) -> None:
    async with db.transaction(principal.tenant_id, principal.user_id):
        await IdempotencyKey.delete().where(_where(principal, key)).run()


def _replay(row: dict[str, Any]) -> Response[bytes]:
    headers = row["response_headers"]
    headers = json.loads(headers) if isinstance(headers, str) else headers
    return Response(row["response_body"].encode(), status_code=row["status_code"],
                    media_type="application/json", headers={**headers, REPLAYED_HEADER: "true"})


async def forget_expired(db: Database, tenant_id: Any) -> int:
    """Delete the tenant's keys older than 24 hours (the reconciler calls this)."""
    async with db.transaction(tenant_id):
        rows = await IdempotencyKey.delete().where(
            (IdempotencyKey.tenant_id == tenant_id) & (IdempotencyKey.created_at < datetime.now(UTC) - TTL),
        ).returning(IdempotencyKey.request_key).run()
    return len(rows)
