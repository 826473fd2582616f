"""A worker that starts while PostgreSQL is unreachable waits for it instead of exiting (the
fault bench's PostgreSQL restart found a worker started mid-restart dead with "Connect call
failed"). The database here is really unreachable: its port refuses connections until a TCP
relay to the run's PostgreSQL opens on it."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

import pytest

from cxsuite.worker import open_database
from tests.support.server import free_port

pytestmark = [pytest.mark.anyio, pytest.mark.postgres_only]


@contextlib.asynccontextmanager
async def relay(port: int, target: tuple[str, int]) -> AsyncIterator[None]:
    """Forward 127.0.0.1:``port`` to ``target`` while the block runs."""
    async def pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(ConnectionError):
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        writer.close()

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        upstream_reader, upstream_writer = await asyncio.open_connection(*target)
        await asyncio.gather(pipe(reader, upstream_writer), pipe(upstream_reader, writer))

    server = await asyncio.start_server(serve, "127.0.0.1", port)
    try:
        yield
    finally:
        server.close()


# Piccolo's engine warns once ("Unable to connect to database") when it is built without a server.
@pytest.mark.filterwarnings("ignore:.*Unable to connect to database")
async def test_a_worker_waits_for_an_unreachable_database_and_then_opens_it(settings):
    port = free_port()
    host = settings.database_url.split("@", 1)[1].split("/", 1)[0]
    target = (host.split(":")[0], int(host.split(":")[1]))
    url = settings.database_url.replace(host, f"127.0.0.1:{port}")
    opening = asyncio.create_task(open_database(url, max_wait_s=0.5))
    await asyncio.sleep(2)
    assert not opening.done(), opening  # refused connections are waited out, not fatal
    async with relay(port, target):
        db = await asyncio.wait_for(opening, 15)
        try:
            async with db.transaction(None, write=False):
                assert [dict(r) for r in await db.engine._run_in_pool("SELECT 1 AS one")] == [{"one": 1}]
        finally:
            await db.close()


@pytest.mark.filterwarnings("ignore:.*Unable to connect to database")
async def test_a_database_that_does_not_exist_is_not_waited_for(settings):
    url = settings.database_url.rsplit("/", 1)[0] + "/cxsuite_no_such_database"
    with pytest.raises(Exception, match="does not exist") as refused:
        await asyncio.wait_for(open_database(url), 15)
    assert not isinstance(refused.value, TimeoutError)
