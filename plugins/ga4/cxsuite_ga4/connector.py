"""Google Analytics 4 Data API (v1beta): one ``runReport`` stream of daily web metrics.

What is read: sessions, engaged sessions, key events and total revenue per day × session
default channel group × device category × landing page, for the configured property.

How a sync moves (the checkpoint after every page says where it is):

- The sync reads the days from ``first`` to ``until`` (today, UTC) in windows of
  ``window_days`` days, one ``runReport`` date range each, paged with ``limit``/``offset``.
  ``rowCount`` is the window's total whatever the page holds, so a window is done only when
  ``offset`` reaches ``rowCount`` — never because a page looked short. Rows are ordered by
  every dimension so offsets mean the same rows on every request.
- The first sync starts at ``start_date`` (default: two years ago). GA4 keeps changing the
  last ~48 h (late hits, attribution), so each later sync starts ``lookback_days`` before
  the last day the previous one read and upserts: a changed day overwrites its rows.
- The checkpoint holds the window, the offset within it and ``until``, so an interrupted
  sync resumes at the next page of the same window; between syncs only ``synced_through``
  (the last day read) remains.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from functools import partial
from typing import Annotated, Any, ClassVar

import msgspec

from cxsuite.connectors import BaseConnector, Batch, OAuth2Spec, RetryHint, StreamSpec
from cxsuite.connectors.contract import stand_in_url
from cxsuite.connectors.mapping import map_rows
from cxsuite.errors import ConnectorConfigError, VendorError
from cxsuite_ga4 import mapping
from cxsuite_ga4.quota import FIND_PROPERTY_ID, google_error, quota_hint

API = "https://analyticsdata.googleapis.com"
AUTHORIZE_URL = "https://accounts.google.com/o/oauth2/v2/auth"
TOKEN_URL = "https://oauth2.googleapis.com/token"  # noqa: S105 - a URL, not a secret
SCOPE = "https://www.googleapis.com/auth/analytics.readonly"
DEFAULT_HISTORY = timedelta(days=730)
MAX_PAGE = 250_000  # runReport returns at most this many rows per request

log = logging.getLogger("cxsuite.connectors.ga4")


class GA4Config(msgspec.Struct, forbid_unknown_fields=True):
    """Connection settings.

    ``property_id`` is the numeric GA4 property (``properties/123`` is accepted too).
    ``base_url`` points at a Google-compatible stand-in (cxsuite's sandbox) serving OAuth under
    ``/google`` and the Data API under ``/ga4``; it must be an allowed connector host.
    """

    property_id: str
    base_url: str | None = None
    start_date: date | None = None
    lookback_days: Annotated[int, msgspec.Meta(ge=0, le=90)] = 3
    window_days: Annotated[int, msgspec.Meta(ge=1, le=366)] = 30
    page_size: Annotated[int, msgspec.Meta(ge=1, le=MAX_PAGE)] = 10_000

    def __post_init__(self) -> None:
        text = self.property_id.strip().removeprefix("properties/")
        if not text.isdigit():
            raise ValueError(f"property_id {self.property_id[:40]!r} is not a GA4 property ID; "
                             f"{FIND_PROPERTY_ID}")
        self.property_id = text


@dataclass
class Position:
    """The checkpoint, typed: the window being read (``start``..``end``), the next row
    (``offset``), the sync's last day (``until``), and after a finished sync the last day read."""

    start: str | None = None
    end: str | None = None
    until: str | None = None
    offset: int = 0
    synced_through: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """The JSON the engine stores."""
        return {k: v for k, v in asdict(self).items() if v is not None}

    def open_window(self, first: date, until: date, window_days: int) -> None:
        """Start reading at ``first``; the window ends ``window_days`` later or at ``until``."""
        end = min(first + timedelta(days=window_days - 1), until)
        self.start, self.end, self.until = first.isoformat(), end.isoformat(), until.isoformat()
        self.offset = 0

    def advance(self, received: int, row_count: int, config: GA4Config) -> None:
        """After a page: the next page, the next window, or done."""
        self.offset += received or config.page_size  # a short page is no end: rowCount decides
        if self.offset < row_count:
            return
        end, until = date.fromisoformat(self.end or ""), date.fromisoformat(self.until or "")
        if end < until:
            self.open_window(end + timedelta(days=1), until, config.window_days)
            return
        self.synced_through, self.start, self.end, self.until, self.offset = self.until, None, None, None, 0


def resume(checkpoint: dict[str, Any] | None, config: GA4Config, today: date) -> Position:
    """Where to read from: the interrupted window, else the trailing re-read window after the
    last synced day, else ``start_date``."""
    position = Position(**checkpoint) if checkpoint else Position()
    if position.start is not None:
        return position
    first = config.start_date or today - DEFAULT_HISTORY
    if position.synced_through:
        first = max(first, date.fromisoformat(position.synced_through) - timedelta(days=config.lookback_days))
    if first <= today:
        position.open_window(first, today, config.window_days)
    return position


def report_body(position: Position, config: GA4Config) -> dict[str, Any]:
    """The runReport request for the position's page."""
    return {
        "dateRanges": [{"startDate": position.start, "endDate": position.end}],
        "dimensions": [{"name": name} for name in mapping.DIMENSIONS],
        "metrics": [{"name": name} for name in mapping.METRICS],
        "orderBys": [{"dimension": {"dimensionName": name}} for name in mapping.DIMENSIONS],
        "limit": config.page_size,
        "offset": position.offset,
        "keepEmptyRows": False,
        "returnPropertyQuota": True,
    }


class GA4Connector(BaseConnector):
    """GA4 web traffic of one property: the top of the journey, by channel, device and page."""

    key: ClassVar[str] = "ga4"
    display_name: ClassVar[str] = "Google Analytics 4"
    auth_kind = "oauth2"
    oauth = OAuth2Spec(
        authorize_url=AUTHORIZE_URL, token_url=TOKEN_URL, scopes=(SCOPE,),
        # offline access gives a refresh token; consent makes Google give it on a reconnect too
        extra_authorize_params={"access_type": "offline", "prompt": "consent"},
        pkce=True)
    streams = (StreamSpec("web_metrics", "web_metric",
                          "Daily sessions, engaged sessions, key events and revenue by channel group, "
                          "device and landing page"),)
    config_type = GA4Config
    allowed_hosts = ("accounts.google.com", "oauth2.googleapis.com", "analyticsdata.googleapis.com")
    default_base_url = API
    rate_limit = (10, 1.0)  # GA4 allows 10 concurrent requests per property

    @classmethod
    def authorize_endpoint(cls, config: GA4Config | None) -> str:
        """accounts.google.com, or the stand-in's equivalent."""
        return stand_in_url(config, "/google/o/oauth2/v2/auth") or super().authorize_endpoint(config)

    @classmethod
    def token_endpoint(cls, config: GA4Config | None, callback_params: Any) -> str:
        """oauth2.googleapis.com, or the stand-in's; never from the callback."""
        return stand_in_url(config, "/google/token") or super().token_endpoint(config, callback_params)

    @classmethod
    def base_url(cls, config: GA4Config | None, credentials_extra: Any) -> str:
        """analyticsdata.googleapis.com, or the stand-in's Data API."""
        return stand_in_url(config, "/ga4") or cls.default_base_url

    @classmethod
    def retry_hint(cls, response: Any) -> RetryHint | None:
        """Quota buckets, permission and scope (see :mod:`cxsuite_ga4.quota`)."""
        return quota_hint(response)

    @classmethod
    def connection_retry_hint(cls, response: Any, config: GA4Config | None) -> RetryHint | None:
        """As :meth:`retry_hint`, naming the connection's property."""
        return quota_hint(response, property_id=config.property_id if config else "")

    def today(self) -> date:
        """The last day a sync reads. UTC: a property ahead of UTC gets its newest day on the
        next sync, which the trailing re-read window covers."""
        return self.context.now.date()

    async def read(self, stream: str, checkpoint: dict[str, Any] | None) -> AsyncIterator[Batch]:
        """Read windows and pages from the checkpoint on (see the module docstring)."""
        config: GA4Config = self.context.config
        position = resume(checkpoint, config, self.today())
        while position.start is not None:
            body = await self._run_report(config.property_id, report_body(position, config))
            rows = body.get("rows") or []
            shape = mapping.ReportShape.of(config.property_id, body)
            records, errors = map_rows(rows, partial(mapping.web_metric, shape), shape.row_id)
            position.advance(len(rows), int(body.get("rowCount") or 0), config)
            yield Batch(records, position.as_dict(), errors)

    async def _run_report(self, property_id: str, body: dict[str, Any]) -> dict[str, Any]:
        path = f"/v1beta/properties/{property_id}:runReport"
        response = await self.context.http.post(path, json=body)
        if response.status_code == 404:
            raise ConnectorConfigError(_access_message(property_id, response))
        if response.status_code >= 400:
            error = google_error(response)
            raise VendorError(f"Google Analytics answered {response.status_code} {error.get('status', '')} "
                              f"on runReport: {str(error.get('message', ''))[:300]}")
        result: dict[str, Any] = response.json()
        _note_quota(property_id, result.get("propertyQuota") or {})
        return result


def _access_message(property_id: str, response: Any) -> str:
    """404: there is no such property (403 is read by :mod:`cxsuite_ga4.quota`)."""
    error = google_error(response)
    said = f"{response.status_code} {error.get('status', '')}: {str(error.get('message', ''))[:200]}"
    return (f"Google Analytics refused property {property_id} ({said}). Give the connected Google "
            f"account at least Viewer access to property {property_id}, or correct the property ID: "
            f"{FIND_PROPERTY_ID}.")


def _note_quota(property_id: str, quota: dict[str, Any]) -> None:
    """Warn while tokens remain for fewer than ten more requests like this one: the next
    429 will block the whole property."""
    for name, bucket in quota.items():
        remaining, consumed = bucket.get("remaining"), bucket.get("consumed") or 0
        if isinstance(remaining, int) and consumed and remaining < 10 * consumed:
            log.warning("GA4 property %s: %s has %s left", property_id, name, remaining)
