"""The only way WeasyPrint may load anything: bundled assets and small ``data:`` images.

WeasyPrint's default fetcher opens ``http``, ``ftp`` and ``file`` URLs and follows redirects
(its security notes warn about ``file:///dev/urandom`` and SSRF). This fetcher is deny by
default: it answers ``file:`` URLs only for files under the report assets folder with an
asset suffix, and ``data:`` URLs only for images below a size cap. It never opens a socket, so
there is nothing to redirect. Every refusal is recorded so a render can report what a
template or a tenant's text tried to reach.
"""

from __future__ import annotations

import base64
import binascii
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from weasyprint.urls import URLFetcher, URLFetcherResponse

ASSET_TYPES = {
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".woff2": "font/woff2",
    ".css": "text/css",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".svg": "image/svg+xml",
}
DATA_TYPES = frozenset({"image/png", "image/jpeg"})
MAX_DATA_BYTES = 1024 * 1024


class Refused(ValueError):
    """A URL the fetcher will not load; WeasyPrint logs it and renders without the resource."""


class SafeFetcher(URLFetcher):
    """Serves files under ``assets_dir`` and size-capped ``data:`` images; refuses the rest."""

    def __init__(self, assets_dir: Path) -> None:
        super().__init__(allowed_protocols=("file", "data"), allow_redirects=False, timeout=1)
        self.assets_dir = assets_dir.resolve()
        self.refused: list[str] = []
        self.served: list[str] = []

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        """Resolve ``url`` without any I/O beyond reading an allowed local file."""
        try:
            response = self._resolve(url)
        except Refused:
            self.refused.append(url)
            raise
        self.served.append(url if not url.startswith("data:") else url[:40])
        return response

    def _resolve(self, url: str) -> URLFetcherResponse:
        scheme = urlsplit(url).scheme.lower()
        if scheme == "file":
            return self._asset(url)
        if scheme == "data":
            return self._data(url)
        raise Refused(f"scheme not allowed: {url[:80]}")

    def _asset(self, url: str) -> URLFetcherResponse:
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost"):
            raise Refused(f"remote file URL: {url[:80]}")
        path = Path(url2pathname(parts.path)).resolve()
        suffix = path.suffix.lower()
        if not path.is_relative_to(self.assets_dir) or suffix not in ASSET_TYPES or not path.is_file():
            raise Refused(f"not a report asset: {url[:80]}")
        return URLFetcherResponse(path.as_uri(), path.read_bytes(), {"Content-Type": ASSET_TYPES[suffix]})

    def _data(self, url: str) -> URLFetcherResponse:
        header, _, payload = url[5:].partition(",")
        mime, _, encoding = header.partition(";")
        if mime.lower() not in DATA_TYPES or encoding.lower() != "base64":
            raise Refused(f"data URL type not allowed: {header[:40]}")
        if len(payload) > MAX_DATA_BYTES * 4 // 3 + 4:
            raise Refused("data URL too large")
        try:
            body = base64.b64decode(unquote(payload), validate=True)
        except (binascii.Error, ValueError) as exc:
            raise Refused("data URL is not valid base64") from exc
        return URLFetcherResponse(url[:40], body, {"Content-Type": mime.lower()})
