"""No detector raises on any valid advert, and the detectors stay fast."""

from __future__ import annotations

import time

from hypothesis import given, settings
from hypothesis import strategies as st

from asw_guard.indicators import AdvertContext, load_specs
from asw_guard.models import Advert

from .helpers import REGISTRY, context, link

ALL = frozenset(load_specs())


@settings(max_examples=150, deadline=None)
@given(
    body=st.text(max_size=600),
    title=st.one_of(st.none(), st.text(max_size=60)),
    languages=st.lists(st.sampled_from(["en", "ro", "pl", "xx"]), min_size=1, max_size=3),
)
def test_no_detector_raises(body: str, title: str | None, languages: list[str]) -> None:
    try:
        ctx = context(body, title=title, languages=tuple(languages), links=[link("phone")])
    except ValueError:
        return  # not a valid advert (lone surrogates): rejected before any detector runs
    for hit in REGISTRY.run(ctx, ALL):
        assert 0 < hit.strength <= 1
        for e in hit.evidence:
            if e.kind == "text":
                assert e.start is not None and e.end is not None and 0 <= e.start < e.end


def test_negation_does_not_reach_across_a_clause() -> None:
    from .helpers import detect

    assert detect("unprotected_services", context("No problem, bareback is fine.")) is not None


def test_typical_advert_is_fast() -> None:
    # A loose guard against a catastrophic regression; the real measurement is
    # `python -m benchmarks.indicators`, which holds the 1 ms budget.
    body = (
        "Hello gentlemen, I am Mia, new in town. She is friendly. I never do bareback. "
        "Call 07700 900123, WhatsApp welcome. Site rules: all ages verified. "
    ) * 8
    advert = Advert(id="a", account_id="b", body=body)
    runs = []
    for _ in range(50):
        ctx = context(body)
        t0 = time.perf_counter()
        REGISTRY.run(AdvertContext(advert, ctx.extraction, advert.texts()), ALL)
        runs.append(time.perf_counter() - t0)
    runs.sort()
    assert runs[len(runs) // 2] < 0.01
