"""JWT signing and verification. The only module that imports `jose`.

Algorithms are always pinned: python-jose decodes with whatever algorithm the token's header
names unless `algorithms=` is given, which is how `alg: none` and HS256-with-a-public-key
forgeries get in.
"""

from __future__ import annotations

import base64
import hashlib
import json
import time
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from jose import jwk, jwt
from jose.exceptions import JOSEError

ALGORITHMS = ("ES256", "RS256")


class TokenError(Exception):
    """The token is not acceptable; the message is safe to show the client."""


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


@dataclass(frozen=True)
class SigningKey:
    """An ES256 private key with its RFC 7638 thumbprint as `kid`."""

    private_pem: bytes
    kid: str
    public_jwk: dict[str, str]

    @classmethod
    def from_pem(cls, pem: bytes) -> SigningKey:
        key = serialization.load_pem_private_key(pem, password=None)
        if not isinstance(key, ec.EllipticCurvePrivateKey) or key.curve.name != "secp256r1":
            raise ValueError("signing keys must be EC P-256 (ES256)")
        numbers = key.public_key().public_numbers()
        x, y = _b64(numbers.x.to_bytes(32, "big")), _b64(numbers.y.to_bytes(32, "big"))
        thumb = json.dumps(
            {"crv": "P-256", "kty": "EC", "x": x, "y": y}, separators=(",", ":"), sort_keys=True
        )
        kid = _b64(hashlib.sha256(thumb.encode()).digest())
        public = {
            "kty": "EC",
            "crv": "P-256",
            "x": x,
            "y": y,
            "kid": kid,
            "alg": "ES256",
            "use": "sig",
        }
        return cls(private_pem=pem, kid=kid, public_jwk=public)

    @classmethod
    def generate(cls) -> SigningKey:
        key = ec.generate_private_key(ec.SECP256R1())
        pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        return cls.from_pem(pem)

    def sign(self, claims: Mapping[str, Any]) -> str:
        token: str = jwt.encode(
            dict(claims),
            self.private_pem.decode(),
            algorithm="ES256",
            headers={"kid": self.kid, "typ": "JWT"},
        )
        return token


def issue(
    key: SigningKey, *, issuer: str, audience: str, subject: str, ttl: int, **claims: Any
) -> tuple[str, dict[str, Any]]:
    now = int(time.time())
    payload: dict[str, Any] = {
        "iss": issuer,
        "aud": audience,
        "sub": subject,
        "iat": now,
        "nbf": now,
        "exp": now + ttl,
        "jti": uuid.uuid4().hex,
        **{k: v for k, v in claims.items() if v is not None},
    }
    return key.sign(payload), payload


def jwks_document(keys: Iterable[SigningKey | Mapping[str, Any]]) -> dict[str, Any]:
    return {"keys": [k.public_jwk if isinstance(k, SigningKey) else dict(k) for k in keys]}


class KeySet:
    """Verification keys by `kid`, from a JWKS document."""

    def __init__(self, document: Mapping[str, Any]) -> None:
        # Documents come from other parties' URLs too: a malformed one is a ValueError that
        # callers already handle as "keys unavailable", never an AttributeError.
        if not isinstance(document, Mapping) or not isinstance(document.get("keys", []), list):
            raise ValueError("not a JWKS document")
        self.keys: dict[str, dict[str, Any]] = {}
        for key in document.get("keys", []):
            if not isinstance(key, Mapping):
                continue
            if isinstance(key.get("kid"), str) and key["kid"] and key.get("kty") in {"EC", "RSA"}:
                self.keys[key["kid"]] = dict(key)
        # Tokens already verified, with their claims. A signature check costs about a
        # millisecond of CPU and the gateway reuses each internal token for a minute, so
        # most requests are a dictionary lookup; expiry and nbf are checked on every use.
        self._verified: dict[tuple[str, str, str, tuple[str, ...]], dict[str, Any]] = {}

    def verify(
        self,
        token: str,
        *,
        issuer: str,
        audience: str,
        algorithms: Iterable[str] = ALGORITHMS,
        leeway: int = 30,
    ) -> dict[str, Any]:
        allowed = [a for a in algorithms if a in ALGORITHMS]
        cache_key = (token, issuer, audience, tuple(allowed))
        known = self._verified.get(cache_key)
        if known is not None:
            now = time.time()
            if known["exp"] + leeway > now and known.get("nbf", 0) - leeway <= now:
                return dict(known)
            self._verified.pop(cache_key, None)  # verify again, which says why it fails
        try:
            header = jwt.get_unverified_header(token)
        except JOSEError as exc:
            raise TokenError("malformed token") from exc
        alg, kid = header.get("alg"), header.get("kid")
        if alg not in allowed:
            raise TokenError("token algorithm not allowed")
        key = self.keys.get(kid) if isinstance(kid, str) else None
        if key is None:
            raise TokenError("unknown signing key")
        if key.get("alg") not in (None, alg):
            raise TokenError("token algorithm does not match its key")
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                jwk.construct(key, alg).to_dict(),
                algorithms=[alg],
                audience=audience,
                issuer=issuer,
                options={
                    "require_exp": True,
                    "require_iat": True,
                    "require_aud": True,
                    "require_iss": True,
                    "require_sub": True,
                    "leeway": leeway,
                },
            )
        except JOSEError as exc:
            raise TokenError(_reason(exc)) from exc
        if isinstance(claims.get("exp"), int | float):
            if len(self._verified) >= 10_000:
                self._verified.clear()
            self._verified[cache_key] = dict(claims)
        return claims


def _reason(exc: JOSEError) -> str:
    text = str(exc).lower()
    for word, reason in (
        ("expired", "token expired"),
        ("audience", "wrong audience"),
        ("issuer", "wrong issuer"),
        ("before", "token not yet valid"),
        ("signature", "bad signature"),
    ):
        if word in text:
            return reason
    return "invalid token"


def unverified_claims(token: str) -> dict[str, Any]:
    """Claims without checking anything; only to route a token to its issuer's keys."""
    try:
        claims: dict[str, Any] = jwt.get_unverified_claims(token)
    except JOSEError as exc:
        raise TokenError("malformed token") from exc
    return claims
