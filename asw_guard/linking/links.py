"""Links between adverts and the `LinkIndex` seam that finds them.

A link says *why* two adverts are joined (its type) and how much that should count (strong links
merge clusters, weak ones stay edges). Further link sources (near-duplicate text, similar
photos, numerically close numbers) implement `LinkSource` and are registered on the index.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal, Protocol

from asw_guard.linking.identifiers import STRONG_KINDS, Identifier
from asw_guard.models import Advert
from asw_guard.store.base import AdvertRow, IdentifierHit, IdentifierKey, Store

if TYPE_CHECKING:
    from asw_guard.linking.features import Features
    from asw_guard.linking.suppress import SuppressionList

Strength = Literal["strong", "weak"]


@dataclass(frozen=True, slots=True)
class Link:
    """The current advert is joined to `advert_id` by an identifier or similarity of `type`."""

    type: str
    strength: Strength
    advert_id: str
    account_id: str
    alias_key: bytes | None
    age: int | None
    city: str | None
    cluster_id: str

    @classmethod
    def to(cls, row: IdentifierHit | AdvertRow, type: str, strength: Strength) -> Link:
        """A link of `type` to the stored advert `row` describes."""
        return cls(
            type=type,
            strength=strength,
            advert_id=row.advert_id,
            account_id=row.account_id,
            alias_key=row.alias_key,
            age=row.age,
            city=row.city,
            cluster_id=row.cluster_id,
        )


@dataclass(frozen=True, slots=True)
class LinkQuery:
    """What link sources may use to find adverts related to the one being checked."""

    advert: Advert
    identifiers: Sequence[Identifier]
    #: Keyed hashes of `identifiers`, in the same order, computed once per check.
    keys: Sequence[IdentifierKey]
    #: Text, photo and number features for the similarity sources.
    features: Features | None = None
    #: Filled by sources: identifier keys found flooding many accounts, with the account count.
    quarantine: list[tuple[IdentifierKey, int]] = field(default_factory=list)


class LinkSource(Protocol):
    """One way of finding adverts related to the one being checked."""

    name: str

    def find(self, query: LinkQuery) -> list[Link]: ...


class IdentifierLinks:
    """Exact matches on keyed hashes of contacts, tokens and addresses, via the store.

    A key the operator suppressed never links; one that links at least `flood_accounts`
    accounts is quarantined (reported on the query) unless a person confirmed it.
    """

    name = "identifiers"

    def __init__(
        self,
        store: Store,
        limit_per_key: int = 500,
        suppressions: SuppressionList | None = None,
    ) -> None:
        self._store = store
        self._limit = limit_per_key
        self._suppressions = suppressions

    def find(self, query: LinkQuery) -> list[Link]:
        sup = self._suppressions
        keys = [k for k in query.keys if sup is None or not sup.blocked(k.kind, k.key)]
        hits = self._store.find_identifiers(
            keys, exclude_advert=query.advert.id, limit_per_key=self._limit
        )
        if sup is None:
            return [_link(h) for h in hits]
        by_key: dict[IdentifierKey, list[IdentifierHit]] = {}
        for h in hits:
            by_key.setdefault(IdentifierKey(h.kind, h.key), []).append(h)
        links: list[Link] = []
        for key, key_hits in by_key.items():
            accounts = len({h.account_id for h in key_hits} | {query.advert.account_id})
            if accounts >= sup.flood_accounts and not sup.confirmed(key.kind, key.key):
                query.quarantine.append((key, accounts))
                continue
            links.extend(_link(h) for h in key_hits)
        return links


def _link(hit: IdentifierHit) -> Link:
    return Link.to(hit, hit.kind, "strong" if hit.kind in STRONG_KINDS else "weak")


class LinkIndex:
    """Every registered link source, asked in turn. The pipeline's one door to linking."""

    def __init__(self, sources: Sequence[LinkSource]) -> None:
        self.sources = list(sources)

    def find(self, query: LinkQuery) -> list[Link]:
        links: list[Link] = []
        for source in self.sources:
            links.extend(source.find(query))
        return links
