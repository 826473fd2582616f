"""Credentials at rest: AES-GCM bound to their row, several keys, rotation."""

from __future__ import annotations

import dataclasses

import pytest

from cxsuite.connections import crypto
from cxsuite.settings import load_settings

OLD, NEW = crypto.generate_key(), crypto.generate_key()


def settings_with(*keys: str, tmp_path):
    return load_settings({"CXSUITE_DATA_DIR": str(tmp_path), "CXSUITE_ENCRYPTION_KEYS": ",".join(keys)})


def test_round_trip_and_the_plaintext_is_not_in_the_ciphertext(tmp_path):
    settings = settings_with(OLD, tmp_path=tmp_path)
    sealed = crypto.encrypt(settings, b"refresh-token-123", "t1|c1|credentials")
    assert b"refresh-token-123" not in sealed.encode()
    assert crypto.decrypt(settings, sealed, "t1|c1|credentials") == b"refresh-token-123"


def test_a_ciphertext_moved_to_another_row_does_not_decrypt(tmp_path):
    settings = settings_with(OLD, tmp_path=tmp_path)
    sealed = crypto.encrypt(settings, b"secret", "tenantA|conn1|credentials")
    with pytest.raises(crypto.DecryptionFailed, match="another connection"):
        crypto.decrypt(settings, sealed, "tenantB|conn1|credentials")


def test_an_unknown_key_is_named_by_id_never_by_value(tmp_path):
    sealed = crypto.encrypt(settings_with(OLD, tmp_path=tmp_path), b"secret", "a")
    with pytest.raises(crypto.DecryptionFailed) as caught:
        crypto.decrypt(settings_with(NEW, tmp_path=tmp_path), sealed, "a")
    assert crypto.key_id(OLD) in str(caught.value)
    assert OLD not in str(caught.value)


def test_rotation_reencrypts_under_the_new_key_so_the_old_one_can_go(tmp_path):
    old_only = settings_with(OLD, tmp_path=tmp_path)
    sealed = crypto.encrypt(old_only, b"secret", "a")
    both = dataclasses.replace(old_only, encryption_keys=(NEW, OLD))
    assert crypto.needs_rotation(both, sealed)
    rotated = crypto.rotate(both, sealed, "a")
    assert not crypto.needs_rotation(both, rotated)
    new_only = dataclasses.replace(old_only, encryption_keys=(NEW,))
    assert crypto.decrypt(new_only, rotated, "a") == b"secret"
    with pytest.raises(crypto.DecryptionFailed):
        crypto.decrypt(new_only, sealed, "a")
