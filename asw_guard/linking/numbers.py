"""Numerically close contact numbers, found without storing the numbers themselves.

Sequential SIM cards bought in one batch give numbers that differ only in the last digits. To find
them, a number is cut into a *bucket* (all but its last two digits) and a *tail* (the last two
digits). Only a keyed hash of the bucket is stored, beside the tail in clear: the tail alone says
nothing about the subscriber, and the bucket cannot be reversed without the operator's key.

Two bucketings overlap by half a bucket, ``floor(n / 100)`` and ``floor((n + 50) / 100)``, so any
two numbers at most 50 apart share at least one bucket key. The exact distance is then computed
from the two buckets' offsets and the clear tails, without ever reconstructing the full number.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from asw_guard.linking.keys import KeyedHasher

#: The distance within which two numbers are guaranteed to share a key.
MAX_DISTANCE = 50
_BUCKET = 100
_KIND = "close-number"


@dataclass(frozen=True, slots=True)
class CloseKey:
    """One row a store indexes: ``(key, advert_id)`` with `tail` and `shift` kept beside it.

    `shift` is 0 for the plain bucketing and 50 for the shifted one; `tail` is
    ``(n + shift) % 100``, so two numbers with the same key are ``tail_a - tail_b`` apart.
    """

    key: bytes
    shift: int
    tail: int


def _digits(e164: str) -> int:
    digits = e164.removeprefix("+")
    if not digits.isdigit() or len(digits) < 4:
        raise ValueError(f"not an E.164 number: {e164!r}")
    return int(digits)


def close_number_keys(e164: str, hasher: KeyedHasher | bytes) -> list[CloseKey]:
    """The two bucket keys of an E.164 number (e.g. ``+447700900123``)."""
    h = hasher if isinstance(hasher, KeyedHasher) else KeyedHasher(hasher)
    n = _digits(e164)
    # The country code and length are part of the bucket, so +44 7700 900 and +447 700 900 differ.
    length = len(e164.removeprefix("+"))
    keys = []
    for shift in (0, _BUCKET // 2):
        bucket, tail = divmod(n + shift, _BUCKET)
        keys.append(CloseKey(h.digest(_KIND, f"{shift}|{length}|{bucket}"), shift, tail))
    return keys


def numeric_distance(a: str, b: str) -> int:
    """Absolute numeric distance between two E.164 numbers (for tests and reviewers' tools)."""
    return abs(_digits(a) - _digits(b))


def key_distance(a: CloseKey, b: CloseKey) -> int | None:
    """Exact distance of two numbers from their stored rows, or None when the keys differ."""
    if a.key != b.key or a.shift != b.shift:
        return None
    return abs(a.tail - b.tail)


class CloseNumberIndex:
    """In-memory reference of the store's close-number rows, for tests and benchmarks."""

    def __init__(self, hasher: KeyedHasher | bytes, max_distance: int = 10) -> None:
        if not 0 <= max_distance <= MAX_DISTANCE:
            raise ValueError(f"max_distance must be between 0 and {MAX_DISTANCE}")
        self._hasher = hasher if isinstance(hasher, KeyedHasher) else KeyedHasher(hasher)
        self.max_distance = max_distance
        self._rows: dict[bytes, list[tuple[str, CloseKey]]] = defaultdict(list)

    def add(self, advert_id: str, e164: str) -> None:
        for key in close_number_keys(e164, self._hasher):
            self._rows[key.key].append((advert_id, key))

    def query(self, e164: str, exclude: str | None = None) -> list[tuple[str, int]]:
        """Adverts whose number is within `max_distance` (but not equal), nearest first."""
        best: dict[str, int] = {}
        for key in close_number_keys(e164, self._hasher):
            for advert_id, row in self._rows.get(key.key, ()):
                d = key_distance(key, row)
                if d is None or advert_id == exclude or d == 0 or d > self.max_distance:
                    continue
                best[advert_id] = min(d, best.get(advert_id, d))
        return sorted(best.items(), key=lambda item: (item[1], item[0]))
