"""Password hashing with Argon2id (argon2-cffi defaults, RFC 9106 low-memory profile).

Hashing pins a core and 64 MiB, so it runs in a worker thread to keep the event loop serving.
"""

from __future__ import annotations

import anyio.to_thread
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()

# Verified against when the email is unknown, so a miss costs as much time as a wrong password.
_DUMMY_HASH = _hasher.hash("cxsuite-timing-equaliser")


async def hash_password(password: str) -> str:
    """An Argon2id hash of ``password``."""
    return await anyio.to_thread.run_sync(_hasher.hash, password)


async def verify_password(stored_hash: str, password: str) -> bool:
    """Whether ``password`` matches; an empty or corrupt hash never matches."""
    return await anyio.to_thread.run_sync(_verify, stored_hash or _DUMMY_HASH, password,
                                          bool(stored_hash))


def _verify(stored_hash: str, password: str, real: bool) -> bool:
    try:
        return _hasher.verify(stored_hash, password) and real
    except (VerificationError, InvalidHashError):
        return False
