"""Cross-account linking: identifiers as keyed hashes, link sources, and clusters."""

from asw_guard.linking.identifiers import (
    CONTACT_KINDS,
    STRONG_KINDS,
    Identifier,
    advert_identifiers,
)
from asw_guard.linking.images import (
    PhotoHash,
    PhotoIndex,
    image_distance,
    image_hash,
    images_match,
    photo_keys,
    photo_query_keys,
)
from asw_guard.linking.keys import KeyedHasher
from asw_guard.linking.links import IdentifierLinks, Link, LinkIndex, LinkQuery, LinkSource
from asw_guard.linking.numbers import (
    CloseKey,
    CloseNumberIndex,
    close_number_keys,
    numeric_distance,
)
from asw_guard.linking.text import (
    NearDuplicateIndex,
    TextFingerprint,
    mask_slots,
    rare_token_keys,
    rare_tokens,
    text_fingerprint,
    text_similarity,
)

__all__ = [
    "CONTACT_KINDS",
    "STRONG_KINDS",
    "CloseKey",
    "CloseNumberIndex",
    "Identifier",
    "IdentifierLinks",
    "KeyedHasher",
    "Link",
    "LinkIndex",
    "LinkQuery",
    "LinkSource",
    "NearDuplicateIndex",
    "PhotoHash",
    "PhotoIndex",
    "TextFingerprint",
    "advert_identifiers",
    "close_number_keys",
    "image_distance",
    "image_hash",
    "images_match",
    "mask_slots",
    "numeric_distance",
    "photo_keys",
    "photo_query_keys",
    "rare_token_keys",
    "rare_tokens",
    "text_fingerprint",
    "text_similarity",
]
