"""Shortcuts in the reading of prices and measures give the same answers as the general code."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from asw_guard.normalise import measures

_settings = settings(max_examples=2000, deadline=None)

# Quarters and near-quarters, the amounts and rates adverts write, and any float at all.
_floats = st.one_of(
    st.integers(-(10**6), 10**6).map(lambda k: k / 4),
    st.integers(-(10**6), 10**6).map(lambda k: math.nextafter(k / 4, math.inf)),
    st.integers(1, 10**5).flatmap(
        lambda a: st.sampled_from([15, 20, 30, 45, 60, 90, 120, 720, 1440]).map(
            lambda m: a * 60 / m
        )
    ),
    st.floats(allow_nan=False),
)


@_settings
@given(_floats)
def test_round2_is_round(x: float) -> None:
    got, want = measures._round2(x), round(x, 2)
    assert type(got) is float
    assert got == want and math.copysign(1, got) == math.copysign(1, want)
