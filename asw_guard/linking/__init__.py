"""Cross-account linking: identifiers as keyed hashes, link sources, and clusters."""

from asw_guard.linking.identifiers import (
    CONTACT_KINDS,
    STRONG_KINDS,
    Identifier,
    advert_identifiers,
)
from asw_guard.linking.keys import KeyedHasher
from asw_guard.linking.links import IdentifierLinks, Link, LinkIndex, LinkQuery, LinkSource

__all__ = [
    "CONTACT_KINDS",
    "STRONG_KINDS",
    "Identifier",
    "IdentifierLinks",
    "KeyedHasher",
    "Link",
    "LinkIndex",
    "LinkQuery",
    "LinkSource",
    "advert_identifiers",
]
