"""Branding over HTTP: who may change it, what is refused and why, the logo checked by its bytes,
and the preview showing the brand with tenant text as text."""

from __future__ import annotations

from io import BytesIO

import pytest
from PIL import Image

from cxsuite.reports.contrast import readable
from cxsuite.reports.render import TINT
from cxsuite.reports.sections import DEFAULT_SECTIONS

pytestmark = pytest.mark.anyio
HOSTILE = "<script>alert(1)</script> {{ 7*7 }} </style><b>bold</b>"


def image(fmt: str, size: tuple[int, int] = (240, 80)) -> bytes:
    out = BytesIO()
    Image.new("RGB", size, "#12355b").save(out, fmt)
    return out.getvalue()


async def put_logo(client, headers, content: bytes, mime: str):
    return await client.put("/api/v1/branding/logo", headers=headers,
                            files={"file": ("logo", content, mime)})


async def test_defaults_then_owner_changes_and_audit(client, parties):
    owner = await parties.owner()
    before = (await client.get("/api/v1/branding", headers=owner.headers)).json()
    assert before["default_language"] == "en" and not before["has_logo"] and before["updated_at"] is None
    assert "journey_map" in before["sections_available"]

    changed = await client.put("/api/v1/branding", headers=owner.headers, json={
        "primary_colour": "#ABC", "footer_text": HOSTILE, "default_language": "lt",
        "section_order": ["opportunities"], "disabled_sections": ["journey_map"]})
    assert changed.status_code == 200, changed.text
    body = changed.json()
    assert body["primary_colour"] == "#aabbcc" and body["accent_colour"] == before["accent_colour"]
    assert body["footer_text"] == HOSTILE and body["disabled_sections"] == ["journey_map"]
    events = (await client.get("/api/v1/audit-events?action=branding.updated", headers=owner.headers)).json()
    assert events["items"][0]["details"]["fields"] == [
        "default_language", "disabled_sections", "footer_text", "primary_colour", "section_order"]


async def test_bad_values_are_refused_with_the_field(client, parties):
    owner = await parties.owner()
    cases = [({"primary_colour": "red; background:url(http://x)"}, "body.primary_colour"),
             ({"heading_font": "Comic Sans"}, "body.heading_font"),
             ({"default_language": "de"}, "body.default_language"),
             ({"disabled_sections": ["cover", "no_such_section"]}, "body.disabled_sections[1]"),
             ({"surprise": 1}, "body.surprise")]
    for body, field in cases:
        response = await client.put("/api/v1/branding", headers=owner.headers, json=body)
        assert response.status_code in (400, 422), (body, response.text)
        assert any(e["field"] == field for e in response.json()["errors"]), (body, response.json())
    everything = [section.key for section in DEFAULT_SECTIONS]
    off = await client.put("/api/v1/branding", headers=owner.headers, json={"disabled_sections": everything})
    assert off.status_code == 422 and off.json()["errors"][0]["field"] == "body.disabled_sections"


async def test_only_owners_change_branding_and_clients_cannot_read_it(client, parties):
    owner = await parties.owner()
    workspace = await parties.workspace(owner)
    admin = await parties.client_user(owner, workspace, "client_admin")
    assert (await client.get("/api/v1/branding", headers=admin.headers)).status_code == 403
    refused = await client.put("/api/v1/branding", headers=admin.headers, json={"footer_text": "mine"})
    assert refused.status_code == 403
    assert (await put_logo(client, admin.headers, image("PNG"), "image/png")).status_code == 403
    assert (await client.get("/api/v1/branding/preview", headers=admin.headers)).status_code == 403


async def test_logo_is_checked_by_its_bytes(client, parties):
    owner = await parties.owner()
    png = image("PNG")
    assert (await put_logo(client, owner.headers, png, "image/png")).json()["has_logo"]
    refusals = [
        (image("JPEG"), "image/png", "not image/png"),  # declared PNG, bytes are JPEG
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "image/svg+xml", "PNG or JPEG"),
        (b"GIF89a not really", "image/png", "not a readable image"),
        (image("PNG", (5000, 10)), "image/png", "4000 px"),
    ]
    for content, mime, reason in refusals:
        response = await put_logo(client, owner.headers, content, mime)
        assert response.status_code == 422, response.text
        assert reason in response.json()["errors"][0]["reason"]
    too_big = await put_logo(client, owner.headers, png + b"\0" * 600_000, "image/png")
    assert too_big.status_code in (413, 422)
    assert (await client.get("/api/v1/branding", headers=owner.headers)).json()["logo_mime"] == "image/png"
    removed = await client.delete("/api/v1/branding/logo", headers=owner.headers)
    assert removed.status_code == 200 and not removed.json()["has_logo"]


async def test_preview_shows_the_brand_and_tenant_text_as_text(client, parties):
    owner = await parties.owner()
    await client.put("/api/v1/branding", headers=owner.headers, json={
        "primary_colour": "#0a7e8c", "footer_text": HOSTILE, "disabled_sections": ["journey_map"]})
    await put_logo(client, owner.headers, image("PNG"), "image/png")
    preview = await client.get("/api/v1/branding/preview", headers=owner.headers)
    assert preview.status_code == 200 and preview.headers["content-type"].startswith("text/html")
    assert "default-src 'none'" in preview.headers["content-security-policy"]
    page = preview.text
    # the brand colour, darkened just enough for 4.5:1 text contrast (cxsuite.reports.contrast)
    assert f"--brand-primary: {readable('#0a7e8c', TINT)}" in page and "data:image/png;base64," in page
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "{{ 7*7 }}" in page and "49" not in page.split("alert(1)")[1][:40]
    assert "Customer journey map" not in page and "Executive summary" in page
    persian = await client.get("/api/v1/branding/preview?language=fa", headers=owner.headers)
    assert 'dir="rtl"' in persian.text and 'lang="fa"' in persian.text
    assert (await client.get("/api/v1/branding/preview?language=xx", headers=owner.headers)).status_code == 400
