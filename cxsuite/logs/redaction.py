"""Secrets out of log lines: sensitive keys of structured events and query strings, and a
last-resort scrub of free text for the shapes of our secrets (bearer tokens, Argon2 hashes,
``key=value`` pairs of sensitive keys, passwords in connection URLs).

The scrub is the safety net, not the plan: the plan is that nothing logs a secret (no request
bodies, no raw query strings, level floors on libraries that print parameters); the scrub
catches what a future log call or a third-party message gets wrong.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import unquote_plus

REDACTED = "[redacted]"

# Keys whose values are secrets wherever they appear: query strings, form and JSON bodies,
# structured log fields. OAuth's ``code`` and ``state`` are single-use but still credentials.
SENSITIVE_KEYS = frozenset({
    "access_token", "api_key", "apikey", "assertion", "authorization", "client_secret", "code",
    "code_verifier", "cookie", "credentials", "id_token", "invite_token", "new_password",
    "current_password", "password", "password_hash", "private_key", "refresh_token", "secret",
    "session", "set-cookie", "state", "token", "x-api-key",
})
_SENSITIVE_SUFFIXES = ("_token", "_secret", "_password", "-token", "-secret")

_KEY = r"[A-Za-z_][\w.-]*"
_PAIR = re.compile(  # key=value or "key": "value" (JSON, Python reprs, query strings)
    rf"""(?P<lead>(?P<kq>["']?)(?P<key>{_KEY})(?P=kq)\s*[:=]\s*)"""
    r"""(?:(?P<vq>["'])(?P<quoted>(?:\\.|(?!(?P=vq)).)*)(?P=vq)|(?P<bare>[^\s"'&;,)}\]]+))""")
_PATTERNS = (
    (re.compile(r"\b(cxs[a-z]*_[0-9a-f]{32}_)[\w-]+"), rf"\1{REDACTED}"),  # our bearer tokens
    (re.compile(r"(?i)\b(bearer\s+)[\w.~+/-]+=*"), rf"\1{REDACTED}"),
    (re.compile(r"\$argon2(?:id|i|d)\$[^\s\"']+"), f"$argon2id${REDACTED}"),
    (re.compile(r"(\b[a-z][a-z0-9+.-]*://[^\s:/@]+:)[^\s@/]+@"), rf"\1{REDACTED}@"),  # URL passwords
)


def is_sensitive(key: str) -> bool:
    """Whether a field, header, form or query key names a secret."""
    name = key.lower()
    return name in SENSITIVE_KEYS or name.endswith(_SENSITIVE_SUFFIXES)


def redact_query(query: str) -> str:
    """A query string with the values of sensitive keys replaced (shape and order kept)."""
    parts = []
    for part in query.split("&"):
        key, eq, _ = part.partition("=")
        parts.append(f"{key}={REDACTED}" if eq and is_sensitive(unquote_plus(key)) else part)
    return "&".join(parts)


def scrub(text: str) -> str:
    """Free text with anything shaped like a secret replaced."""
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return _PAIR.sub(_pair, text)


def _pair(match: re.Match[str]) -> str:
    if not is_sensitive(match["key"]) or (match["quoted"] or match["bare"] or "").startswith(REDACTED[:-1]):
        return match[0]
    quote = match["vq"] or ""
    return f"{match['lead']}{quote}{REDACTED}{quote}"


def redact_event(_logger: Any, _method: str, event: dict[str, Any]) -> dict[str, Any]:
    """structlog processor: sensitive fields masked, every string value scrubbed."""
    return {key: REDACTED if isinstance(key, str) and is_sensitive(key) else _clean(value)
            for key, value in event.items()}


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return scrub(value)
    if isinstance(value, dict):
        return redact_event(None, "", value)
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    return value
