"""What the similarity link sources need of one advert, computed once per check.

Text fingerprint (keyed LSH bands and token sequence), rare tokens, photo hashes and
close-number buckets; and the rows and signatures a store keeps of them. Nothing here is raw
text: keys are keyed hashes, tokens are keyed 32-bit hashes, photos are perceptual hashes.
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Sequence
from dataclasses import dataclass, field

from asw_guard.errors import ImageError
from asw_guard.linking.images import PhotoHash, image_hash, images_match
from asw_guard.linking.keys import KeyedHasher
from asw_guard.linking.numbers import CloseKey, close_number_keys
from asw_guard.linking.text import (
    TextFingerprint,
    mask_slots,
    rare_token_keys,
    text_fingerprint,
)
from asw_guard.models import Advert
from asw_guard.normalise import Extraction
from asw_guard.store.base import SimilarityKey
from asw_guard.store.memindex import CLOSE_KIND, TOKENS_KIND

# Kinds of similarity rows and signatures (names in the store, not secrets).
CLOSE_NUMBER = CLOSE_KIND
TEXT_TOKENS = TOKENS_KIND


@dataclass(frozen=True, slots=True)
class Features:
    text: TextFingerprint | None = None
    rare_keys: tuple[bytes, ...] = ()
    photos: tuple[PhotoHash, ...] = ()
    close_keys: tuple[CloseKey, ...] = ()
    #: Per-image problems ("images[1]: not a decodable image"); the rest is still checked.
    warnings: tuple[str, ...] = field(default=())

    def similarity_keys(self) -> list[SimilarityKey]:
        """Key rows of close numbers; text bands, rare tokens and photo hashes go to the
        store's similarity index instead."""
        return [SimilarityKey(CLOSE_NUMBER, k.key, k.tail) for k in self.close_keys]

    @property
    def text_bands(self) -> tuple[bytes, ...]:
        return self.text.band_keys if self.text is not None else ()

    def signatures(self) -> dict[str, bytes]:
        out: dict[str, bytes] = {}
        if self.text is not None and self.text.tokens:
            out[TEXT_TOKENS] = pack_tokens(self.text.tokens)
        return out


def pack_tokens(tokens: Sequence[int]) -> bytes:
    return array("I", tokens).tobytes()


@dataclass(frozen=True, slots=True)
class Benign:
    """What the operator marked as never linking: site boilerplate and stock photos."""

    phrases: tuple[str, ...] = ()
    photos: tuple[PhotoHash, ...] = ()
    #: The phrases as one pattern, longest first, built once rather than on every check.
    pattern: re.Pattern[str] | None = field(init=False, default=None, compare=False)

    def __post_init__(self) -> None:
        if self.phrases:
            alternatives = sorted(self.phrases, key=len, reverse=True)
            compiled = re.compile("|".join(map(re.escape, alternatives)), re.IGNORECASE)
            object.__setattr__(self, "pattern", compiled)

    def strip(self, text: str) -> str:
        return text if self.pattern is None else self.pattern.sub(" ", text)

    def is_benign_photo(self, photo: PhotoHash) -> bool:
        return any(images_match(photo, b) for b in self.photos)


def advert_features(
    advert: Advert, extraction: Extraction, hasher: KeyedHasher, benign: Benign = Benign()
) -> Features:
    text = benign.strip(f"{advert.title}\n{advert.body}" if advert.title else advert.body)
    words = mask_slots(text)  # once, for the fingerprint and the rare tokens alike
    fingerprint = text_fingerprint(text, hasher, words)
    photos: list[PhotoHash] = []
    warnings: list[str] = []
    for i, image in enumerate(advert.images):
        try:
            photo = (
                image_hash(image.data)
                if image.data is not None
                else PhotoHash.from_hex(image.phash or "")
            )
        except (ImageError, ValueError) as exc:
            warnings.append(f"images[{i}]: {exc}; the rest of the advert was checked")
            continue
        if not benign.is_benign_photo(photo):
            photos.append(photo)
    close: list[CloseKey] = []
    for phone in {p.e164 for p in extraction.phones}:
        try:
            close.extend(close_number_keys(phone, hasher))
        except ValueError:
            continue
    return Features(
        text=fingerprint if fingerprint.band_keys else None,
        rare_keys=tuple(rare_token_keys(text, hasher, words)),
        photos=tuple(photos),
        close_keys=tuple(close),
        warnings=tuple(warnings),
    )
