"""What a plugin author provides to the conformance suite: their connector and a vendor
stand-in they can steer."""

from __future__ import annotations

from abc import ABC, abstractmethod
from enum import StrEnum
from typing import Any, ClassVar

from cxsuite.connectors.contract import BaseConnector


class Fault(StrEnum):
    """Vendor misbehaviour the suite asks the stand-in for, one request at a time.

    ``RATE_LIMIT`` is a short throttle (429 with a wait of seconds); ``DAILY_LIMIT`` is the
    vendor's own answer once the account's daily (or 24-hour) allowance is spent, which the
    connector must turn into :class:`~cxsuite.errors.ConnectorRateLimited` (a ``rate_limited``
    :class:`~cxsuite.connectors.RetryHint` with ``resume_at``)."""

    RATE_LIMIT = "rate_limit"
    SERVER_ERROR = "server_error"
    MALFORMED_RECORD = "malformed_record"
    DAILY_LIMIT = "daily_limit"


class VendorHarness(ABC):
    """A running stand-in of the vendor, and how to connect the connector to it.

    ``allowed_hosts`` are the ``host:port`` entries the stand-in listens on (they go into the
    egress allow-list for the test, exactly like a deployment's ``CXSUITE_CONNECTOR_ALLOWED_HOSTS``).
    """

    connector: ClassVar[type[BaseConnector]]
    allowed_hosts: tuple[str, ...] = ()

    @abstractmethod
    def config(self) -> dict[str, Any]:
        """The connection configuration that points the connector at the stand-in."""

    def oauth_client(self) -> dict[str, str]:
        """For OAuth connectors: the client id and secret the stand-in accepts."""
        raise NotImplementedError

    def api_key(self) -> str:
        """For API-key connectors: a key the stand-in accepts."""
        raise NotImplementedError

    def service_account_key(self) -> dict[str, Any]:
        """For service-account connectors: a key file (JSON object) the stand-in accepts."""
        raise NotImplementedError

    def upload(self) -> tuple[str, bytes]:
        """For file-upload connectors: a file name and its bytes."""
        raise NotImplementedError

    @abstractmethod
    def expected_ids(self, stream: str) -> set[str]:
        """External ids the stand-in holds for ``stream`` (archived ones included)."""

    @abstractmethod
    def inject(self, fault: Fault, count: int = 1) -> None:
        """Make the next ``count`` data requests misbehave."""

    @abstractmethod
    def expire_tokens(self) -> None:
        """Expire every access token the stand-in has issued (OAuth connectors)."""

    def streams(self) -> list[str]:
        """The streams to check (default: all the connector declares)."""
        return [s.name for s in self.connector.streams]
