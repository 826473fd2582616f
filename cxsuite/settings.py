"""Configuration, read once from ``CXSUITE_*`` environment variables.

This is the only module that reads the environment. Everything else receives a
:class:`Settings` instance, so a test or a worker can run with settings of its own
without touching global state.

The embedded default needs no server: SQLite under the data folder, no Redis, and
development secrets generated once and kept in the data folder. In production mode a
missing secret is an error at start, never a silent fallback.
"""

from __future__ import annotations

import dataclasses
import json
import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from cryptography.fernet import Fernet

from cxsuite.errors import ConfigurationError

PREFIX = "CXSUITE_"
Mode = Literal["development", "production"]
CSV_FIELD_LIMIT = 131_072  # Python's csv.field_size_limit() default, a process-wide setting left as is


def _setting(env: str, doc: str, *, secret: bool = False, default: object = None) -> object:
    """A dataclass field that remembers its environment variable and documentation."""
    return field(default=default, metadata={"env": PREFIX + env, "doc": doc, "secret": secret})


@dataclass(frozen=True)
class Settings:
    """Every knob of a cxsuite process; see ``docs/configuration.md`` for the reference."""

    mode: Mode = _setting(  # type: ignore[assignment]
        "MODE", "`development` (default) or `production`; production refuses to start "
        "without explicit secrets, PostgreSQL and Redis.", default="development")
    data_dir: Path = _setting(  # type: ignore[assignment]
        "DATA_DIR", "Embedded data folder: SQLite file, development secrets, stored reports.",
        default=Path(".cxsuite"))
    database_url: str = _setting(  # type: ignore[assignment]
        "DATABASE_URL", "`sqlite:///path` or `postgresql://user@host:port/db`; the app "
        "connects with it. Default: SQLite file in the data folder.", default="")
    database_owner_url: str = _setting(  # type: ignore[assignment]
        "DATABASE_OWNER_URL", "Connection used by `cxsuite migrate` (the role that owns the "
        "tables). Defaults to DATABASE_URL. On PostgreSQL make it a different role from the "
        "app's so row-level security binds the app.", default="")
    redis_url: str = _setting(  # type: ignore[assignment]
        "REDIS_URL", "Redis for arq workers, shared rate limits and locks. Unset: jobs run "
        "in-process.", default="")
    secret_key: str = _setting(  # type: ignore[assignment]
        "SECRET_KEY", "Signs OAuth state and other short-lived values. Required in "
        "production.", secret=True, default="")
    encryption_keys: tuple[str, ...] = _setting(  # type: ignore[assignment]
        "ENCRYPTION_KEYS", "Comma-separated credential-encryption keys, newest first "
        "(urlsafe base64, 32 bytes). Several may be active during a rotation. Required in "
        "production.", secret=True, default=())
    public_base_url: str = _setting(  # type: ignore[assignment]
        "PUBLIC_BASE_URL", "External URL of the API, used for OAuth redirect URIs.",
        default="http://127.0.0.1:8000")
    connector_allowed_hosts: tuple[str, ...] = _setting(  # type: ignore[assignment]
        "CONNECTOR_ALLOWED_HOSTS", "Extra `host[:port]` entries connectors may call beside "
        "the vendor domains (e.g. the local sandbox `127.0.0.1:8765`). Only hosts listed "
        "here may resolve to loopback or private addresses.", default=())
    oauth_clients: Mapping[str, Mapping[str, str]] = _setting(  # type: ignore[assignment]
        "OAUTH_CLIENTS", "JSON object: connector key → {\"client_id\", \"client_secret\"} of "
        "cxsuite's registered OAuth app at that vendor.", secret=True, default=None)
    login_attempts_per_minute: int = _setting(  # type: ignore[assignment]
        "LOGIN_ATTEMPTS_PER_MINUTE", "Failed logins allowed per client address, and per "
        "account from one address, before exponential backoff (429, 1 s doubling up to 15 min); "
        "counts reset after 30 minutes without a failure.", default=10)
    access_token_ttl_hours: int = _setting(  # type: ignore[assignment]
        "ACCESS_TOKEN_TTL_HOURS", "Sliding lifetime of session tokens: each use extends it, up "
        "to `CXSUITE_SESSION_MAX_HOURS` after sign-in.",
        default=12)
    job_queue: str = _setting(  # type: ignore[assignment]
        "JOB_QUEUE", "Name of the Redis queue workers take jobs from.", default="cxsuite:jobs")
    job_stale_seconds: int = _setting(  # type: ignore[assignment]
        "JOB_STALE_SECONDS", "A running job whose heartbeat is older than this is presumed dead "
        "(its worker was killed) and is resumed by another worker.", default=120)
    tenant_job_concurrency: int = _setting(  # type: ignore[assignment]
        "TENANT_JOB_CONCURRENCY", "Jobs of one tenant that may run at once; the rest wait, so "
        "one tenant's backlog cannot starve the others.", default=2)
    worker_max_jobs: int = _setting(  # type: ignore[assignment]
        "WORKER_MAX_JOBS", "Jobs one worker process runs concurrently.", default=8)
    log_level: str = _setting(  # type: ignore[assignment]
        "LOG_LEVEL", "Python log level name.", default="INFO")
    log_json: bool = _setting(  # type: ignore[assignment]
        "LOG_JSON", "`1` for one JSON object per log line (production default).",
        default=False)
    # Accounts and mail (docs/accounts.md).
    smtp_url: str = _setting(  # type: ignore[assignment]
        "SMTP_URL", "Outgoing mail server: `smtp://user:pass@host:port` (no TLS), `smtps://...` "
        "(implicit TLS, default port 465) or `smtp+starttls://...` (STARTTLS required, default "
        "port 587). Unset: messages are written as `.eml` files to `$CXSUITE_DATA_DIR/outbox/`.",
        secret=True, default="")
    mail_from: str = _setting(  # type: ignore[assignment]
        "MAIL_FROM", "Sender of account mail.", default="cxsuite <no-reply@cxsuite.invalid>")
    session_max_hours: int = _setting(  # type: ignore[assignment]
        "SESSION_MAX_HOURS", "Absolute lifetime of a session token: use extends it by "
        "`CXSUITE_ACCESS_TOKEN_TTL_HOURS` (sliding), never past this many hours after sign-in.",
        default=168)
    personal_token_days: int = _setting(  # type: ignore[assignment]
        "PERSONAL_TOKEN_DAYS", "Lifetime of a personal token created without `expires_in_days`.",
        default=90)
    personal_token_max_days: int = _setting(  # type: ignore[assignment]
        "PERSONAL_TOKEN_MAX_DAYS", "Longest lifetime a personal token may ask for.", default=365)
    signup_attempts_per_hour: int = _setting(  # type: ignore[assignment]
        "SIGNUP_ATTEMPTS_PER_HOUR", "Sign-ups and password-reset requests allowed per client "
        "address before exponential backoff (429) sets in.", default=20)
    trusted_proxies: tuple[str, ...] = _setting(  # type: ignore[assignment]
        "TRUSTED_PROXIES", "Comma-separated addresses of the reverse proxies whose "
        "X-Forwarded-For and X-Forwarded-Proto `cxsuite serve` believes (the client address for "
        "throttling and the audit log; https for HSTS); `*` trusts any peer. Default `127.0.0.1`.",
        default=("127.0.0.1",))

    # Input limits: every bound on what one request or one uploaded file may make the server do.
    request_max_body_bytes: int = _setting(  # type: ignore[assignment]
        "REQUEST_MAX_BODY_BYTES", "Largest request body (JSON, forms) in bytes; a larger one is "
        "refused with 413. The upload route uses UPLOAD_MAX_BYTES instead.", default=1_000_000)
    json_max_depth: int = _setting(  # type: ignore[assignment]
        "JSON_MAX_DEPTH", "Deepest nesting of objects and arrays in a JSON body; a deeper body is "
        "refused with 400 before it is decoded.", default=32)
    json_max_string_chars: int = _setting(  # type: ignore[assignment]
        "JSON_MAX_STRING_CHARS", "Longest string (value or key) in a JSON body or a query "
        "parameter; a longer one is refused with 400. Fields with a lower limit of their own keep "
        "it.", default=100_000)
    upload_max_bytes: int = _setting(  # type: ignore[assignment]
        "UPLOAD_MAX_BYTES", "Largest uploaded file (survey export) in bytes; a larger one is "
        "refused with 413.", default=20_000_000)
    upload_max_unpacked_bytes: int = _setting(  # type: ignore[assignment]
        "UPLOAD_MAX_UNPACKED_BYTES", "Uncompressed bytes an uploaded XLSX (a zip) may declare in "
        "total; more is refused at upload with 422, before anything is decompressed.",
        default=200_000_000)
    upload_max_shared_strings_bytes: int = _setting(  # type: ignore[assignment]
        "UPLOAD_MAX_SHARED_STRINGS_BYTES", "Uncompressed bytes of an XLSX's shared-strings part, "
        "which spreadsheet readers load whole into memory; more is refused at upload with 422.",
        default=32_000_000)
    upload_max_ratio: int = _setting(  # type: ignore[assignment]
        "UPLOAD_MAX_RATIO", "Highest compression ratio of one XLSX part over 1 MB uncompressed "
        "(a zip bomb compresses 1,000:1); higher is refused at upload with 422.", default=200)
    upload_max_members: int = _setting(  # type: ignore[assignment]
        "UPLOAD_MAX_MEMBERS", "Files an uploaded XLSX (zip) may contain; more is refused at "
        "upload with 422.", default=1_000)
    import_max_rows: int = _setting(  # type: ignore[assignment]
        "IMPORT_MAX_ROWS", "Rows an imported file may have; the import keeps the rows before the "
        "limit and fails naming the row.", default=200_000)
    import_max_columns: int = _setting(  # type: ignore[assignment]
        "IMPORT_MAX_COLUMNS", "Columns a row of an imported file may have; the import keeps the "
        "rows before and fails naming the row and column.", default=1_000)
    import_max_cells: int = _setting(  # type: ignore[assignment]
        "IMPORT_MAX_CELLS", "Cells (rows times their columns) an imported file may hold, which "
        "bounds the memory a file's table takes; the import keeps the rows before the limit and "
        "fails naming the row.", default=5_000_000)
    import_max_cell_chars: int = _setting(  # type: ignore[assignment]
        "IMPORT_MAX_CELL_CHARS", "Characters one cell of an imported file may hold (Excel's own "
        "limit is 32,767); the import keeps the rows before and fails naming the row and "
        "column. At most 131,072, the CSV reader's limit.", default=32_767)
    # Jobs survive faults (issue 14).
    job_reconcile_seconds: int = _setting(  # type: ignore[assignment]
        "JOB_RECONCILE_SECONDS", "How often each worker's reconciler re-enqueues the jobs the "
        "database holds as queued or running that Redis no longer knows (after a Redis restart "
        "or a killed worker).", default=20)
    # Data-quality checks of every score run (issue 15, docs/scoring.md).
    plausible_duration_hours: int = _setting(  # type: ignore[assignment]
        "PLAUSIBLE_DURATION_HOURS", "Longest ticket response or resolution time, or speed to "
        "lead, taken at face value; a median or P90 beyond it is flagged (open or unlogged "
        "items, broken timestamps) and left out of the maturity score. Sales cycles are checked "
        "against 12 times this bound.", default=720)
    extreme_rate_min_n: int = _setting(  # type: ignore[assignment]
        "EXTREME_RATE_MIN_N", "Records from which a rate of exactly 0 % or 100 % is flagged as "
        "implausible (usually a field that is not recorded) and left out of the maturity score.",
        default=100)
    duplicate_share_flag_percent: int = _setting(  # type: ignore[assignment]
        "DUPLICATE_SHARE_FLAG_PERCENT", "Share of duplicate customer records (percent) above "
        "which the duplicate figure is flagged as implausible and left out of the maturity "
        "score.", default=50)

    @property
    def is_production(self) -> bool:
        """Production mode turns missing secrets into start-up errors."""
        return self.mode == "production"

    @property
    def is_postgres(self) -> bool:
        """Whether the configured database is PostgreSQL (RLS, COPY) rather than SQLite."""
        return self.database_url.startswith(("postgresql://", "postgres://"))

    @property
    def owner_url(self) -> str:
        """The URL migrations run with."""
        return self.database_owner_url or self.database_url

    def redacted(self) -> dict[str, object]:
        """Settings as a dict safe to print: secret values replaced by a marker."""
        out: dict[str, object] = {}
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            out[f.name] = "***" if f.metadata.get("secret") and value else value
        for name in ("database_url", "database_owner_url", "redis_url"):
            out[name] = _redact_url_password(str(out[name]))
        return out


def _redact_url_password(url: str) -> str:
    """Hide the password part of a ``scheme://user:password@host`` URL."""
    if "@" not in url or "://" not in url:
        return url
    scheme, rest = url.split("://", 1)
    creds, host = rest.rsplit("@", 1)
    user = creds.split(":", 1)[0]
    return f"{scheme}://{user}:***@{host}" if ":" in creds else url


def setting_docs() -> list[tuple[str, str, bool]]:
    """``(ENV_NAME, doc, is_secret)`` for every setting, for docs and their test."""
    return [(f.metadata["env"], f.metadata["doc"], f.metadata["secret"])
            for f in dataclasses.fields(Settings)]


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Read and validate settings; raise :class:`ConfigurationError` naming what is wrong."""
    env = os.environ if environ is None else environ
    raw = {f.metadata["env"]: env.get(f.metadata["env"], "").strip()
           for f in dataclasses.fields(Settings)}
    mode = raw[PREFIX + "MODE"] or "development"
    if mode not in ("development", "production"):
        raise ConfigurationError(f"{PREFIX}MODE must be 'development' or 'production', got {mode!r}")
    data_dir = Path(raw[PREFIX + "DATA_DIR"] or ".cxsuite").expanduser()
    values: dict[str, object] = {
        "mode": mode,
        "data_dir": data_dir,
        "database_url": raw[PREFIX + "DATABASE_URL"] or f"sqlite:///{data_dir / 'cxsuite.sqlite3'}",
        "database_owner_url": raw[PREFIX + "DATABASE_OWNER_URL"],
        "redis_url": raw[PREFIX + "REDIS_URL"],
        "public_base_url": (raw[PREFIX + "PUBLIC_BASE_URL"] or "http://127.0.0.1:8000").rstrip("/"),
        "connector_allowed_hosts": _split(raw[PREFIX + "CONNECTOR_ALLOWED_HOSTS"]),
        "oauth_clients": _oauth_clients(raw[PREFIX + "OAUTH_CLIENTS"]),
        "login_attempts_per_minute": _int(raw, "LOGIN_ATTEMPTS_PER_MINUTE", 10),
        "access_token_ttl_hours": _int(raw, "ACCESS_TOKEN_TTL_HOURS", 12),
        "job_queue": raw[PREFIX + "JOB_QUEUE"] or "cxsuite:jobs",
        "job_stale_seconds": _int(raw, "JOB_STALE_SECONDS", 120),
        "tenant_job_concurrency": _int(raw, "TENANT_JOB_CONCURRENCY", 2),
        "worker_max_jobs": _int(raw, "WORKER_MAX_JOBS", 8),
        "log_level": (raw[PREFIX + "LOG_LEVEL"] or "INFO").upper(),
        "log_json": raw[PREFIX + "LOG_JSON"].lower() in ("1", "true", "yes")
        if raw[PREFIX + "LOG_JSON"] else mode == "production",
        "smtp_url": raw[PREFIX + "SMTP_URL"],
        "mail_from": raw[PREFIX + "MAIL_FROM"] or "cxsuite <no-reply@cxsuite.invalid>",
        "session_max_hours": _int(raw, "SESSION_MAX_HOURS", 168),
        "personal_token_days": _int(raw, "PERSONAL_TOKEN_DAYS", 90),
        "personal_token_max_days": _int(raw, "PERSONAL_TOKEN_MAX_DAYS", 365),
        "signup_attempts_per_hour": _int(raw, "SIGNUP_ATTEMPTS_PER_HOUR", 20),
        "trusted_proxies": _split(raw[PREFIX + "TRUSTED_PROXIES"]) or ("127.0.0.1",),
        "request_max_body_bytes": _int(raw, "REQUEST_MAX_BODY_BYTES", 1_000_000),
        "json_max_depth": _int(raw, "JSON_MAX_DEPTH", 32),
        "json_max_string_chars": _int(raw, "JSON_MAX_STRING_CHARS", 100_000),
        "upload_max_bytes": _int(raw, "UPLOAD_MAX_BYTES", 20_000_000),
        "upload_max_unpacked_bytes": _int(raw, "UPLOAD_MAX_UNPACKED_BYTES", 200_000_000),
        "upload_max_shared_strings_bytes": _int(raw, "UPLOAD_MAX_SHARED_STRINGS_BYTES", 32_000_000),
        "upload_max_ratio": _int(raw, "UPLOAD_MAX_RATIO", 200),
        "upload_max_members": _int(raw, "UPLOAD_MAX_MEMBERS", 1_000),
        "import_max_rows": _int(raw, "IMPORT_MAX_ROWS", 200_000),
        "import_max_columns": _int(raw, "IMPORT_MAX_COLUMNS", 1_000),
        "import_max_cells": _int(raw, "IMPORT_MAX_CELLS", 5_000_000),
        "import_max_cell_chars": _int(raw, "IMPORT_MAX_CELL_CHARS", 32_767),
        "job_reconcile_seconds": _int(raw, "JOB_RECONCILE_SECONDS", 20),
        "plausible_duration_hours": _int(raw, "PLAUSIBLE_DURATION_HOURS", 720),
        "extreme_rate_min_n": _int(raw, "EXTREME_RATE_MIN_N", 100),
        "duplicate_share_flag_percent": _int(raw, "DUPLICATE_SHARE_FLAG_PERCENT", 50),
    }
    values["secret_key"], values["encryption_keys"] = _secrets(raw, mode, data_dir)
    settings = Settings(**values)  # type: ignore[arg-type]
    _validate(settings)
    return settings


def _split(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in value.split(",") if part.strip())


def _oauth_clients(value: str) -> Mapping[str, Mapping[str, str]]:
    """``{"hubspot": {"client_id": ..., "client_secret": ...}, ...}``, checked for shape."""
    if not value:
        return {}
    try:
        clients = json.loads(value)
    except json.JSONDecodeError:
        raise ConfigurationError(f"{PREFIX}OAUTH_CLIENTS must be a JSON object") from None
    ok = isinstance(clients, dict) and all(
        isinstance(v, dict) and all(isinstance(v.get(k), str) for k in ("client_id", "client_secret"))
        for v in clients.values())
    if not ok:
        raise ConfigurationError(f"{PREFIX}OAUTH_CLIENTS must map each connector key to "
                                 '{"client_id": "...", "client_secret": "..."}')
    return clients


def _int(raw: Mapping[str, str], name: str, default: int) -> int:
    value = raw[PREFIX + name]
    if not value:
        return default
    try:
        number = int(value)
    except ValueError:
        raise ConfigurationError(f"{PREFIX}{name} must be a whole number, got {value!r}") from None
    if number <= 0:
        raise ConfigurationError(f"{PREFIX}{name} must be positive, got {number}")
    return number


def _secrets(raw: Mapping[str, str], mode: str, data_dir: Path) -> tuple[str, tuple[str, ...]]:
    """Explicit secrets win; development falls back to secrets kept in the data folder."""
    secret_key = raw[PREFIX + "SECRET_KEY"]
    keys = _split(raw[PREFIX + "ENCRYPTION_KEYS"])
    if mode == "production":
        missing = [PREFIX + n for n, v in (("SECRET_KEY", secret_key), ("ENCRYPTION_KEYS", keys)) if not v]
        if missing:
            raise ConfigurationError(
                f"production mode needs {' and '.join(missing)}; generate values with "
                "`cxsuite keys generate` and set them in the environment")
        return secret_key, keys
    if not secret_key:
        secret_key = _dev_secret(data_dir / "secret_key", lambda: secrets.token_urlsafe(48))
    if not keys:
        keys = (_dev_secret(data_dir / "encryption_key", lambda: Fernet.generate_key().decode()),)
    return secret_key, keys


def _dev_secret(path: Path, make: object) -> str:
    """A development secret generated on first use and kept (mode 0600) in the data folder."""
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    value = make()  # type: ignore[operator]
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(value)
    return value


def _validate(settings: Settings) -> None:
    url = settings.database_url
    if not url.startswith(("sqlite:///", "postgresql://", "postgres://")):
        raise ConfigurationError(
            f"{PREFIX}DATABASE_URL must start with sqlite:/// or postgresql://, got {url.split(':')[0]!r}")
    if settings.redis_url and not settings.redis_url.startswith(("redis://", "rediss://", "unix://")):
        raise ConfigurationError(f"{PREFIX}REDIS_URL must start with redis://, rediss:// or unix://")
    if len(settings.secret_key) < 32:
        raise ConfigurationError(f"{PREFIX}SECRET_KEY must be at least 32 characters")
    if settings.is_production:
        if not settings.is_postgres:
            raise ConfigurationError(f"production mode needs {PREFIX}DATABASE_URL=postgresql://...")
        if not settings.redis_url:
            raise ConfigurationError(f"production mode needs {PREFIX}REDIS_URL for the job workers")
    if settings.smtp_url and not settings.smtp_url.startswith(("smtp://", "smtps://", "smtp+starttls://")):
        raise ConfigurationError(f"{PREFIX}SMTP_URL must start with smtp://, smtps:// or smtp+starttls://")
    if settings.access_token_ttl_hours > settings.session_max_hours:
        raise ConfigurationError(f"{PREFIX}ACCESS_TOKEN_TTL_HOURS may not exceed {PREFIX}SESSION_MAX_HOURS")
    if settings.personal_token_days > settings.personal_token_max_days:
        raise ConfigurationError(
            f"{PREFIX}PERSONAL_TOKEN_DAYS may not exceed {PREFIX}PERSONAL_TOKEN_MAX_DAYS")
    if settings.import_max_cell_chars > CSV_FIELD_LIMIT:
        raise ConfigurationError(f"{PREFIX}IMPORT_MAX_CELL_CHARS may be at most {CSV_FIELD_LIMIT:,} "
                                 "(the CSV reader's own limit)")
    for key in settings.encryption_keys:
        try:
            Fernet(key.encode())
        except ValueError:
            raise ConfigurationError(
                f"{PREFIX}ENCRYPTION_KEYS holds a key that is not 32 bytes of urlsafe base64; "
                "generate one with `cxsuite keys generate`") from None
