"""Settings: embedded defaults, production refusals with clear messages, redaction."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet

from cxsuite.errors import ConfigurationError
from cxsuite.settings import load_settings

KEY = Fernet.generate_key().decode()
PRODUCTION = {"CXSUITE_MODE": "production", "CXSUITE_SECRET_KEY": "s" * 40,
              "CXSUITE_ENCRYPTION_KEYS": KEY, "CXSUITE_DATABASE_URL": "postgresql://app:pw@db/cx",
              "CXSUITE_REDIS_URL": "redis://localhost:6379/0"}


def test_embedded_default_needs_no_server_and_keeps_its_dev_secrets(tmp_path):
    first = load_settings({"CXSUITE_DATA_DIR": str(tmp_path)})
    assert first.database_url == f"sqlite:///{tmp_path / 'cxsuite.sqlite3'}"
    assert first.redis_url == ""
    assert not first.is_production
    second = load_settings({"CXSUITE_DATA_DIR": str(tmp_path)})
    assert (first.secret_key, first.encryption_keys) == (second.secret_key, second.encryption_keys)
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize("missing", ["CXSUITE_SECRET_KEY", "CXSUITE_ENCRYPTION_KEYS"])
def test_production_without_a_secret_is_an_error_naming_it(missing, tmp_path):
    env = {**PRODUCTION, "CXSUITE_DATA_DIR": str(tmp_path)}
    del env[missing]
    with pytest.raises(ConfigurationError, match=missing):
        load_settings(env)
    assert not (tmp_path / "secret_key").exists()  # no silent fallback was written


def test_production_refuses_sqlite_and_missing_redis():
    with pytest.raises(ConfigurationError, match="DATABASE_URL"):
        load_settings({**PRODUCTION, "CXSUITE_DATABASE_URL": "sqlite:///x.db"})
    with pytest.raises(ConfigurationError, match="REDIS_URL"):
        load_settings({**PRODUCTION, "CXSUITE_REDIS_URL": ""})


@pytest.mark.parametrize(("name", "value", "needle"), [
    ("CXSUITE_DATABASE_URL", "mysql://x", "DATABASE_URL"),
    ("CXSUITE_ENCRYPTION_KEYS", "not-a-key", "ENCRYPTION_KEYS"),
    ("CXSUITE_LOGIN_ATTEMPTS_PER_MINUTE", "many", "whole number"),
    ("CXSUITE_MODE", "staging", "CXSUITE_MODE"),
    ("CXSUITE_SECRET_KEY", "short", "32 characters"),
])
def test_bad_values_are_refused_with_the_variable_named(name, value, needle, tmp_path):
    with pytest.raises(ConfigurationError, match=needle):
        load_settings({"CXSUITE_DATA_DIR": str(tmp_path), name: value})


def test_redacted_settings_hide_secrets_and_url_passwords():
    settings = load_settings(PRODUCTION)
    shown = str(settings.redacted())
    assert "s" * 40 not in shown and KEY not in shown and ":pw@" not in shown
    assert "postgresql://app:***@db/cx" in shown
