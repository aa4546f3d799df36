"""The similarity link sources: near-duplicate text, shared rare tokens, similar photos and
numerically close numbers, each found through the store's key rows and verified before it
becomes a link.

Strength follows what a match proves: the same photo is the same person or the same controller
(strong, clusters merge); shared wording, spelling and number ranges are also what unrelated
advertisers copying each other produce (weak, kept as edges for the network indicators).
"""

from __future__ import annotations

from collections.abc import Iterable

from asw_guard.linking.features import CLOSE_NUMBER
from asw_guard.linking.images import MAX_DISTANCE
from asw_guard.linking.links import Link, LinkQuery, Strength
from asw_guard.linking.suppress import SuppressionList
from asw_guard.linking.text import (
    LIMIT_PER_KEY,
    MAX_CANDIDATES,
    THRESHOLD,
    similar_packed,
)
from asw_guard.store.base import IdentifierKey, Store

#: Shared rare tokens needed before two adverts count as written by the same hand.
MIN_SHARED_RARE = 2
RARE_LIMIT_PER_KEY = 100
#: Numbers at most this far apart (and not equal) are "close".
CLOSE_DISTANCE = 10


def _links(store: Store, ids: Iterable[str], link_type: str, strength: Strength) -> list[Link]:
    rows = store.adverts(sorted(set(ids)))
    return [Link.to(r, link_type, strength) for r in rows.values()]


class TextLinks:
    """Near-duplicate wording: LSH band collisions verified by rapidfuzz on keyed tokens."""

    name = "text"

    def __init__(self, store: Store, threshold: float = THRESHOLD) -> None:
        self._store = store
        self.threshold = threshold

    def find(self, query: LinkQuery) -> list[Link]:
        fp = query.features.text if query.features else None
        if fp is None:
            return []
        stored = self._store.text_candidate_tokens(
            fp.band_keys,
            exclude_advert=query.advert.id,
            limit_per_key=LIMIT_PER_KEY,
            top=MAX_CANDIDATES,
        )
        similar = similar_packed(fp.tokens, stored, self.threshold)
        return _links(self._store, similar, "text", "weak")


class RareTokenLinks:
    """The same unusual spellings in adverts, e.g. a misspelling a writer carries along."""

    name = "rare_token"

    def __init__(self, store: Store, min_shared: int = MIN_SHARED_RARE) -> None:
        self._store = store
        self.min_shared = min_shared

    def find(self, query: LinkQuery) -> list[Link]:
        keys = query.features.rare_keys if query.features else ()
        if len(keys) < self.min_shared:
            return []
        # A token on the limit's worth of adverts is the market's own vocabulary ("outcall"),
        # not one writer's habit: rarity is judged against the inventory, not a dictionary.
        shared = self._store.rare_candidates(
            keys,
            exclude_advert=query.advert.id,
            min_shared=self.min_shared,
            common_at=RARE_LIMIT_PER_KEY,
        )
        return _links(self._store, shared, "rare_token", "weak")


class PhotoLinks:
    """Similar photos (any enrolled crop within the match radius), via multi-index hashing."""

    name = "photo"

    def __init__(self, store: Store, suppressions: SuppressionList | None = None) -> None:
        self._store = store
        self._suppressions = suppressions

    def find(self, query: LinkQuery) -> list[Link]:
        photos = query.features.photos if query.features else ()
        if not photos:
            return []
        sup = self._suppressions
        links: dict[str, Link] = {}
        for photo in photos:
            key = IdentifierKey("photo", photo.hex.encode("ascii"))
            if sup is not None and sup.blocked(key.kind, key.key):
                continue
            found = self._store.photo_matches(
                photo.hashes, max_distance=MAX_DISTANCE, exclude_advert=query.advert.id
            )
            found_links = _links(self._store, found, "photo", "strong")
            accounts = {lk.account_id for lk in found_links} | {query.advert.account_id}
            flooded = sup is not None and len(accounts) >= sup.flood_accounts
            if flooded and sup is not None and not sup.confirmed(key.kind, key.key):
                query.quarantine.append((key, len(accounts)))
                continue
            links.update((lk.advert_id, lk) for lk in found_links)
        return list(links.values())


class CloseNumberLinks:
    """Contact numbers within a few of each other (sequential SIMs), from bucket keys."""

    name = "close_number"

    def __init__(self, store: Store, max_distance: int = CLOSE_DISTANCE) -> None:
        self._store = store
        self.max_distance = max_distance

    def find(self, query: LinkQuery) -> list[Link]:
        keys = query.features.close_keys if query.features else ()
        if not keys:
            return []
        tails = {k.key: k.tail for k in keys}
        hits = self._store.find_similar(CLOSE_NUMBER, list(tails), exclude_advert=query.advert.id)
        close = [
            h.advert_id
            for h in hits
            if h.extra is not None and 0 < abs(tails[h.key] - h.extra) <= self.max_distance
        ]
        return _links(self._store, close, "close_number", "weak")
