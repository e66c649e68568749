"""The gateway's signing keys: made on first start and kept, or given by setting.

Every PEM in the key folder is published in the JWKS; the newest one signs. To rotate, add a
new key file: tokens signed by the old key stay valid until they expire, and the old file can
be removed after the longest token lifetime has passed.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

from kit.tokens import SigningKey


class KeyStore:
    def __init__(self, keys: list[SigningKey]) -> None:
        if not keys:
            raise ValueError("the gateway needs at least one signing key")
        self.keys = keys

    @property
    def current(self) -> SigningKey:
        return self.keys[-1]

    @classmethod
    def load(cls, key_dir: str, signing_key: str | None = None) -> KeyStore:
        if signing_key:
            return cls([SigningKey.from_pem(signing_key.encode())])
        folder = Path(key_dir)
        folder.mkdir(parents=True, exist_ok=True)
        files = sorted(folder.glob("*.pem"))
        if not files:
            files = [write_new_key(folder)]
        return cls([SigningKey.from_pem(path.read_bytes()) for path in files])


def write_new_key(folder: Path) -> Path:
    """A new ES256 key, named so that it sorts after every existing one."""
    key = SigningKey.generate()
    # Microseconds: two keys written within one second must still sort in the order made.
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S.%f")
    path = folder / f"{stamp}-{key.kid[:8]}.pem"
    last = max(folder.glob("*.pem"), default=None)
    if last is not None and path.name <= last.name:
        # The clock went back: "~" sorts after every character a key name holds.
        path = folder / f"{last.stem}~{key.kid[:8]}.pem"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(key.private_pem)
    return path
