"""Fair start across tenants: the queue interleaves tenants' jobs, so a tenant with one job
starts within moments even when sent behind other tenants' thousand.

arq hands out due messages in score order, and a message's score is the time it was sent:
first in, first out. The per-tenant cap only reorders once busy tenants fill every worker slot,
which with many tenants they never do, so a one-job tenant sent behind 990 jobs waited for all
of them. Here a message's score is a virtual start time (start-time fair queuing): the score
of the first message no worker has started yet (the next to be served: the queue's virtual
"now"; wall-clock now when there is none), or the tenant's own next slot if that is later; each
send moves the tenant's slot on by :data:`SPACING_MS`. A tenant's k-th queued job thus sits k
slots behind the head, and a newcomer's first job at the head, whatever the wall clock did
while the burst was being sent. Slots are virtual, a millisecond apart, so a tenant alone
hardly waits: 1,000 jobs of one tenant are all due within a second.

Sends with an explicit delay (retries, a busy tenant's deferral) keep their delay and take no
slot. One Redis script reads the head and moves the slot atomically. Messages being run stay
in arq's queue until they end, so the head is the first one without an in-progress key: taking
the oldest message instead (a long job's) froze the virtual clock, every later send tied with
it, and a one-job tenant was served in random order with everyone else (bench/jobs, 2 workers).
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from uuid import UUID

from arq.constants import in_progress_key_prefix
from redis.asyncio import Redis

SPACING_MS = 1
SLOT_TTL_S = 3600  # a tenant's slot is forgotten an hour after its last send
HEAD_SCAN = 100  # messages looked at for the first one no worker has started

_TAKE_SLOT = """
local now = tonumber(ARGV[2])
local head = redis.call('ZRANGE', KEYS[2], 0, tonumber(ARGV[6]) - 1, 'WITHSCORES')
local virtual = now
for i = 1, #head, 2 do
    if redis.call('EXISTS', ARGV[5] .. head[i]) == 0 then
        virtual = math.min(now, tonumber(head[i + 1]))
        break
    end
end
local slot = tonumber(redis.call('HGET', KEYS[1], ARGV[1]) or '0')
local due = math.max(virtual, slot)
redis.call('HSET', KEYS[1], ARGV[1], tostring(due + tonumber(ARGV[3])))
redis.call('EXPIRE', KEYS[1], tonumber(ARGV[4]))
return tostring(due)
"""


async def due_time(redis: Redis, queue_name: str, tenant_id: UUID) -> datetime:
    """The score (as a time, usually in the past) of the tenant's next message."""
    now_ms = int(time.time() * 1000)
    due_ms = float(await redis.eval(_TAKE_SLOT, 2, f"{queue_name}:fair", queue_name, str(tenant_id),
                                    str(now_ms), str(SPACING_MS), SLOT_TTL_S, in_progress_key_prefix,
                                    HEAD_SCAN))
    return datetime.fromtimestamp(due_ms / 1000, UTC)
