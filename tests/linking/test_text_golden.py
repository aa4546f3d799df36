"""The text features of a fixed synthetic market, pinned by digest.

Band keys, token hashes and rare-token keys are stored: a change to any of them (a faster
implementation included) would silently stop new adverts linking to indexed ones. The digest
was recorded from the reference implementation; a deliberate change of features must come with
a re-index plan and a new digest.
"""

import hashlib

from asw_guard.linking.keys import KeyedHasher
from asw_guard.linking.text import mask_slots, rare_token_keys, text_fingerprint
from asw_guard.synth import generate_market

HASHER = KeyedHasher(bytes(range(32)))
GOLDEN = "d9cf83e88529c8dc0265845fc9155671ccad241319ca99bdd8f7a88f48002da0"


def _texts() -> list[str]:
    texts = []
    for advert in generate_market(2000, seed=3).adverts:
        body, title = advert["body"], advert.get("title")
        # As `advert_features` joins them, and the body alone (other slot boundaries).
        texts.append(f"{title}\n{body}" if title else body)
        texts.append(body)
    return texts


def features_digest(texts: list[str], hasher: KeyedHasher) -> str:
    digest = hashlib.sha256()
    for text in texts:
        words = mask_slots(text)
        digest.update("\x1f".join(words).encode() + b"\x1e")
        fp = text_fingerprint(text, hasher)
        assert fp == text_fingerprint(text, hasher, words)
        digest.update(b"".join(fp.band_keys) + b"\x1e")
        digest.update(b"".join(t.to_bytes(4, "little") for t in fp.tokens) + b"\x1e")
        rare = rare_token_keys(text, hasher, words)
        assert rare == rare_token_keys(text, hasher)
        digest.update(b"".join(rare) + b"\x1d")
    return digest.hexdigest()


def test_text_features_of_a_fixed_market_are_unchanged() -> None:
    assert features_digest(_texts(), HASHER) == GOLDEN


def test_packed_verification_keeps_pairs_at_exactly_the_threshold() -> None:
    from asw_guard.linking.features import pack_tokens
    from asw_guard.linking.text import similar_packed, text_similarity

    query = tuple(range(40))
    at_threshold = tuple(range(32)) + tuple(range(100, 108))  # similarity exactly 0.8
    below = tuple(range(30)) + tuple(range(100, 110))
    assert text_similarity(query, at_threshold) == 0.8
    stored = {"b": pack_tokens(below), "a": pack_tokens(at_threshold), "q": pack_tokens(query)}
    assert similar_packed(query, stored, 0.8) == ["a", "q"]
