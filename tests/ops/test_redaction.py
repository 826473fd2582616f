"""The last-resort scrub: whatever a future log call or a library message gets wrong, text
shaped like one of our secrets, or a field named like one, does not reach a line."""

from __future__ import annotations

import logging

import pytest

from cxsuite.logs import configure_logging
from cxsuite.logs.redaction import redact_event, redact_query, scrub

TOKEN = "cxs_0123456789abcdef0123456789abcdef_" + "S3cr3t-" * 6
HASH = "$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo"


@pytest.mark.parametrize(("text", "secret"), [
    (f"token {TOKEN} refused", "S3cr3t"),
    ("Authorization: Bearer abc.def-ghi", "abc.def"),
    (f"INSERT ... ('{HASH}', 'x')", "c2FsdHNhbHQ"),
    ("GET /cb?code=Zx9&state=eyJ0&next=/home", "Zx9"),
    ("GET /cb?code=Zx9&state=eyJ0&next=/home", "eyJ0"),
    ("{'access_token': 'at-123', 'expires_in': 3600}", "at-123"),
    ('{"password": "correct horse battery staple"}', "horse"),
    ("refresh_token=rt-456; client_secret=cs-789", "rt-456"),
    ("refresh_token=rt-456; client_secret=cs-789", "cs-789"),
    ("postgresql://app:hunter2@db:5432/cxsuite", "hunter2"),
])
def test_secret_shapes_are_scrubbed_from_free_text(text, secret):
    assert secret in text
    assert secret not in scrub(text)


def test_what_is_not_secret_is_left_alone():
    text = "job sync succeeded: {'read': 300, 'written': 300} tenant_id=3193d1d8 status=200"
    assert scrub(text) == text
    assert redact_query("limit=50&offset=0") == "limit=50&offset=0"


def test_queries_keep_their_shape_and_lose_sensitive_values():
    assert redact_query("code=abc&state=x%3D&limit=5&Refresh_Token=r&api_key=") == (
        "code=[redacted]&state=[redacted]&limit=5&Refresh_Token=[redacted]&api_key=[redacted]")


def test_sensitive_fields_of_structured_events_are_masked_at_any_depth():
    event = redact_event(None, "info", {"message": "login", "password": "pw", "user_id": "u1",
                                        "form": {"client_secret": "cs", "grant_type": "refresh_token"},
                                        "attempts": [f"with {TOKEN}"]})
    assert event["password"] == event["form"]["client_secret"] == "[redacted]"
    assert event["user_id"] == "u1" and event["form"]["grant_type"] == "refresh_token"
    assert "S3cr3t" not in event["attempts"][0]


def test_a_library_at_debug_below_its_floor_writes_nothing(capsys):
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    try:
        configure_logging("DEBUG", as_json=True)
        logging.getLogger("aiosqlite").debug("executing %s", HASH)
        logging.getLogger("httpx").info("HTTP Request: GET https://x/cb?code=abc")
        logging.getLogger("cxsuite.test").debug("our own detail")
    finally:
        root.handlers, root.level = handlers, level
    written = capsys.readouterr().err
    assert "our own detail" in written
    assert "argon2" not in written and "code=abc" not in written
