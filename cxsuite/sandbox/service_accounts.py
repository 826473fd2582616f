"""Google's service accounts, as the stand-in knows them: one key pair per sandbox and the
checks Google's token endpoint makes on a JWT-bearer grant (RFC 7523).

The key pair is generated on first use (RSA generation takes a moment; most sandboxes never
need it). :meth:`ServiceAccounts.key_file` hands out the JSON key file Google Cloud would,
with ``token_uri`` pointing at the sandbox. :meth:`ServiceAccounts.check` verifies an
assertion the way Google does — RS256 signature by the account's key, ``aud`` this token
endpoint, a known ``iss``, a scope, and at most an hour between ``iat`` and ``exp`` — and
words refusals as Google does. Times are checked against the wall clock, not the sandbox
clock: the client signs with its own clock, which knows nothing of the simulated world's.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

EMAIL = "cxsuite-sandbox@cxsuite-sandbox.iam.gserviceaccount.com"
PROJECT = "cxsuite-sandbox"
KEY_ID = "5b1d2c3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c"
MAX_LIFETIME_S = 3600
SKEW_S = 300
BAD_TIMES = ("Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable "
             "timeframe. Check your iat and exp values in the JWT claim.")


@dataclass(frozen=True)
class Refusal:
    """Google's token-endpoint error: the ``error`` code and its ``error_description``."""

    error: str
    description: str


@dataclass(frozen=True)
class Granted:
    """An accepted assertion: who asked, for what scope."""

    email: str
    scope: str


class ServiceAccounts:
    """The one service account of a sandbox; thread-safe key creation."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._key: rsa.RSAPrivateKey | None = None

    def _private_key(self) -> rsa.RSAPrivateKey:
        with self._lock:
            if self._key is None:
                self._key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
            return self._key

    def key_file(self, token_uri: str) -> dict[str, str]:
        """The JSON key file Google Cloud would download, pointing at ``token_uri``."""
        pem = self._private_key().private_bytes(serialization.Encoding.PEM,
                                                serialization.PrivateFormat.PKCS8,
                                                serialization.NoEncryption()).decode()
        return {
            "type": "service_account",
            "project_id": PROJECT,
            "private_key_id": KEY_ID,
            "private_key": pem,
            "client_email": EMAIL,
            "client_id": "104729384756102938475",
            "auth_uri": "https://accounts.google.com/o/oauth2/auth",
            "token_uri": token_uri,
            "auth_provider_x509_cert_url": "https://www.googleapis.com/oauth2/v1/certs",
            "client_x509_cert_url": f"https://www.googleapis.com/robot/v1/metadata/x509/{EMAIL}",
            "universe_domain": "googleapis.com",
        }

    def check(self, assertion: str, audience: str) -> Granted | Refusal:
        """Verify a JWT-bearer assertion presented at ``audience`` (this token endpoint's URL)."""
        try:
            header = jwt.get_unverified_header(assertion)
            unverified = jwt.decode(assertion, options={"verify_signature": False})
        except jwt.DecodeError:
            return Refusal("invalid_grant", "Invalid JWT: malformed assertion.")
        if header.get("alg") != "RS256":
            return Refusal("invalid_grant", "Invalid JWT: the header must name alg RS256.")
        if unverified.get("iss") != EMAIL or self._key is None:
            return Refusal("invalid_grant", "Invalid grant: account not found")
        try:  # Google's own checks follow, with its messages: here only the signature
            claims = jwt.decode(assertion, self._key.public_key(), algorithms=["RS256"], options={
                "verify_aud": False, "verify_exp": False, "verify_iat": False, "verify_nbf": False})
        except jwt.InvalidSignatureError:
            return Refusal("invalid_grant", "Invalid JWT Signature.")
        if claims.get("aud") != audience:
            return Refusal("invalid_grant", "Invalid JWT: Failed audience check. The expected audience "
                                            f"is {audience}.")
        issued, expires = claims.get("iat"), claims.get("exp")
        now = time.time()
        if (not isinstance(issued, int) or not isinstance(expires, int) or expires <= now
                or issued > now + SKEW_S or expires - issued > MAX_LIFETIME_S):
            return Refusal("invalid_grant", BAD_TIMES)
        scope = claims.get("scope")
        if not isinstance(scope, str) or not scope.strip():
            return Refusal("invalid_scope", "Empty or missing scope not allowed.")
        return Granted(EMAIL, scope)
