"""OAuth state: signed, bound, expiring; PKCE per RFC 7636."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest

from cxsuite.connections import oauth_state

SECRET = "s" * 48
NOW = datetime(2026, 11, 22, 12, tzinfo=UTC)


def issue(secret: str = SECRET, ttl: timedelta = timedelta(minutes=10)):
    return oauth_state.issue(secret, tenant_id=uuid4(), workspace_id=uuid4(), user_id=uuid4(),
                             connection_id=uuid4(), connector="hubspot", ttl=ttl, now=NOW)


def test_a_genuine_state_verifies_with_its_binding():
    state, nonce = issue()
    payload = oauth_state.verify(SECRET, state, now=NOW + timedelta(minutes=9))
    assert payload.nonce == nonce
    assert payload.connector == "hubspot"


def test_tampered_forged_expired_and_garbage_states_are_refused_distinctly():
    state, _ = issue()
    body, signature = state.split(".")
    tampered = body[:-2] + ("A" if body[-2] != "A" else "B") + body[-1] + "." + signature
    with pytest.raises(oauth_state.StateError, match="signature"):
        oauth_state.verify(SECRET, tampered, now=NOW)
    forged, _ = issue(secret="x" * 48)
    with pytest.raises(oauth_state.StateError, match="signature"):
        oauth_state.verify(SECRET, forged, now=NOW)
    with pytest.raises(oauth_state.StateError, match="expired"):
        oauth_state.verify(SECRET, state, now=NOW + timedelta(minutes=11))
    for garbage in ("", "abc", "a.b.c", "!!!.???"):
        with pytest.raises(oauth_state.StateError):
            oauth_state.verify(SECRET, garbage, now=NOW)


def test_pkce_challenge_matches_rfc_7636_appendix_b():
    verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
    assert oauth_state.pkce_challenge(verifier) == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
    verifier, challenge = oauth_state.pkce_pair()
    assert 43 <= len(verifier) <= 128
    assert oauth_state.pkce_challenge(verifier) == challenge
