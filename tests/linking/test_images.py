import io
import random
import struct
import zipfile
import zlib

import pytest
from PIL import Image

from asw_guard.errors import ImageError
from asw_guard.linking import (
    PhotoHash,
    PhotoIndex,
    image_distance,
    image_hash,
    images_match,
    photo_keys,
    photo_query_keys,
)
from asw_guard.linking.images import MAX_DISTANCE, decode_image
from asw_guard.synth.photos import TRANSFORMS, jpeg, real_photos


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _png_header_only(width: int, height: int) -> bytes:
    """A PNG that declares `width`×`height` RGB pixels, with one compressed row of zeros."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\0" * (1 + width * 3), 9)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", ihdr)
        + _png_chunk(b"IDAT", idat)
        + _png_chunk(b"IEND", b"")
    )


@pytest.fixture(scope="module")
def photos() -> list[tuple[str, Image.Image]]:
    return real_photos(tiles=False)


def test_huge_png_is_refused_before_decoding() -> None:
    with pytest.raises(ImageError, match="400000000 pixels"):
        image_hash(_png_header_only(20000, 20000))


def test_zip_bomb_and_non_images_are_refused() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("bomb.bin", b"\0" * 10_000_000)
    for data in (buf.getvalue(), b"<html>not an image</html>", b"%PDF-1.7\n"):
        with pytest.raises(ImageError, match="not a recognised image"):
            image_hash(data)
    with pytest.raises(ImageError, match="empty"):
        image_hash(b"")


def test_truncated_and_oversized_inputs_are_refused(photos: list) -> None:
    data = jpeg(photos[0][1])
    with pytest.raises(ImageError, match="truncated or corrupt"):
        image_hash(data[: len(data) // 2])
    with pytest.raises(ImageError, match="bytes; the limit"):
        image_hash(b"\xff\xd8" + b"\0" * (21 * 1024 * 1024))


def test_jpeg_is_decoded_at_reduced_size() -> None:
    big = Image.new("RGB", (4000, 3000), (120, 80, 40))
    im = decode_image(jpeg(big))
    assert max(im.size) <= 512


def test_hash_has_a_stable_hex_form(photos: list) -> None:
    h = image_hash(jpeg(photos[0][1]))
    assert PhotoHash.from_hex(h.hex) == h
    assert len(h.hex) == 16 * len(h.hashes)
    assert image_distance(h, h) == 0 and images_match(h, jpeg(photos[0][1]))


def test_transformed_copies_match_and_different_photos_do_not(photos: list) -> None:
    subset = photos[:8]
    originals = [image_hash(jpeg(im)) for _, im in subset]
    matched = total = false = 0
    for transform in TRANSFORMS.values():
        for i, (_, im) in enumerate(subset):
            q = image_hash(transform(im))
            total += 1
            matched += images_match(q, originals[i])
            false += sum(images_match(q, o) for j, o in enumerate(originals) if j != i)
    assert matched / total >= 0.9
    assert false == 0


def test_index_is_exactly_images_match() -> None:
    rng = random.Random(5)
    base = [PhotoHash(tuple(rng.getrandbits(64) for _ in range(7))) for _ in range(200)]
    near = []
    for h in base[:100]:
        flipped = h.hashes[rng.randrange(7)]
        for bit in rng.sample(range(64), rng.randrange(0, MAX_DISTANCE + 3)):
            flipped ^= 1 << bit
        near.append(PhotoHash((flipped, *(rng.getrandbits(64) for _ in range(6)))))
    index = PhotoIndex()
    for i, h in enumerate(base):
        index.add(str(i), h)
    for q in near + base[150:]:
        expected = {str(i) for i, h in enumerate(base) if images_match(q, h)}
        assert {pid for pid, _ in index.query(q)} == expected
    assert len(photo_keys(base[0])) <= 28
    assert len(photo_query_keys(base[0])) <= 7 * 4 * 17
