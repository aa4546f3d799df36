"""Shortcuts in the reading of prices and measures give the same answers as the general code."""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable

from hypothesis import given, settings
from hypothesis import strategies as st

from asw_guard.normalise import measures
from asw_guard.normalise import text as text_mod

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


# Numbers next to the words, signs and dashes each pattern reads after one, and to others.
_NUMBERS = ("1", "2", "12", "30", "150", "1,000", "1.5", "1.65", "11:00", "0", "1.", "2,", "3:")
_GAPS = ("", " ", "  ", "\t", " - ", "-", "–", ":", ",", ".")
_WORDS = (
    "to", "till", "until", "am", "pm", "+", "'", "′", '"', "kg", "kilos", "lbs", "pounds",
        "st", "stone", "cm", "m", "mi", "ft", "feet", "in", "yo", "y.o.", "yrs", "years old",
        "de ani", "ani", "anos", "años", "añ", "lat", "£", "€", "$", "gbp", "eur", "euros",
        "usd", "dollars", "quid", "pln", "zł", "zl", "ron", "lei", "roses", "kiss", "kisses",
        "ki", "mins", "hours", "hr", "h", "days", "nights", "weeks", "horas", "ora", "godz",
        "a", "x", "é", "_", "",
)  # fmt: skip
_number_text = st.lists(
    st.tuples(*map(st.sampled_from, (_NUMBERS, _GAPS, _WORDS, _GAPS))).map("".join), max_size=8
).map("".join)


@settings(max_examples=1000, deadline=None)
@given(_number_text, st.sampled_from([str, str.upper, str.title]))
def test_number_scan_checks_after_the_number_rule_out_no_match(
    text: str, case: Callable[[str], str]
) -> None:
    text = case(text)
    norm = text_mod.normalise(text)
    for pattern in measures._NUMBERS_READ:
        want = [(m.span(), m.groups()) for m in pattern.pick(norm.latin1).finditer(norm.text)]
        got = [(m.span(), m.groups()) for m in measures._NUMBERS.finditer(norm, pattern)]
        assert got == want


def test_number_scan_checks_after_each_number_and_word() -> None:
    """Every number, gap and word above, one after the other, in each case."""
    for number, gap, word, after in itertools.product(_NUMBERS, _GAPS, _WORDS, ("", " ", ".", "x")):
        for text in {number + gap + word + after, (number + gap + word + after).upper()}:
            norm = text_mod.normalise(text)
            for pattern in measures._NUMBERS_READ:
                found = pattern.pick(norm.latin1).finditer(norm.text)
                want = [(m.span(), m.groups()) for m in found]
                got = [(m.span(), m.groups()) for m in measures._NUMBERS.finditer(norm, pattern)]
                assert got == want, text
