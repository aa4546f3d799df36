"""Keyed hashing of identifiers, so the link index never holds a raw phone number or email."""

from __future__ import annotations

import hashlib
import hmac

from asw_guard.store.base import IdentifierKey

#: 128 bits of HMAC-SHA256 are plenty to make collisions irrelevant and halve the index size.
DIGEST_BYTES = 16


class KeyedHasher:
    """HMAC-SHA256 with the operator's secret, domain-separated by identifier kind."""

    def __init__(self, secret: bytes) -> None:
        self._secret = secret

    def key(self, kind: str, value: str) -> IdentifierKey:
        mac = hmac.new(self._secret, f"{kind}\x00{value}".encode(), hashlib.sha256)
        return IdentifierKey(kind, mac.digest()[:DIGEST_BYTES])

    def digest(self, kind: str, value: str) -> bytes:
        return self.key(kind, value).key
