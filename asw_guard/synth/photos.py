"""Photographs for the synthetic market and the photo benchmark.

Networks re-use real photographs (shipped by scikit-image, a development dependency), posted
again with the changes re-posting brings: a crop, a resize, heavy JPEG compression, a brightness
change, a watermark. Independents get pictures drawn for them, unique to each, so two
independent advertisers never share a photo by accident of the simulation.
"""

from __future__ import annotations

import io
import random
from collections.abc import Callable

from PIL import Image, ImageDraw, ImageEnhance, ImageFont

from asw_guard.errors import ConfigError

REAL_PHOTOS = (
    "astronaut",
    "camera",
    "chelsea",
    "clock",
    "coffee",
    "coins",
    "moon",
    "page",
    "text",
    "brick",
    "grass",
    "gravel",
    "rocket",
    "hubble_deep_field",
    "retina",
    "immunohistochemistry",
)


def real_photos(tiles: bool = True) -> list[tuple[str, Image.Image]]:
    """Real photographs from scikit-image, plus 256 px tiles of the larger ones for variety."""
    try:
        from skimage import data  # noqa: PLC0415  (optional, development-only dependency)
    except ImportError:
        raise ConfigError(
            "real photographs come from scikit-image: pip install 'asw-guard[dev]'"
        ) from None

    photos: list[tuple[str, Image.Image]] = []
    for name in REAL_PHOTOS:
        arr = getattr(data, name)()
        photos.append((name, Image.fromarray(arr).convert("RGB")))
    left = data.stereo_motorcycle()[0]  # type: ignore[no-untyped-call]
    photos.append(("motorcycle", Image.fromarray(left).convert("RGB")))
    if tiles:
        extra = []
        for name, im in photos:
            w, h = im.size
            if min(w, h) < 400:
                continue
            for x in range(0, w - 255, 256):
                for y in range(0, h - 255, 256):
                    extra.append((f"{name}@{x},{y}", im.crop((x, y, x + 256, y + 256))))
        photos.extend(extra)
    return photos


def jpeg(im: Image.Image, quality: int = 90) -> bytes:
    buf = io.BytesIO()
    im.convert("RGB").save(buf, "JPEG", quality=quality)
    return buf.getvalue()


def _watermark(im: Image.Image) -> Image.Image:
    out = im.copy()
    draw = ImageDraw.Draw(out)
    w, h = out.size
    font = ImageFont.load_default(size=max(12, h // 14))
    draw.text((w * 0.05, h * 0.82), "www.example-escorts.com", fill=(255, 255, 255), font=font)
    return out


TRANSFORMS: dict[str, Callable[[Image.Image], bytes]] = {
    "resize 50%": lambda im: jpeg(im.resize((im.width // 2, im.height // 2))),
    "crop 10% (5% a side)": lambda im: jpeg(
        im.crop((im.width * 0.05, im.height * 0.05, im.width * 0.95, im.height * 0.95))
    ),
    "crop 10% (one corner)": lambda im: jpeg(
        im.crop((im.width * 0.1, im.height * 0.1, im.width, im.height))
    ),
    "jpeg q40": lambda im: jpeg(im, 40),
    "brightness +20%": lambda im: jpeg(ImageEnhance.Brightness(im).enhance(1.2)),
    "brightness -20%": lambda im: jpeg(ImageEnhance.Brightness(im).enhance(0.8)),
    "text watermark": lambda im: jpeg(_watermark(im)),
}


def reposted(im: Image.Image, rng: random.Random) -> bytes:
    """The photo as a network posts it again: one random change from the suite, as JPEG."""
    return TRANSFORMS[rng.choice(sorted(TRANSFORMS))](im)


def drawn_photo(rng: random.Random, size: int = 192) -> bytes:
    """A picture unlike any other: a random smooth field of colour, then a few shapes.

    The field matters: plain shapes on a flat background share their low frequencies, and a
    perceptual hash would call many of them the same photo.
    """
    field = Image.frombytes("RGB", (8, 8), bytes(rng.randrange(256) for _ in range(8 * 8 * 3)))
    img = field.resize((size, size), Image.Resampling.BICUBIC)
    draw = ImageDraw.Draw(img)
    for _ in range(rng.randint(2, 5)):
        x0, y0 = rng.randrange(size), rng.randrange(size)
        box = (x0, y0, x0 + rng.randint(10, size // 3), y0 + rng.randint(10, size // 3))
        colour = tuple(rng.randrange(256) for _ in range(3))
        draw.ellipse(box, fill=colour)
    return jpeg(img, 85)
