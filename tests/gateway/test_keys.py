"""GET /.well-known/jwks.json, the key folder, and rotating the signing key."""

from __future__ import annotations

import stat
from pathlib import Path

import httpx

from gateway.identity.keys import KeyStore, write_new_key
from kit.tokens import SigningKey
from tests.gateway.helpers import (
    WAIT,
    Servers,
    echo_app,
    echoed,
    gateway_app,
    header_of,
    token_for,
)
from tests.harness import Stack, free_socket


def test_jwks_publishes_the_public_signing_keys_to_anyone(stack: Stack) -> None:
    response = httpx.get(f"{stack.gateway_url}/.well-known/jwks.json", timeout=WAIT)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert "public" in response.headers["cache-control"]
    keys = response.json()["keys"]
    assert [key["kid"] for key in keys] == [stack.key.kid]
    for key in keys:
        assert key == {**key, "kty": "EC", "crv": "P-256", "alg": "ES256", "use": "sig"}
        assert {"x", "y"} <= set(key)
        assert "d" not in key  # never the private part


def test_the_first_start_makes_a_private_key_and_later_starts_keep_it(tmp_path: Path) -> None:
    folder = tmp_path / "keys"
    first = KeyStore.load(str(folder))
    files = list(folder.glob("*.pem"))
    assert len(files) == 1
    assert stat.S_IMODE(files[0].stat().st_mode) == 0o600
    again = KeyStore.load(str(folder))
    assert [k.kid for k in again.keys] == [first.current.kid]
    assert list(folder.glob("*.pem")) == files


def test_a_key_given_by_setting_is_used_instead_of_the_folder(tmp_path: Path) -> None:
    key = SigningKey.generate()
    store = KeyStore.load(str(tmp_path / "unused"), key.private_pem.decode())
    assert [k.kid for k in store.keys] == [key.kid]


def test_the_key_written_last_signs_even_within_one_second(tmp_path: Path) -> None:
    written = [write_new_key(tmp_path) for _ in range(6)]
    store = KeyStore.load(str(tmp_path))
    kids = [SigningKey.from_pem(path.read_bytes()).kid for path in written]
    assert [k.kid for k in store.keys] == kids
    assert store.current.kid == kids[-1]


def test_rotation_keeps_old_tokens_valid_while_the_new_key_signs(
    stack: Stack, servers: Servers, tmp_path: Path
) -> None:
    folder = tmp_path / "keys"
    folder.mkdir()
    old_kid = SigningKey.from_pem(write_new_key(folder).read_bytes()).kid
    creds = stack.credentials["vr"]

    before = servers.start(gateway_app(stack, signing_key=None, key_dir=str(folder)))
    old_token = token_for(before.url, creds.client_id, creds.client_secret).json()["access_token"]
    assert header_of(old_token)["kid"] == old_kid

    new_kid = SigningKey.from_pem(write_new_key(folder).read_bytes()).kid
    # The restarted gateway's port is known first, so the service can fetch its JWKS there.
    sock = free_socket()
    after_url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    echo = servers.start(echo_app(tmp_path, jwks_url=f"{after_url}/.well-known/jwks.json"))
    after = servers.start(
        gateway_app(stack, signing_key=None, key_dir=str(folder), calls_url=echo.url),
        sock,
    )

    published = httpx.get(f"{after.url}/.well-known/jwks.json", timeout=WAIT).json()
    assert {key["kid"] for key in published["keys"]} == {old_kid, new_kid}
    new_token = token_for(after.url, creds.client_id, creds.client_secret).json()["access_token"]
    assert header_of(new_token)["kid"] == new_kid

    for token in (old_token, new_token):
        response = httpx.get(
            f"{after.url}/v1/calls/x", headers={"authorization": f"Bearer {token}"}, timeout=WAIT
        )
        seen = echoed(response)
        assert (seen.principal.role, seen.principal.agency) == ("agency", "vr")
        # The service verified an internal token of the new key, fetched from the JWKS URL.
        internal = seen.header("authorization")[0].removeprefix("Bearer ")
        assert header_of(internal)["kid"] == new_kid
