"""A stand-in of "Acme CRM" for the connector test kit's own tests: a real HTTP server on a
loopback port, steered by the test (the shape any plugin author's stand-in takes).

``GET /v1/contacts?after=<id>&limit=<n>`` with ``Authorization: Bearer <key>`` answers
``{"contacts": [...], "next_after": <id or null>}``. Injected faults hit the next requests: a
short throttle (429, ``Retry-After: 1``), a server error (503), the daily allowance spent
(429 ``{"error": "daily_limit", "resets_at": ...}``) and a malformed contact (an email that
is not text) in the next page.
"""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

API_KEY = "acme-test-key"


class AcmeVendor:
    """Acme's API on ``127.0.0.1:<free port>`` with ``count`` contacts."""

    def __init__(self, count: int = 120) -> None:
        self.contacts = [{"id": f"C{n:04d}", "email": f"person{n}@example.test", "name": f"Person {n}"}
                         for n in range(count)]
        self.faults: list[str] = []
        self.requests: list[str] = []
        vendor = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                vendor.requests.append(self.path)
                status, body, headers = vendor.answer(self.path, self.headers.get("Authorization", ""))
                data = json.dumps(body).encode()
                self.send_response(status)
                for name, value in {**headers, "Content-Type": "application/json"}.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                return None

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.netloc = f"127.0.0.1:{self.server.server_address[1]}"
        self.base_url = f"http://{self.netloc}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def answer(self, path: str, authorization: str) -> tuple[int, dict[str, Any], dict[str, str]]:
        """Status, JSON body and headers for one request."""
        if authorization != f"Bearer {API_KEY}":
            return 401, {"error": "unauthorized"}, {}
        url = urlsplit(path)
        if url.path != "/v1/contacts":
            return 404, {"error": "not_found"}, {}
        fault = self.faults.pop(0) if self.faults else None
        if fault == "rate_limit":
            return 429, {"error": "too_many_requests"}, {"Retry-After": "1"}
        if fault == "server_error":
            return 503, {"error": "unavailable"}, {}
        if fault == "daily_limit":
            resets = (datetime.now(UTC) + timedelta(hours=6)).isoformat()
            return 429, {"error": "daily_limit", "resets_at": resets}, {}
        query = dict(parse_qsl(url.query))
        after, limit = query.get("after"), int(query.get("limit", "25"))
        start = next((i + 1 for i, c in enumerate(self.contacts) if c["id"] == after), 0)
        page = [dict(c) for c in self.contacts[start:start + limit]]
        if fault == "malformed_record" and page:
            page[0]["email"] = 12345
        more = start + limit < len(self.contacts)
        return 200, {"contacts": page, "next_after": page[-1]["id"] if more else None}, {}
