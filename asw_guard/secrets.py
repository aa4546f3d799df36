"""Where the operator's secrets come from: the environment or a file, never from code.

`ASW_GUARD_HMAC_KEY` holds the key that turns identifiers into keyed hashes for the link index
(hex, or any string of at least 32 characters); `ASW_GUARD_HMAC_KEY_FILE` names a file holding it.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

from asw_guard.errors import ConfigError

HMAC_KEY_ENV = "ASW_GUARD_HMAC_KEY"
HMAC_KEY_FILE_ENV = "ASW_GUARD_HMAC_KEY_FILE"
MIN_KEY_BYTES = 16


def _decode(raw: str, origin: str) -> bytes:
    raw = raw.strip()
    try:
        key = bytes.fromhex(raw)
    except ValueError:
        key = raw.encode("utf-8")
    if len(key) < MIN_KEY_BYTES:
        raise ConfigError(f"{origin}: the HMAC key is too short (at least {MIN_KEY_BYTES} bytes)")
    return key


def load_hmac_key(path: str | Path | None = None) -> bytes:
    """The link-index key from `path`, else the environment. Raises ConfigError when absent."""
    if path is not None:
        return _read_key_file(Path(path), str(path))
    if value := os.environ.get(HMAC_KEY_ENV):
        return _decode(value, HMAC_KEY_ENV)
    if file_name := os.environ.get(HMAC_KEY_FILE_ENV):
        return _read_key_file(Path(file_name), HMAC_KEY_FILE_ENV)
    raise ConfigError(
        f"no HMAC key: set {HMAC_KEY_ENV} (e.g. the output of `asw-guard keygen`) or point "
        f"{HMAC_KEY_FILE_ENV} at a file holding it"
    )


def _read_key_file(path: Path, origin: str) -> bytes:
    try:
        return _decode(path.read_text(encoding="utf-8"), origin)
    except OSError as exc:
        raise ConfigError(f"{origin}: cannot read key file {path}: {exc.strerror}") from None


def new_key() -> str:
    """A fresh random key, hex-encoded, for `asw-guard keygen` and the demo's throwaway key."""
    return secrets.token_hex(32)


def key_fingerprint(key: bytes) -> str:
    """A stable, non-reversible name for a key, so a store can tell when it changes."""
    return hmac.new(key, b"asw-guard key fingerprint v1", hashlib.sha256).hexdigest()[:16]
