"""Service-account credentials: Google's JWT-bearer grant (RFC 7523) instead of a user's consent.

The client admin uploads the key file Google Cloud generated; cxsuite keeps only the fields
the grant needs (``client_email``, ``private_key``, ``private_key_id``, ``token_uri``),
encrypted like every credential. To get an access token it signs a short-lived JWT (RS256)
with the private key and posts it to the token endpoint; there is no refresh token, so an
expired or refused access token is replaced by signing a new JWT.

The key file names its own ``token_uri``, which is not trusted: a forged file could otherwise
make cxsuite post a signed assertion (or probe an internal address) anywhere. The URI must be
the token endpoint the connector itself uses for this connection (Google's, or the configured
stand-in's) and must pass the egress policy, both when the key is uploaded and before every
exchange.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
import msgspec
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from cxsuite.connections.token_exchange import post_token_request
from cxsuite.connectors.contract import BaseConnector, TokenSet
from cxsuite.connectors.http import egress_policy
from cxsuite.errors import FieldProblem, SsrfBlocked, ValidationFailed
from cxsuite.settings import Settings

FIELD = "body.service_account_key"
JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer"
ASSERTION_TTL = timedelta(minutes=60)  # Google's maximum lifetime for the assertion
MAX_FIELD = {"client_email": 320, "private_key": 10_000, "token_uri": 2_000, "private_key_id": 200}
REMEDY = "check that the service account and its key still exist, or upload a new key file"


class ServiceAccountKey(msgspec.Struct, frozen=True, kw_only=True):
    """The parts of a Google key file the grant uses; this is what is stored (encrypted)."""

    client_email: str
    private_key: str
    token_uri: str
    private_key_id: str = ""

    def signer(self) -> rsa.RSAPrivateKey:
        """The RSA key in ``private_key``; ``ValueError`` when it is not one."""
        try:
            key = serialization.load_pem_private_key(self.private_key.encode(), password=None)
        except (ValueError, TypeError, UnsupportedAlgorithm):
            raise ValueError("is not an unencrypted PEM private key (copy it from the key file "
                             "unchanged, with its BEGIN/END lines)") from None
        if not isinstance(key, rsa.RSAPrivateKey) or key.key_size < 2048:
            raise ValueError("must be an RSA key of at least 2048 bits, as Google issues")
        return key


def parse_key(data: Mapping[str, Any]) -> ServiceAccountKey:
    """The key file's JSON object checked field by field; every problem names its field."""
    problems: list[FieldProblem] = []
    if data.get("type") != "service_account":
        problems.append(FieldProblem(f"{FIELD}.type", "must be \"service_account\": upload the JSON key "
                                     "file of a Google Cloud service account"))
    for name, limit in MAX_FIELD.items():
        value = data.get(name)
        required = name != "private_key_id"
        if value is None and not required:
            continue
        if not isinstance(value, str) or (required and not value.strip()):
            problems.append(FieldProblem(f"{FIELD}.{name}", "required: a non-empty string from the key file"
                                         if required else "must be a string"))
        elif len(value) > limit:
            problems.append(FieldProblem(f"{FIELD}.{name}", f"longer than {limit} characters"))
    if not problems and "@" not in data["client_email"]:
        problems.append(FieldProblem(f"{FIELD}.client_email", "must be the service account's e-mail address"))
    if problems:
        raise ValidationFailed("this is not a usable service-account key file", problems=problems)
    key = ServiceAccountKey(**{name: data[name] for name in MAX_FIELD if name in data})
    try:
        key.signer()
    except ValueError as exc:
        raise ValidationFailed("this is not a usable service-account key file", problems=[
            FieldProblem(f"{FIELD}.private_key", str(exc))]) from None
    return key


def stored(key: ServiceAccountKey) -> dict[str, Any]:
    """The credentials document kept (encrypted) for the connection."""
    return {"service_account": msgspec.to_builtins(key)}


def from_stored(secrets: Mapping[str, Any]) -> ServiceAccountKey | None:
    """The key back from decrypted credentials (``None`` when none was stored)."""
    found = secrets.get("service_account")
    return msgspec.convert(found, ServiceAccountKey) if found else None


async def vetted_token_uri(settings: Settings, connector: type[BaseConnector], config: Any,
                           token_uri: str) -> str:
    """``token_uri`` if it is the connector's own token endpoint and passes the egress policy;
    :class:`SsrfBlocked` otherwise, before anything is sent."""
    await egress_policy(settings, connector).resolve(token_uri)
    expected = connector.token_endpoint(config, {})
    if token_uri != expected:
        raise SsrfBlocked(f"refused token_uri: {connector.display_name} exchanges service-account "
                          f"keys at {expected} only")
    return token_uri


async def check_token_uri(settings: Settings, connector: type[BaseConnector], config: Any,
                          key: ServiceAccountKey) -> None:
    """At upload: a refused ``token_uri`` is a field problem of the request."""
    try:
        await vetted_token_uri(settings, connector, config, key.token_uri)
    except SsrfBlocked as exc:
        raise ValidationFailed("this key file's token_uri may not be called", problems=[
            FieldProblem(f"{FIELD}.token_uri", exc.detail)]) from None


def assertion(key: ServiceAccountKey, scopes: Iterable[str], audience: str, now: datetime) -> str:
    """The signed JWT: ``iss`` the service account, ``aud`` the token endpoint, one hour at most."""
    issued = int(now.timestamp())
    claims = {"iss": key.client_email, "scope": " ".join(scopes), "aud": audience, "iat": issued,
              "exp": issued + int(ASSERTION_TTL.total_seconds())}
    return jwt.encode(claims, key.signer(), algorithm="RS256",
                      headers={"kid": key.private_key_id} if key.private_key_id else None)


async def mint_token(settings: Settings, connector: type[BaseConnector], config: Any,
                     key: ServiceAccountKey) -> TokenSet:
    """A fresh access token for the service account (the connector's OAuth scopes)."""
    url = await vetted_token_uri(settings, connector, config, key.token_uri)
    now = datetime.now(UTC)
    scopes = connector.oauth.scopes if connector.oauth else ()
    form = {"grant_type": JWT_BEARER, "assertion": assertion(key, scopes, url, now)}
    body = await post_token_request(settings, connector, url, form, remedy=REMEDY)
    return connector.accept_token(body, config, now)
