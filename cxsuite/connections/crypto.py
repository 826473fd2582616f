"""Credential encryption at rest: AES-256-GCM with associated data and a key ring.

Each ciphertext is ``v1.<key id>.<base64(nonce + ciphertext)>``. The key id is a digest of
the key (never the key), so the ring can say which key is missing. The associated data binds
a ciphertext to its tenant, connection and purpose: copied into another row it fails to
decrypt instead of silently working (Fernet has no associated data, hence AES-GCM).

Keys come from ``CXSUITE_ENCRYPTION_KEYS`` (urlsafe base64 of 32 bytes, newest first): the
first encrypts, all decrypt. Rotation: put the new key first, run ``cxsuite keys rotate``,
then drop the old key.
"""

from __future__ import annotations

import base64
import hashlib
import os
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.fernet import Fernet
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from cxsuite.errors import ConfigurationError, CxsuiteError
from cxsuite.settings import Settings

VERSION = "v1"
NONCE_BYTES = 12


class DecryptionFailed(CxsuiteError):
    """No active key opens the ciphertext, or it was made for another row or purpose."""

    title = "Credentials cannot be decrypted"


def generate_key() -> str:
    """A new key in the format ``CXSUITE_ENCRYPTION_KEYS`` takes."""
    return Fernet.generate_key().decode()


def key_id(key: str) -> str:
    """A short, stable, non-secret name for a key."""
    return hashlib.sha256(b"cxsuite-key-id:" + _raw(key)).hexdigest()[:12]


def _raw(key: str) -> bytes:
    raw = base64.urlsafe_b64decode(key.encode())
    if len(raw) != 32:
        raise ConfigurationError("an encryption key must be 32 bytes of urlsafe base64")
    return raw


@lru_cache(maxsize=16)
def _ring(keys: tuple[str, ...]) -> tuple[tuple[str, AESGCM], ...]:
    if not keys:
        raise ConfigurationError("no encryption key is configured (CXSUITE_ENCRYPTION_KEYS)")
    return tuple((key_id(k), AESGCM(_raw(k))) for k in keys)


def encrypt(settings: Settings, plaintext: bytes, aad: str) -> str:
    """Encrypt under the newest key, bound to ``aad``."""
    kid, cipher = _ring(settings.encryption_keys)[0]
    nonce = os.urandom(NONCE_BYTES)
    sealed = cipher.encrypt(nonce, plaintext, aad.encode())
    return f"{VERSION}.{kid}.{base64.urlsafe_b64encode(nonce + sealed).decode()}"


def decrypt(settings: Settings, ciphertext: str, aad: str) -> bytes:
    """The plaintext, or :class:`DecryptionFailed` naming the key id (never the key)."""
    _, kid, body = _split(ciphertext)
    ring = dict(_ring(settings.encryption_keys))
    if kid not in ring:
        raise DecryptionFailed(f"the key {kid} that encrypted these credentials is no longer "
                               "configured; restore it in CXSUITE_ENCRYPTION_KEYS or reconnect")
    data = base64.urlsafe_b64decode(body.encode())
    try:
        return ring[kid].decrypt(data[:NONCE_BYTES], data[NONCE_BYTES:], aad.encode())
    except InvalidTag:
        raise DecryptionFailed("these credentials belong to another connection or were "
                               "tampered with") from None


def needs_rotation(settings: Settings, ciphertext: str) -> bool:
    """Whether the ciphertext was made with a key other than the newest."""
    return _split(ciphertext)[1] != _ring(settings.encryption_keys)[0][0]


def rotate(settings: Settings, ciphertext: str, aad: str) -> str:
    """Re-encrypt under the newest key (unchanged when it already is)."""
    if not needs_rotation(settings, ciphertext):
        return ciphertext
    return encrypt(settings, decrypt(settings, ciphertext, aad), aad)


def _split(ciphertext: str) -> tuple[str, str, str]:
    parts = ciphertext.split(".", 2)
    if len(parts) != 3 or parts[0] != VERSION:
        raise DecryptionFailed("stored credentials are not in a format this version reads")
    return parts[0], parts[1], parts[2]
