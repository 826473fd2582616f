"""Tenant text is data and the renderer reaches nothing but its own assets, within bounds."""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import BytesIO
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from cxsuite.errors import ValidationFailed
from cxsuite.reports.document import Branding, Logo
from cxsuite.reports.fetcher import Refused, SafeFetcher
from cxsuite.reports.render import (
    TEMPLATES_DIR,
    RenderFailed,
    RenderLimits,
    html_to_pdf,
    render_html,
    render_pdf,
)
from cxsuite.reports.sample import sample_document
from tests.reports.conftest import pdf_text


class Trap:
    """A real HTTP server on loopback that counts every request it gets."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        trap = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                trap.requests.append(self.path)
                self.send_response(200)
                self.end_headers()
                self.wfile.write(b"body { background: red }")

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"


@pytest.fixture
def trap() -> Iterator[Trap]:
    server = Trap()
    thread = threading.Thread(target=server.server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.server.shutdown()
    server.server.server_close()


def hostile_document(url: str):
    doc = sample_document("en")
    branding = dataclasses.replace(
        doc.branding,
        footer_text=f'<img src="{url}/footer.png"> url({url}/css) {{{{ 7*7 }}}}',
        confidentiality=f'</style><link rel="stylesheet" href="{url}/style.css"><style>',
        tenant_name='Evil"><img src="file:///etc/passwd">',
    )
    return dataclasses.replace(
        doc,
        branding=branding,
        client_name="<script>alert(1)</script> {{ 7*7 }}",
        project_name=f"</style><style>@import url({url}/import.css);</style>",
        context=f'<iframe src="{url}/frame"></iframe> {{% raw %}} {{{{ config }}}}',
    )


def test_tenant_text_is_shown_literally_and_fetches_nothing(trap: Trap, tmp_path: Path):
    doc = hostile_document(trap.url)
    html = render_html(doc)
    assert "<script>" not in html and "<iframe" not in html and f'href="{trap.url}' not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; {{ 7*7 }}" in html
    result = html_to_pdf(html, source_date=doc.generated_at)
    assert trap.requests == []
    text = pdf_text(result.pdf, tmp_path)
    assert "<script>alert(1)</script> {{ 7*7 }}" in text
    assert "{{ 7*7 }}" in text and "49" not in text.split("{{ 7*7 }}")[0][-5:]
    assert f"@import url({trap.url}/import.css);" in text


def test_urls_injected_into_the_html_are_refused_and_the_render_goes_on(trap: Trap):
    html = (
        f'<html><head><link rel="stylesheet" href="{trap.url}/a.css"><style>@import url("{trap.url}/b.css");'
        f'body {{ background: url("{trap.url}/c.png") }} @font-face {{ font-family: X; src: url({trap.url}/f.ttf) }}'
        f'</style></head><body><img src="file:///etc/passwd"><img src="{trap.url}/d.png">'
        f'<img src="ftp://127.0.0.1/e.png"><img src="../../pyproject.toml">'
        f'<svg xmlns="http://www.w3.org/2000/svg"><image href="{trap.url}/g.png" width="9" height="9"/></svg>'
        "<p>still rendered</p></body></html>"
    )
    result = html_to_pdf(html)
    assert trap.requests == []
    assert "still rendered" in PdfReader(BytesIO(result.pdf)).pages[0].extract_text()
    refused = " ".join(result.refused)
    for fragment in ("a.css", "b.css", "c.png", "f.ttf", "/etc/passwd", "d.png", "ftp://", "pyproject.toml"):
        assert fragment in refused


def test_the_fetcher_serves_bundled_assets_and_refuses_the_rest(trap: Trap):
    fetcher = SafeFetcher(TEMPLATES_DIR)
    font = fetcher.fetch((TEMPLATES_DIR / "fonts" / "NotoSans-Regular.ttf").as_uri())
    assert font.read()[:4] == b"\x00\x01\x00\x00"
    for url in (
        "file:///etc/passwd",
        (TEMPLATES_DIR / "base.html.j2").as_uri(),
        (TEMPLATES_DIR / "locale" / "lt" / "LC_MESSAGES" / "report.po").as_uri(),
        TEMPLATES_DIR.as_uri() + "/../pyproject.toml",
        "file://example.com/etc/passwd",
        f"{trap.url}/x.css",
        "https://example.com/logo.png",
        "data:text/html;base64,PHNjcmlwdD4=",
        "data:image/png;base64,%%%not-base64",
    ):
        with pytest.raises(Refused):
            fetcher.fetch(url)
    assert len(fetcher.refused) == 9
    assert trap.requests == []


@pytest.mark.parametrize(
    "html",
    [
        pytest.param("<table>" + "<tr><td>x</td><td>y</td></tr>" * 60_000 + "</table>", id="endless-table"),
        pytest.param("<div>" * 20_000 + "x" + "</div>" * 20_000, id="deep-nesting"),
        pytest.param('<p style="font-size: 100000000px">x</p>' * 50, id="enormous-font-size"),
    ],
)
def test_a_render_bomb_hits_its_bound_and_fails_cleanly(html: str):
    with pytest.raises(RenderFailed):
        html_to_pdf(f"<html><body>{html}</body></html>", limits=RenderLimits(timeout_s=4, cpu_s=20))


def test_a_tight_memory_allowance_fails_cleanly():
    big = "<table>" + "<tr><td>x</td><td>y</td></tr>" * 20_000 + "</table>"
    with pytest.raises(RenderFailed, match="memory"):
        html_to_pdf(f"<html><body>{big}</body></html>", limits=RenderLimits(memory_bytes=400 * 1024**2))


def test_a_huge_document_through_render_pdf_is_bounded_too():
    doc = sample_document("en")
    many = tuple(
        dataclasses.replace(o, title=f"{o.title.msgid} #{i}") for i in range(60) for o in doc.opportunities
    )
    with pytest.raises(RenderFailed, match="longer than"):
        render_pdf(dataclasses.replace(doc, opportunities=many), limits=RenderLimits(timeout_s=2))


@pytest.mark.parametrize(
    "colour",
    [
        "red",
        "#12345g",
        "#1234",
        "12355b",
        " #12355b",
        "#12355b; background: url(http://x)",
        "var(--x)",
        "",
        "#fff)",
    ],
)
def test_brand_colours_must_be_hex(colour: str):
    with pytest.raises(ValidationFailed):
        Branding("T", primary_colour=colour, accent_colour="#e0a526")
    with pytest.raises(ValidationFailed):
        Branding("T", primary_colour="#12355b", accent_colour=colour)


def test_short_hex_colours_are_normalised_and_fonts_must_be_bundled():
    assert Branding("T", primary_colour="#ABC", accent_colour="#e0a526").primary_colour == "#aabbcc"
    with pytest.raises(ValidationFailed):
        Branding("T", primary_colour="#abc", accent_colour="#abc", heading_font="Comic Sans; src: url(x)")


def _png() -> bytes:
    out = BytesIO()
    Image.new("RGB", (10, 10), "#fff").save(out, "PNG")
    return out.getvalue()


@pytest.mark.parametrize(
    ("data", "mime"),
    [
        (_png(), "image/jpeg"),
        (_png(), "image/svg+xml"),
        (b"<svg onload=alert(1)>", "image/png"),
        (b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "image/png"),
        (b"\0" * (600 * 1024), "image/png"),
    ],
)
def test_logos_are_validated(data: bytes, mime: str):
    with pytest.raises(ValidationFailed):
        Logo(data, mime)
