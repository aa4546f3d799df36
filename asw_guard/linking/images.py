"""Perceptual photo hashes, safe decoding of hostile bytes, and a sublinear Hamming index.

A single global pHash does not survive cropping: the DCT of a cropped image is a different DCT.
So each photo is *enrolled* as several 64-bit pHashes: the whole image plus six crops (the centre
90% and 80%, and the four corner-anchored 90% crops). Two photos match when *any* hash of one is
within `MAX_DISTANCE` bits of *any* hash of the other. A 10% crop of a photo is then close to one
of the original's crops; a watermark in one part of the frame leaves a crop that excludes it; and
resizing, re-compression and brightness changes stay close to every hash. On the real photographs
of benchmarks/linking.py this "all crops against all crops" rule matched 97.8% of transformed
copies (one global hash: 68%; whole image against the other's crops only: 95%) with 1 false match
in 49,980 pairs of different photos (see BENCHMARKS.md).

Index: multi-index hashing. Each 64-bit hash is cut into four 16-bit chunks; if two hashes are
within `MAX_DISTANCE` = 7 bits, by the pigeonhole principle some chunk differs in at most one bit.
The store indexes each exact chunk of each enrolled hash as a row (`photo_keys`); a query looks up
every chunk value within one bit of its own chunks (`photo_query_keys`, 17 per chunk), then
verifies candidates with the full rule (`images_match`). The lookup is exact: the index links two
photos exactly when `images_match` says they match.
"""

from __future__ import annotations

import io
import warnings
from collections import defaultdict
from dataclasses import dataclass

import imagehash
from PIL import Image, UnidentifiedImageError

from asw_guard.errors import ImageError
from asw_guard.store.memindex import CHUNK_BITS, CHUNKS, chunk_flips

#: Refuse inputs larger than this many bytes before decoding anything.
MAX_BYTES = 20 * 1024 * 1024
#: Refuse images whose header declares more pixels than this (a 20000×20000 PNG is 400 Mpx).
MAX_PIXELS = 40_000_000
#: Images are reduced to at most this many pixels on the long side before hashing: pHash looks
#: at a 32×32 thumbnail, so crops of a 256 px image lose nothing (same suite results as 512 px)
#: and hashing is about twice as fast.
WORK_SIZE = 256
#: Hamming distance (of 64 bits) at or under which two photos match; chosen on the benchmark.
MAX_DISTANCE = 7
#: Crops enrolled beside the whole image: (left, top, right, bottom) as fractions.
CROPS: tuple[tuple[float, float, float, float], ...] = (
    (0.05, 0.05, 0.95, 0.95),
    (0.10, 0.10, 0.90, 0.90),
    (0.00, 0.00, 0.90, 0.90),
    (0.10, 0.00, 1.00, 0.90),
    (0.00, 0.10, 0.90, 1.00),
    (0.10, 0.10, 1.00, 1.00),
)
_FORMATS = ("JPEG", "PNG", "WEBP", "GIF", "BMP", "TIFF")


@dataclass(frozen=True, slots=True)
class PhotoHash:
    """The enrolled hashes of one photo: ``hashes[0]`` is the whole image, the rest are crops."""

    hashes: tuple[int, ...]

    @property
    def full(self) -> int:
        return self.hashes[0]

    @property
    def hex(self) -> str:
        """16 hex digits per hash, whole image first, joined (what a store keeps)."""
        return "".join(f"{h:016x}" for h in self.hashes)

    @classmethod
    def from_hex(cls, text: str) -> PhotoHash:
        if not text or len(text) % 16:
            raise ValueError("a photo hash is a multiple of 16 hex digits")
        return cls(tuple(int(text[i : i + 16], 16) for i in range(0, len(text), 16)))

    def __str__(self) -> str:
        return self.hex


def decode_image(data: bytes) -> Image.Image:
    """Decode image bytes safely, reduced to at most WORK_SIZE px, as greyscale.

    Raises ImageError for oversized, bomb-like, truncated or non-image input.
    """
    if not data:
        raise ImageError("empty image data")
    if len(data) > MAX_BYTES:
        raise ImageError(f"image is {len(data)} bytes; the limit is {MAX_BYTES}")
    try:
        with warnings.catch_warnings():
            # Pillow only warns between MAX_IMAGE_PIXELS and twice that; make it an error.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            im = Image.open(io.BytesIO(data), formats=_FORMATS)
            width, height = im.size
            if width * height > MAX_PIXELS:
                raise ImageError(
                    f"image is {width}×{height} pixels; the limit is {MAX_PIXELS} pixels"
                )
            if im.format == "JPEG":
                # JPEG can decode at 1/2, 1/4 or 1/8 scale directly: far less work and memory.
                im.draft("L", (WORK_SIZE, WORK_SIZE))
            # load() decodes only the first frame of an animated GIF or WebP: the one hashed.
            im.load()
            grey = im.convert("L")
            grey.thumbnail((WORK_SIZE, WORK_SIZE), Image.Resampling.BILINEAR)
            return grey
    except ImageError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ImageError(f"image rejected as a decompression bomb: {exc}") from None
    except UnidentifiedImageError:
        raise ImageError("not a recognised image (JPEG, PNG, WebP, GIF, BMP or TIFF)") from None
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise ImageError(f"image could not be decoded (truncated or corrupt): {exc}") from None


def _phash(im: Image.Image) -> int:
    bits = imagehash.phash(im).hash.flatten()
    return int("".join("1" if b else "0" for b in bits), 2)


def _crop(im: Image.Image, box: tuple[float, float, float, float]) -> Image.Image:
    w, h = im.size
    return im.crop((round(box[0] * w), round(box[1] * h), round(box[2] * w), round(box[3] * h)))


def hash_decoded(im: Image.Image, crops: bool = True) -> PhotoHash:
    """Enrolled hashes of an already decoded image (whole image, then each crop)."""
    hashes = [_phash(im)]
    if crops:
        hashes.extend(_phash(_crop(im, box)) for box in CROPS)
    return PhotoHash(tuple(hashes))


def image_hash(data: bytes) -> PhotoHash:
    """The PhotoHash of image bytes. Raises ImageError on hostile or undecodable input."""
    return hash_decoded(decode_image(data))


def _as_hash(x: bytes | PhotoHash) -> PhotoHash:
    return x if isinstance(x, PhotoHash) else image_hash(x)


def hamming(a: int, b: int) -> int:
    return (a ^ b).bit_count()


def image_distance(a: bytes | PhotoHash, b: bytes | PhotoHash) -> int:
    """Smallest Hamming distance between any enrolled hash of one photo and any of the other."""
    ha, hb = _as_hash(a), _as_hash(b)
    return min(hamming(x, y) for x in ha.hashes for y in hb.hashes)


def images_match(a: bytes | PhotoHash, b: bytes | PhotoHash) -> bool:
    """True exactly when a PhotoIndex (or a store using photo_keys) would link the two photos."""
    return image_distance(a, b) <= MAX_DISTANCE


# --- multi-index hashing -----------------------------------------------------------------------

_RADIUS = MAX_DISTANCE // CHUNKS
_MASK = (1 << CHUNK_BITS) - 1


def _chunks(h: int) -> list[int]:
    return [(h >> (CHUNK_BITS * i)) & _MASK for i in range(CHUNKS)]


def _key(position: int, value: int) -> bytes:
    # The chunk position, then its 16-bit value: 3 bytes a row.
    return bytes([position]) + value.to_bytes(CHUNK_BITS // 8, "big")


def _flips() -> tuple[int, ...]:
    return chunk_flips(_RADIUS)


def photo_keys(h: PhotoHash) -> list[bytes]:
    """Rows a store indexes for an enrolled photo: one per chunk of each of its hashes."""
    keys = [_key(pos, c) for value in h.hashes for pos, c in enumerate(_chunks(value))]
    return list(dict.fromkeys(keys))


def photo_query_keys(h: PhotoHash) -> list[bytes]:
    """Keys to look up to find every enrolled photo that `images_match` would link to `h`."""
    keys: dict[bytes, None] = {}
    for value in h.hashes:
        for pos, c in enumerate(_chunks(value)):
            for flip in _flips():
                keys[_key(pos, c ^ flip)] = None
    return list(keys)


class PhotoIndex:
    """In-memory reference of the store's photo rows, for tests and benchmarks."""

    def __init__(self) -> None:
        self._rows: dict[bytes, set[str]] = defaultdict(set)
        self._hashes: dict[str, PhotoHash] = {}

    def __len__(self) -> int:
        return len(self._hashes)

    def add(self, photo_id: str, h: PhotoHash) -> None:
        self._hashes[photo_id] = h
        for key in photo_keys(h):
            self._rows[key].add(photo_id)

    def candidates(self, h: PhotoHash) -> set[str]:
        found: set[str] = set()
        for key in photo_query_keys(h):
            found.update(self._rows.get(key, ()))
        return found

    def query(self, h: PhotoHash, exclude: str | None = None) -> list[tuple[str, int]]:
        """Photos that match `h`, nearest first, with their distance."""
        hits = []
        for photo_id in self.candidates(h):
            if photo_id == exclude:
                continue
            d = image_distance(h, self._hashes[photo_id])
            if d <= MAX_DISTANCE:
                hits.append((photo_id, d))
        hits.sort(key=lambda x: (x[1], x[0]))
        return hits


__all__ = [
    "MAX_DISTANCE",
    "PhotoHash",
    "PhotoIndex",
    "decode_image",
    "image_distance",
    "image_hash",
    "images_match",
    "photo_keys",
    "photo_query_keys",
]
