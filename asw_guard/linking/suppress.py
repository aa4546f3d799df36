"""Keys that must not link: what the operator marked benign, and what flooded many accounts.

A switchboard number, a stock photo or the site's own boilerplate would otherwise fuse
unrelated advertisers into one cluster. Flood quarantine catches the ones nobody listed: an
identifier or photo that suddenly links far more accounts than any real controller does is
held out of linking until a person confirms it (it links again) or suppresses it (it never does).
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from asw_guard.linking.features import Benign
from asw_guard.linking.images import PhotoHash
from asw_guard.store.base import Store

#: An identifier or photo linking at least this many accounts is quarantined until confirmed.
FLOOD_ACCOUNTS = 30
PHRASE = "phrase"
PHOTO = "photo"


@dataclass(frozen=True, slots=True)
class _State:
    blocked: frozenset[tuple[str, bytes]]
    confirmed: frozenset[tuple[str, bytes]]
    benign: Benign


class SuppressionList:
    """A cached view of the store's suppressions, refreshed when changed or once a minute."""

    def __init__(self, store: Store, *, flood_accounts: int = FLOOD_ACCOUNTS) -> None:
        self._store = store
        self.flood_accounts = flood_accounts
        self._lock = threading.Lock()
        self._loaded_at = 0.0
        self._state = _State(frozenset(), frozenset(), Benign())
        self.refresh()

    def refresh(self) -> None:
        rows = self._store.suppressions()
        blocked = frozenset((r.kind, r.key) for r in rows if r.status != "confirmed")
        confirmed = frozenset((r.kind, r.key) for r in rows if r.status == "confirmed")
        suppressed = [r for r in rows if r.status == "suppressed"]
        benign = Benign(
            phrases=tuple(r.key.decode("utf-8") for r in suppressed if r.kind == PHRASE),
            photos=tuple(
                PhotoHash.from_hex(r.key.decode("ascii")) for r in suppressed if r.kind == PHOTO
            ),
        )
        with self._lock:
            self._state = _State(blocked, confirmed, benign)
            self._loaded_at = time.monotonic()

    def _current(self) -> _State:
        if time.monotonic() - self._loaded_at > 60:
            self.refresh()
        return self._state

    def blocked(self, kind: str, key: bytes) -> bool:
        return (kind, key) in self._current().blocked

    def confirmed(self, kind: str, key: bytes) -> bool:
        return (kind, key) in self._current().confirmed

    @property
    def benign(self) -> Benign:
        return self._current().benign
