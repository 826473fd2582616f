"""The connector contract: what a plugin implements and what the core hands it.

The core owns OAuth, encrypted credentials, the HTTP client (egress policy, retries, rate
budget), batching, upserts, checkpoints and progress. A connector owns only what is
vendor-specific: its auth endpoints and quirks, the requests for each stream, and the mapping
of vendor records to canonical :mod:`~cxsuite.connectors.records`.

A connector never touches the database, the session or another tenant's data: it receives a
:class:`ConnectorContext` and yields :class:`Batch` objects.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar, Literal

import msgspec

from cxsuite.connectors.files import FileLimits
from cxsuite.connectors.records import Record
from cxsuite.errors import ConnectorAuthError

# ``service_account``: a key file signs its own token requests (Google's JWT-bearer grant); such a
# connector keeps ``oauth`` for its scopes and ``token_endpoint`` for where tokens are minted.
AuthKind = Literal["oauth2", "api_key", "file_upload", "service_account"]


@dataclass(frozen=True)
class StreamSpec:
    """One stream a connector reads: its name and the canonical kind it produces."""

    name: str
    kind: str
    description: str = ""


@dataclass(frozen=True)
class OAuth2Spec:
    """A vendor's authorization-code flow; connectors override the hooks on their class
    (``token_endpoint``, ``accept_token``) for data-centre or instance quirks."""

    authorize_url: str
    token_url: str
    scopes: tuple[str, ...] = ()
    extra_authorize_params: Mapping[str, str] = field(default_factory=dict)
    scope_separator: str = " "
    pkce: bool = False


HintAction = Literal["retry", "rate_limited", "refresh", "reconnect", "misconfigured", "fail"]


@dataclass(frozen=True)
class RetryHint:
    """A connector's reading of a vendor response the status code alone does not explain.

    ``action`` says which :class:`~cxsuite.errors.FailureClass` the answer is:

    - ``retry``: transient (a 5xx, a query timeout); retried after ``after`` seconds when
      known, else with backoff; past the client's budget, :class:`ConnectorTransientError`.
    - ``rate_limited``: a vendor limit is spent. A short window (``after`` within what the
      client sleeps) is waited out; a long one (a daily limit: give ``resume_at``) raises
      :class:`ConnectorRateLimited` at once, with ``message`` as the job shows it
      ("HubSpot daily API limit reached; resumes at 00:00 UTC").
    - ``refresh``: the access token was refused; refresh once, then it means reconnect.
    - ``reconnect``: the grant cannot work any more (revoked, scopes missing): the admin
      reconnects; ``message`` says why.
    - ``misconfigured``: settings are wrong (no access to the property, API disabled for the
      org); ``message`` says what to fix.
    - ``fail``: a permanent error nobody but cxsuite can fix.
    """

    action: HintAction
    after: float | None = None
    message: str = ""
    resume_at: datetime | None = None


@dataclass(frozen=True)
class RecordError:
    """A vendor record that could not be mapped: reported with its id, never dropped silently."""

    external_id: str
    reason: str
    excerpt: str = ""


@dataclass
class Batch:
    """Records read since the previous batch and the checkpoint that resumes after them.

    The engine commits the records and the checkpoint in one transaction, so after a crash the
    sync resumes exactly after the last committed batch. ``total`` is the vendor's count of
    records in the stream when it tells one (for progress).
    """

    records: list[Record]
    checkpoint: dict[str, Any]
    errors: list[RecordError] = field(default_factory=list)
    total: int | None = None


class TokenSet(msgspec.Struct, kw_only=True):
    """OAuth tokens as stored (encrypted) for a connection, plus vendor extras such as
    Salesforce's ``instance_url`` or Zoho's ``api_domain``."""

    access_token: str
    refresh_token: str | None = None
    expires_at: datetime | None = None
    extra: dict[str, str] = msgspec.field(default_factory=dict)

    def expires_within(self, margin: timedelta, now: datetime | None = None) -> bool:
        """Whether the access token is (nearly) expired; unknown expiry means "ask on 401"."""
        if self.expires_at is None:
            return False
        return self.expires_at - margin <= (now or datetime.now(UTC))


@dataclass
class ConnectorContext:
    """What a connector may use: its configuration, its HTTP client, its credentials' extras
    and a clock. ``http`` is already authenticated and already enforces the egress policy.
    A file-upload connector gets the file (or one file per stream, ``uploads``) and the limits
    it must read it within."""

    config: Any
    http: Any
    credentials_extra: Mapping[str, str] = field(default_factory=dict)
    upload: bytes | None = None
    upload_name: str = ""
    file_limits: FileLimits = field(default_factory=FileLimits)
    uploads: Mapping[str, tuple[str, bytes]] = field(default_factory=dict)
    """Files uploaded per stream (name, content), for connectors that take one file per stream."""
    now: datetime = field(default_factory=lambda: datetime.now(UTC))


class BaseConnector:
    """Base class for connectors; subclass it, set the class attributes, implement ``read``."""

    key: ClassVar[str] = ""
    display_name: ClassVar[str] = ""
    auth_kind: ClassVar[AuthKind] = "oauth2"
    oauth: ClassVar[OAuth2Spec | None] = None
    streams: ClassVar[tuple[StreamSpec, ...]] = ()
    config_type: ClassVar[type[msgspec.Struct] | None] = None
    allowed_hosts: ClassVar[tuple[str, ...]] = ()
    default_base_url: ClassVar[str] = ""
    rate_limit: ClassVar[tuple[int, float] | None] = None

    def __init__(self, context: ConnectorContext) -> None:
        self.context = context

    async def read(self, stream: str, checkpoint: dict[str, Any] | None) -> AsyncIterator[Batch]:
        """Yield batches of ``stream`` starting after ``checkpoint`` (``None``: from scratch)."""
        raise NotImplementedError
        yield  # pragma: no cover - makes this an async generator for type checkers

    @classmethod
    def authorize_params(cls, config: Any) -> dict[str, str]:
        """Extra query parameters for the authorize URL (e.g. a sandbox login host)."""
        return {}

    @classmethod
    def authorize_endpoint(cls, config: Any) -> str:
        """Where the user consents; defaults to the spec's URL."""
        assert cls.oauth is not None
        return cls.oauth.authorize_url

    @classmethod
    def token_endpoint(cls, config: Any, callback_params: Mapping[str, str]) -> str:
        """Where the code is exchanged. Never derived from unvalidated callback parameters:
        a connector that depends on them (Zoho's ``location``) maps them through a fixed table."""
        assert cls.oauth is not None
        return cls.oauth.token_url

    @classmethod
    def refresh_endpoint(cls, config: Any, tokens: TokenSet) -> str:
        """Where tokens are refreshed; defaults to the token endpoint."""
        return cls.token_endpoint(config, {})

    @classmethod
    def accept_token(cls, body: Mapping[str, Any], config: Any, now: datetime,
                     previous: TokenSet | None = None) -> TokenSet:
        """Turn a token response into a :class:`TokenSet`, validating vendor-provided hosts.

        ``previous`` is given on refresh: a vendor that does not return a new refresh token
        keeps the old one.
        """
        if "access_token" not in body:
            raise ConnectorAuthError(f"{cls.display_name} did not return an access token "
                                     f"({body.get('error', 'no error code')}); reconnect")
        expires_in = body.get("expires_in")
        return TokenSet(
            access_token=str(body["access_token"]),
            refresh_token=str(body.get("refresh_token") or (previous.refresh_token if previous else "")
                              ) or None,
            expires_at=now + timedelta(seconds=int(expires_in)) if expires_in else None,
            extra=dict(previous.extra) if previous else {})

    @classmethod
    def retry_hint(cls, response: Any) -> RetryHint | None:
        """Classify a vendor response beyond its status code (``None``: the status decides)."""
        return None

    @classmethod
    def connection_retry_hint(cls, response: Any, config: Any) -> RetryHint | None:
        """:meth:`retry_hint` for a connection whose settings change the reading (the time zone
        a daily limit resets in); the HTTP client calls this one. Defaults to ``retry_hint``."""
        return cls.retry_hint(response)

    @classmethod
    def auth_header(cls, access_token: str) -> tuple[str, str]:
        """The header carrying the access token (Zoho uses its own scheme)."""
        return "Authorization", f"Bearer {access_token}"

    @classmethod
    def base_url(cls, config: Any, credentials_extra: Mapping[str, str]) -> str:
        """The API base for this connection (config override, token extras or the default)."""
        return getattr(config, "base_url", "") or cls.default_base_url


def stand_in_url(config: Any, path: str) -> str | None:
    """``path`` on the vendor-compatible stand-in (cxsuite's sandbox) that the connection's
    ``base_url`` points at, or ``None`` when the connection talks to the vendor itself: how a
    connector whose stand-in serves OAuth and the API under one base URL finds each endpoint."""
    base = getattr(config, "base_url", None) if config else None
    return base.rstrip("/") + path if base else None


def describe(connector: type[BaseConnector]) -> dict[str, Any]:
    """A connector as listed by ``GET /api/v1/connectors`` and ``cxsuite plugins list``."""
    schema = msgspec.json.schema(connector.config_type) if connector.config_type else {}
    return {
        "key": connector.key,
        "name": connector.display_name,
        "auth_kind": connector.auth_kind,
        "streams": [{"name": s.name, "kind": s.kind, "description": s.description}
                    for s in connector.streams],
        "config_schema": schema,
        "scopes": list(connector.oauth.scopes) if connector.oauth else [],
    }
