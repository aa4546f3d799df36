"""The `Store` protocol: everything the guard persists, behind one interface.

SQLite is the embedded default; another database implements the same protocol (the store tests,
`tests/test_store.py` and `tests/test_similarity_index.py`, are the seed of its contract suite).
It can reuse `asw_guard.store.memindex.SimilarityIndex` for the text, rare-token and photo
lookups by keeping a key log as the SQLite store does. A store receives only keyed hashes of
identifiers and ids of adverts and accounts; raw advert content reaches it only as a review
snapshot, which expires.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol, runtime_checkable

from asw_guard.models import Decision


@dataclass(frozen=True, slots=True)
class IdentifierKey:
    """A keyed hash of one identifier (phone, email, handle, token, address) and its kind."""

    kind: str
    key: bytes


@dataclass(frozen=True, slots=True)
class IdentifierHit:
    """Another advert that carries the same identifier, with the facts linking needs."""

    kind: str
    key: bytes
    advert_id: str
    account_id: str
    alias_key: bytes | None
    age: int | None
    city: str | None
    cluster_id: str


@dataclass(frozen=True, slots=True)
class SimilarityKey:
    """A row of a similarity link source: kind, key, and a small clear value that verifies it."""

    kind: str
    key: bytes
    extra: int | None = None


@dataclass(frozen=True, slots=True)
class SimilarityHit:
    kind: str
    key: bytes
    advert_id: str
    extra: int | None


@dataclass(frozen=True, slots=True)
class Activity:
    """How much one identifier has been used since a moment (by posting time)."""

    adverts: int
    accounts: int
    aliases: int
    cities: int


@dataclass(frozen=True, slots=True)
class AdvertRow:
    """The linking facts of one stored advert."""

    advert_id: str
    account_id: str
    alias_key: bytes | None
    age: int | None
    city: str | None
    cluster_id: str


@dataclass(frozen=True, slots=True)
class Suppression:
    kind: str
    key: bytes
    status: str
    accounts: int | None
    note: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class AdvertFacts:
    """What the store keeps about an advert for linking: no raw text, contacts or names."""

    advert_id: str
    account_id: str
    version: int
    alias_key: bytes | None
    age: int | None
    city: str | None
    posted_at: datetime | None


@dataclass(frozen=True, slots=True)
class LinkEdge:
    """Two adverts joined by a link of `type`; strong links merge clusters, weak ones do not."""

    advert_id: str
    other_id: str
    type: str
    strength: str


@dataclass(frozen=True, slots=True)
class ClusterSummary:
    """A cluster as a reviewer sees it: who is in it, and the links that join it."""

    cluster_id: str
    advert_ids: list[str]
    account_ids: list[str]
    distinct_aliases: int
    distinct_ages: int
    ages: list[int]
    cities: list[str]
    first_seen: datetime
    last_seen: datetime
    links: list[LinkEdge] = field(default_factory=list)

    @property
    def size(self) -> int:
        return len(self.advert_ids)


@dataclass(frozen=True, slots=True)
class Event:
    """One entry of the append-only audit record."""

    seq: int
    at: datetime
    kind: str
    actor: str
    advert_id: str | None
    decision_id: str | None
    payload: dict[str, Any]
    prev_hash: str
    hash: str


@dataclass(frozen=True, slots=True)
class CheckRecord:
    """Everything one check writes, in one transaction."""

    decision: Decision
    facts: AdvertFacts
    identifiers: Sequence[IdentifierKey]
    #: Adverts joined to this one by strong links; their clusters merge with this advert's.
    strong_links: Sequence[str] = ()
    #: Every link found, as (other advert id, type, "strong" or "weak"), for the record.
    links: Sequence[tuple[str, str, str]] = ()
    #: Verification data for similarity links, by kind (e.g. keyed text tokens).
    signatures: dict[str, bytes] = field(default_factory=dict)
    #: Rows for the similarity link sources (replacing the advert's earlier ones).
    similarity_keys: Sequence[SimilarityKey] = ()
    #: LSH band keys of the text, and each photo's enrolled hashes, for the similarity index.
    text_bands: Sequence[bytes] = ()
    photo_hashes: Sequence[Sequence[int]] = ()
    rare_tokens: Sequence[bytes] = ()
    #: Identifier keys this check found flooding many accounts: quarantined until confirmed.
    quarantine: Sequence[tuple[IdentifierKey, int]] = ()
    #: The advert as submitted (JSON), kept only when a person may need to see it.
    snapshot: str | None = None
    snapshot_expires_at: datetime | None = None
    event_payload: dict[str, Any] = field(default_factory=dict)


@runtime_checkable
class Store(Protocol):
    """Persistence for decisions, the link index, clusters, snapshots and the audit record."""

    url: str

    def get_decision(self, advert_id: str, version: int | None = None) -> Decision | None:
        """The stored decision for that version, or for the newest version when none is given."""
        ...

    def find_identifiers(
        self, keys: Sequence[IdentifierKey], *, exclude_advert: str, limit_per_key: int = 500
    ) -> list[IdentifierHit]:
        """Other adverts sharing any of these keys (at most `limit_per_key` each)."""
        ...

    def identifier_counts(
        self, keys: Sequence[IdentifierKey], since: datetime, *, exclude_advert: str | None = None
    ) -> dict[str, int]:
        """Per identifier kind, how many distinct adverts carrying any of these keys were seen
        at or after `since` (policy counters such as "the same phone on 5 adverts in 24h").
        """
        ...

    def cluster_of(self, advert_id: str) -> str | None: ...

    def signatures(self, advert_ids: Sequence[str], kind: str) -> dict[str, bytes]:
        """Stored verification data of `kind` for these adverts (those that have it)."""
        ...

    def find_similar(
        self, kind: str, keys: Sequence[bytes], *, exclude_advert: str
    ) -> list[SimilarityHit]:
        """Key rows of `kind` (close-number buckets) sharing any of these keys."""
        ...

    def text_candidates(
        self, band_keys: Sequence[bytes], *, exclude_advert: str, limit_per_key: int, top: int
    ) -> list[str]:
        """Adverts sharing LSH band keys with these, the most shared first (then newest),
        reading at most `limit_per_key` adverts (the newest) per key; at most `top`."""
        ...

    def text_candidate_tokens(
        self, band_keys: Sequence[bytes], *, exclude_advert: str, limit_per_key: int, top: int
    ) -> dict[str, bytes]:
        """The `text_candidates` that have keyed token arrays, with them: what a check
        verifies, in one lookup (the same as `signatures` of `text_candidates`)."""
        ...

    def rare_candidates(
        self, keys: Sequence[bytes], *, exclude_advert: str, min_shared: int, common_at: int
    ) -> list[str]:
        """Adverts sharing at least `min_shared` of these rare-token keys, ignoring keys found
        on `common_at` or more adverts."""
        ...

    def photo_matches(
        self, hashes: Sequence[int], *, max_distance: int, exclude_advert: str
    ) -> dict[str, int]:
        """Adverts with an enrolled photo hash within `max_distance` bits of any of `hashes`,
        each with the smallest distance. Exact, not approximate."""
        ...

    def identifier_activity(self, key: IdentifierKey, since: datetime) -> Activity:
        """Adverts, accounts, aliases and cities carrying this identifier since `since`."""
        ...

    def adverts(self, advert_ids: Sequence[str]) -> dict[str, AdvertRow]:
        """Linking facts of these stored adverts."""
        ...

    def suppressions(self, kind: str | None = None) -> list[Suppression]: ...

    def set_suppression(
        self,
        kind: str,
        key: bytes,
        status: str,
        *,
        actor: str,
        note: str = "",
        accounts: int | None = None,
    ) -> None:
        """Mark a key suppressed, quarantined or confirmed (an audit event records who)."""
        ...

    def cluster_summary(
        self, cluster_id: str, *, max_links: int = 2000
    ) -> ClusterSummary | None: ...

    def save_check(self, record: CheckRecord) -> tuple[Decision, bool]:
        """Write a check atomically. Returns the stored decision and whether it was new.

        When a decision for the same advert id and version exists already, nothing is written
        and that decision is returned.
        """
        ...

    def batch(self) -> AbstractContextManager[None]:
        """A context in which several `save_check` calls commit together, each still atomic."""
        ...

    def append_event(
        self,
        kind: str,
        *,
        actor: str,
        advert_id: str | None = None,
        decision_id: str | None = None,
        payload: dict[str, Any] | None = None,
    ) -> Event: ...

    def events(self, *, since_seq: int = 0) -> Iterator[Event]: ...

    def verify_events(self) -> int:
        """Check the hash chain of the audit record; returns the number of events checked.

        Raises StoreError naming the first event that does not match.
        """
        ...

    def snapshot(self, advert_id: str, version: int) -> str | None: ...

    def purge_expired(self, now: datetime) -> int:
        """Delete snapshots past their retention date; returns how many were deleted."""
        ...

    def count_decisions(self) -> dict[str, int]:
        """Decisions by action."""
        ...

    def meta(self, key: str) -> str | None: ...

    def set_meta(self, key: str, value: str) -> None: ...

    def close(self) -> None: ...
