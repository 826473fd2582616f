"""One exception tree shared by the API, the jobs and the connectors.

The API maps each class to an RFC 9457 problem-details response (``cxsuite.api.problems``);
jobs use :attr:`CxsuiteError.retryable` to decide between retrying and failing fast;
connectors raise the :class:`ConnectorError` family so a client admin reads a message they
can act on instead of a stack trace.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class FailureClass(StrEnum):
    """What kind of failure an error is; the class, not the message, decides what happens next.

    ``transient`` retries with backoff; ``rate_limited`` waits for the window the vendor names
    (``resume_at``); ``needs_reconnect`` waits for the client admin to reconnect;
    ``misconfigured`` waits for someone to fix the connection's settings or the app's OAuth
    client; ``bad_data`` is reported per record and the work goes on; ``internal`` is our bug.
    """

    TRANSIENT = "transient"
    RATE_LIMITED = "rate_limited"
    NEEDS_RECONNECT = "needs_reconnect"
    MISCONFIGURED = "misconfigured"
    BAD_DATA = "bad_data"
    INTERNAL = "internal"


@dataclass(frozen=True)
class Choice:
    """One value a refused field may take, with the words a person recognises it by (a
    consultancy's id and its name), so a client can offer a choice without parsing the reason."""

    value: str
    label: str


@dataclass(frozen=True)
class FieldProblem:
    """One invalid input: where it is (``body.name``, ``query.limit``), why it is refused and,
    when a configured bound was crossed, that bound (so a client can adapt without parsing text);
    ``choices`` when the field must be one of a few values the caller could not know."""

    field: str
    reason: str
    limit: int | None = None
    choices: tuple[Choice, ...] = ()


class CxsuiteError(Exception):
    """Base of every error cxsuite raises on purpose."""

    status_code = 500
    title = "Internal error"
    retryable = False
    failure_class: FailureClass = FailureClass.INTERNAL

    def __init__(self, detail: str = "", *, problems: list[FieldProblem] | None = None) -> None:
        super().__init__(detail or self.title)
        self.detail = detail or self.title
        self.problems = problems or []


class ConfigurationError(CxsuiteError):
    """The process is misconfigured; raised at start so it never runs half-configured."""

    title = "Configuration error"


class BadRequest(CxsuiteError):
    """A request refused before decoding because it crosses an input limit (nesting, length)."""

    status_code = 400
    title = "Invalid request"


class ContentTooLarge(CxsuiteError):
    """A request body or uploaded file over its configured size (the limit is in its problems)."""

    status_code = 413
    title = "Request Entity Too Large"


class ValidationFailed(CxsuiteError):
    """Input that parses but breaks a rule; carries the fields and the reasons."""

    status_code = 422
    title = "Invalid input"


class Unauthenticated(CxsuiteError):
    """No credentials, or credentials that are expired, revoked or wrong."""

    status_code = 401
    title = "Authentication required"


class Forbidden(CxsuiteError):
    """Authenticated, but the role does not allow the action."""

    status_code = 403
    title = "Forbidden"


class NotFound(CxsuiteError):
    """Missing, or belonging to another tenant or workspace: the two are indistinguishable."""

    status_code = 404
    title = "Not found"


class Conflict(CxsuiteError):
    """The request collides with existing state (a duplicate email, a running sync)."""

    status_code = 409
    title = "Conflict"


class TooManyRequests(CxsuiteError):
    """A rate limit was hit; ``retry_after`` says when to try again, in seconds."""

    status_code = 429
    title = "Too many requests"

    def __init__(self, detail: str = "", *, retry_after: int = 60) -> None:
        super().__init__(detail)
        self.retry_after = retry_after


class ConnectorError(CxsuiteError):
    """Base for errors talking to a vendor; subclasses say whose move it is."""

    status_code = 502
    title = "Connector error"


class ConnectorConfigError(ConnectorError):
    """The connection is set up wrongly (bad property id, disallowed host): the admin fixes it."""

    status_code = 422
    title = "Connector configuration error"
    failure_class = FailureClass.MISCONFIGURED


class ConnectorAuthError(ConnectorError):
    """Credentials were revoked or cannot be refreshed: the admin must reconnect."""

    status_code = 409
    title = "Connector authorisation error"
    failure_class = FailureClass.NEEDS_RECONNECT


class ConnectorTransientError(ConnectorError):
    """Network trouble, 429 or 5xx from the vendor: worth retrying later."""

    status_code = 503
    title = "Vendor temporarily unavailable"
    retryable = True
    failure_class = FailureClass.TRANSIENT

    def __init__(self, detail: str = "", *, retry_after: float | None = None) -> None:
        super().__init__(detail)
        self.retry_after = retry_after


class ConnectorRateLimited(ConnectorTransientError):
    """The vendor's quota for a window is spent (a daily limit, say): wait until ``resume_at``.

    The message names the limit and the time, e.g. "HubSpot daily API limit reached; resumes
    at 00:00 UTC", because the job shows it while it waits."""

    title = "Vendor rate limit reached"
    failure_class = FailureClass.RATE_LIMITED

    def __init__(self, detail: str = "", *, resume_at: datetime,
                 retry_after: float | None = None) -> None:
        super().__init__(detail, retry_after=retry_after)
        self.resume_at = resume_at


class VendorError(ConnectorError):
    """The vendor answered with an error that retrying will not fix."""

    title = "Vendor error"


class SsrfBlocked(ConnectorConfigError):
    """An outbound URL was refused by the egress policy; nothing was sent."""

    title = "Outbound address refused"
