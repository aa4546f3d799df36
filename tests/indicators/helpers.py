"""Building detector contexts by hand: extraction results and links are constructed directly."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from asw_guard.indicators import AdvertContext, Hit, default_registry
from asw_guard.linking import Link
from asw_guard.models import Account, Advert
from asw_guard.normalise import Extraction

REGISTRY = default_registry()
ME = b"alias-me"


def context(
    body: str = "Hello, I am Mia. Call 07700 900123.",
    *,
    extraction: Extraction | None = None,
    links: Sequence[Link] = (),
    alias_key: bytes | None = ME,
    languages: tuple[str, ...] = ("en",),
    account: Account | None = None,
    **fields: Any,
) -> AdvertContext:
    fields.setdefault("id", "ad-1")
    fields.setdefault("account_id", "acc-1")
    advert = Advert(body=body, **fields)
    return AdvertContext(
        advert=advert,
        extraction=extraction or Extraction(),
        texts=advert.texts(),
        links=links,
        alias_key=alias_key,
        languages=languages,
        account=account,
    )


def link(
    type: str,
    advert_id: str = "ad-2",
    *,
    account_id: str = "acc-2",
    alias_key: bytes | None = b"alias-other",
    age: int | None = None,
    city: str | None = None,
) -> Link:
    return Link(
        type=type,
        strength="strong",
        advert_id=advert_id,
        account_id=account_id,
        alias_key=alias_key,
        age=age,
        city=city,
        cluster_id="c-1",
    )


def detect(indicator: str, ctx: AdvertContext) -> Hit | None:
    return REGISTRY.get(indicator).detect(ctx)


def spans(hit: Hit, ctx: AdvertContext) -> list[str]:
    """The words each text span of a hit points at, read back from the original text."""
    out = []
    for e in hit.evidence:
        if e.kind == "text" and e.start is not None and e.end is not None:
            source = ctx.texts.get(e.field or "")
            if source is None and e.field and e.field.startswith("reviews["):
                source = ctx.advert.reviews[int(e.field[8:-1])]
            assert source is not None, e.field
            out.append(source[e.start : e.end])
    return out
