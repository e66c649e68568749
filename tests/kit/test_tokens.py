"""kit.tokens: ES256 keys with RFC 7638 kids, and verification that trusts nothing unpinned."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from kit.tokens import KeySet, SigningKey, TokenError, issue, jwks_document, unverified_claims

ISSUER, AUDIENCE = "urn:test:issuer", "urn:test:audience"
KEY = SigningKey.generate()


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def pem(private: Any) -> bytes:
    return bytes(
        private.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )


def test_the_kid_is_the_rfc_7638_thumbprint() -> None:
    jwk = KEY.public_jwk
    canonical = json.dumps(
        {"crv": jwk["crv"], "kty": "EC", "x": jwk["x"], "y": jwk["y"]}, separators=(",", ":")
    )
    assert KEY.kid == b64url(hashlib.sha256(canonical.encode()).digest())
    assert SigningKey.from_pem(KEY.private_pem).kid == KEY.kid


@pytest.mark.parametrize(
    "private",
    [
        rsa.generate_private_key(public_exponent=65537, key_size=2048),
        ec.generate_private_key(ec.SECP384R1()),
    ],
    ids=["rsa", "p-384"],
)
def test_only_p256_keys_sign(private: Any) -> None:
    with pytest.raises(ValueError, match="P-256"):
        SigningKey.from_pem(pem(private))


def test_issue_sets_the_time_claims_and_drops_empty_ones() -> None:
    token, claims = issue(
        KEY, issuer=ISSUER, audience=AUDIENCE, subject="s", ttl=60, agency=None, role="office"
    )
    assert claims["exp"] - claims["iat"] == 60
    assert claims["nbf"] == claims["iat"]
    assert "agency" not in claims
    verified = KeySet(jwks_document([KEY])).verify(token, issuer=ISSUER, audience=AUDIENCE)
    assert verified == claims


def test_leeway_forgives_small_clock_skew_only() -> None:
    keys = KeySet(jwks_document([KEY]))
    now = int(time.time())
    skewed, _ = issue(KEY, issuer=ISSUER, audience=AUDIENCE, subject="s", ttl=60)
    assert keys.verify(skewed, issuer=ISSUER, audience=AUDIENCE)
    for claims in ({"exp": now - 5, "iat": now - 65},):  # 5 s past expiry: within the leeway
        token = KEY.sign({"iss": ISSUER, "aud": AUDIENCE, "sub": "s", **claims})
        assert keys.verify(token, issuer=ISSUER, audience=AUDIENCE)
    token = KEY.sign(
        {"iss": ISSUER, "aud": AUDIENCE, "sub": "s", "exp": now - 120, "iat": now - 180}
    )
    with pytest.raises(TokenError, match="expired"):
        keys.verify(token, issuer=ISSUER, audience=AUDIENCE)


def test_a_symmetric_key_in_a_jwks_never_enables_hmac() -> None:
    secret = b"shared-secret"
    keys = KeySet({"keys": [{"kty": "oct", "kid": "k", "k": b64url(secret)}]})
    header = b64url(json.dumps({"alg": "HS256", "kid": "k"}).encode())
    claims = b64url(
        json.dumps(
            {
                "iss": ISSUER,
                "aud": AUDIENCE,
                "sub": "s",
                "exp": int(time.time()) + 60,
                "iat": int(time.time()),
            }
        ).encode()
    )
    signature = hmac.new(secret, f"{header}.{claims}".encode(), hashlib.sha256).digest()
    with pytest.raises(TokenError):
        keys.verify(
            f"{header}.{claims}.{b64url(signature)}",
            issuer=ISSUER,
            audience=AUDIENCE,
            algorithms=["HS256"],
        )


def test_asking_for_an_algorithm_outside_the_pinned_ones_allows_nothing() -> None:
    token, _ = issue(KEY, issuer=ISSUER, audience=AUDIENCE, subject="s", ttl=60)
    with pytest.raises(TokenError, match="not allowed"):
        KeySet(jwks_document([KEY])).verify(
            token, issuer=ISSUER, audience=AUDIENCE, algorithms=["HS256", "none"]
        )


@pytest.mark.parametrize(
    "document",
    [
        {"keys": "abc"},
        {"keys": {"kid": "x"}},
        {"keys": None},
        ["not", "a", "mapping"],
        "text",
        {"keys": ["x", 1, None, {"kty": "EC"}]},
    ],
)
def test_a_malformed_jwks_is_a_value_error_or_holds_no_keys(document: Any) -> None:
    try:
        keys = KeySet(document)
    except ValueError:
        return
    assert keys.keys == {}


def test_unverified_claims_of_garbage_is_a_token_error() -> None:
    with pytest.raises(TokenError):
        unverified_claims("garbage")
