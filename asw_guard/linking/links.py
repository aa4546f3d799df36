"""Links between adverts and the `LinkIndex` seam that finds them.

A link says *why* two adverts are joined (its type) and how much that should count (strong links
merge clusters, weak ones stay edges). Further link sources (near-duplicate text, similar
photos, numerically close numbers) implement `LinkSource` and are registered on the index.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

from asw_guard.linking.identifiers import STRONG_KINDS, Identifier
from asw_guard.models import Advert
from asw_guard.store.base import IdentifierHit, IdentifierKey, Store

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


@dataclass(frozen=True, slots=True)
class LinkQuery:
    """What link sources may use to find adverts related to the one being checked."""

    advert: Advert
    identifiers: Sequence[Identifier]
    #: Keyed hashes of `identifiers`, in the same order, computed once per check.
    keys: Sequence[IdentifierKey]


class LinkSource(Protocol):
    """One way of finding adverts related to the one being checked."""

    name: str

    def find(self, query: LinkQuery) -> list[Link]: ...


class IdentifierLinks:
    """Exact matches on keyed hashes of contacts, tokens and addresses, via the store."""

    name = "identifiers"

    def __init__(self, store: Store, limit_per_key: int = 500) -> None:
        self._store = store
        self._limit = limit_per_key

    def find(self, query: LinkQuery) -> list[Link]:
        hits = self._store.find_identifiers(
            query.keys, exclude_advert=query.advert.id, limit_per_key=self._limit
        )
        return [_link(h) for h in hits]


def _link(hit: IdentifierHit) -> Link:
    return Link(
        type=hit.kind,
        strength="strong" if hit.kind in STRONG_KINDS else "weak",
        advert_id=hit.advert_id,
        account_id=hit.account_id,
        alias_key=hit.alias_key,
        age=hit.age,
        city=hit.city,
        cluster_id=hit.cluster_id,
    )


class LinkIndex:
    """Every registered link source, asked in turn. The pipeline's one door to linking."""

    def __init__(self, sources: Sequence[LinkSource]) -> None:
        self.sources = list(sources)

    def find(self, query: LinkQuery) -> list[Link]:
        links: list[Link] = []
        for source in self.sources:
            links.extend(source.find(query))
        return links
