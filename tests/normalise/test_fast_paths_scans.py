"""More shortcuts taken for speed, each checked against the general code it stands in for."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from asw_guard.normalise import measures
from asw_guard.normalise import text as text_mod
from asw_guard.normalise.scan import finditer_from

_settings = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])

_number_text = st.lists(
    st.sampled_from(
        [
            "0", "1", "2", "5", "9", "12", "24", "07700", " ", "\t", ".", ",", ":", "-", "–",
            "'", "′", '"', "£", "€", "$", "+", "/", "a", "m", "p", "h", "k", "g", "s", "t",
            "y", "o", "c", "e", "ft", "cm", "kg", "lbs", "st", "yo", "min", "hr", "am", "pm",
            "to", "gbp", "roses", "x", "é", "ÿ", "µ", "٣", "M", "H", "K", "Y",
        ]
    ),
    max_size=40,
).map("".join)  # fmt: skip


@_settings
@given(_number_text)
def test_number_scan_on_one_digit_text_matches_the_scan(text: str) -> None:
    for scan in (measures._NUMBERS,):
        for t in (text, text.upper()):
            want = [(m.span(), m.groups()) for m in scan._scan.finditer(t)]
            assert [(m.span(), m.groups()) for m in scan._hits(t)] == want


def test_number_scan_on_one_digit_text_cases() -> None:
    text = "21yo, 5'6\", 55kg, 30min £80 / 100 roses, 10am-2am, 10 - 12, 07700 900123, 1,500 EUR"
    want = [(m.span(), m.groups()) for m in measures._NUMBERS._scan.finditer(text)]
    assert len(want) >= 8
    assert [(m.span(), m.groups()) for m in measures._NUMBERS._hits(text)] == want


@_settings
@given(st.text(alphabet=st.characters(max_codepoint=0x2FF), max_size=40))
def test_lowercase_is_str_lower(text: str) -> None:
    assert text_mod.lowercase(text) == text.lower()


def test_lowercase_of_every_latin1_character() -> None:
    every = "".join(map(chr, range(256)))
    assert text_mod.lowercase(every) == every.lower()
    assert text_mod.lowercase("İ £") == "İ £".lower()


_call_text = st.lists(
    st.sampled_from(
        [
            "in", "out", "call", "calls", " ", "\t", "-", "x", "o", "ut", "only", "no ", "u mnie",
            "la mine", "incall", "outcall", "a", "c", "all",
        ]
    ),
    max_size=30,
).map("".join)  # fmt: skip


@_settings
@given(_call_text)
def test_call_mode_starts_match_the_full_scan(text: str) -> None:
    low = text.lower()
    starts = measures._call_word_starts(low) + measures._in_out_call_starts(low)
    got = [m.span() for m in finditer_from(measures._CALL_MODE, low, starts)]
    assert got == [m.span() for m in measures._CALL_MODE.finditer(low)]


def test_call_mode_starts_cases() -> None:
    low = "incall, in call, in-call, outcall, out call, out-call, xcall, in  call, call"
    assert measures._in_out_call_starts(low) == [0, 8, 17, 26, 35, 45]
