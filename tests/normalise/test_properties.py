"""Property tests: nothing raises, embedded numbers are found, normalisation is idempotent,
and adversarial inputs stay linear."""

from __future__ import annotations

import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from asw_guard.normalise import extract, normalise, parse_phone

_settings = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Surrounding text that cannot itself continue a number: letters and punctuation away from digits.
_filler = st.text(
    alphabet=st.characters(
        codec="utf-8", exclude_categories=("Nd", "No", "Nl", "Cs"), exclude_characters="+"
    ),
    max_size=60,
).map(lambda s: f"{s} ")


@_settings
@given(st.text(max_size=400))
def test_extract_never_raises(text: str) -> None:
    ex = extract(text)
    for item in [*ex.phones, *ex.emails, *ex.handles, *ex.urls, *ex.prices, *ex.ages]:
        assert 0 <= item.start <= item.end <= len(text)


# Pieces of what the extractors read, so that random texts run into their rarer paths, which
# random characters almost never reach: "mon-fri" glued to "overnight" once raised a KeyError.
_PIECES = (
    *("mon", "fri", "sat", "sun", "day", "to", "till", "-", "–", "/", "24", "7", "every"),
    *("overnight", "night", "half", "hour", "hr", "hrs", "min", "h", "one", "an", "a", "per"),
    *("£", "€", "$", "gbp", "eur", "quid", "roses", "kisses", "pounds", "stone", "st", "lbs"),
    *("kg", "cm", "ft", "'", '"', "yo", "age", "i am", "im", "am", "pm", "in", "out", "call"),
    *("u mnie", "wyjazdy", "la mine", "a domicilio", "at", "dot", "gmail", "com", "@", "."),
    *("wa", "snap", "t.me/", "wa.me/", "www.", "http://", "O", "o", "l", "I", "seven", "oh"),
    *("double", "zero", "şapte", "unu", "07700", "900", "123", "+44", "(0)", "0", "1", "5"),
    *(" ", " ", " ", "\t", "\n", ",", ":", "=", "+", "x", "é", "ă", "7️⃣", "\u200b"),
)


@_settings
@given(st.lists(st.sampled_from(_PIECES), max_size=40).map("".join))
def test_extract_never_raises_on_advert_pieces(text: str) -> None:
    ex = extract(text)
    for item in [*ex.phones, *ex.prices, *ex.ages, *ex.weights, *ex.heights, *ex.availability]:
        assert 0 <= item.start <= item.end <= len(text)


def test_a_day_range_is_read_at_the_separator_it_matched() -> None:
    # The first day word may hold "to" ("...nightovernight"): the range is split where the
    # match found its separator, not at the first "to" in it.
    ex = extract("mon-frimon-friovernightovernightmon-fri, Sattox - Monday")
    assert [(a.start, a.days_per_week) for a in ex.availability] == [(0, 5), (11, 1), (41, 3)]


@_settings
@given(st.text(max_size=200))
def test_parse_phone_never_raises(text: str) -> None:
    parse_phone(text, "GB")


@_settings
@given(st.text(max_size=400))
def test_normalise_is_idempotent(text: str) -> None:
    once = normalise(text).text
    assert normalise(once).text == once


@_settings
@given(
    _filler,
    _filler,
    st.integers(min_value=0, max_value=999),
    st.sampled_from(["07700 9{n:05d}", "+44 7700 9{n:05d}", "077009{n:05d}", "+447700 9{n:05d}"]),
)
def test_embedded_number_is_found(before: str, after: str, n: int, form: str) -> None:
    number = form.format(n=n)
    found = {p.e164 for p in extract(f"{before}{number} {after}").phones}
    assert f"+4477009{n:05d}" in found


def test_one_megabyte_of_unicode() -> None:
    chunk = "Ｌｉｌｙ ０７７００ ９００１２３ аnnа at gmail dot com £150 1hr 19yo 😀\u200b ☎ "
    text = (chunk * (1_000_000 // len(chunk) + 1))[:1_000_000]
    ex = extract(text)
    assert [p.e164 for p in ex.phones] == ["+447700900123"]


@pytest.mark.parametrize(
    "text",
    [
        "0" * 100_000,
        "1 " * 50_000,
        "@" * 100_000,
        "a@" * 50_000,
        "a" * 100_000,
        "a." * 50_000,
        "£1" * 50_000,
        "1hr " * 25_000,
        "07700 900123 " * 7_700,
        "0 7 7 0 0 " * 10_000,
        "O" * 100_000,
        "one " * 25_000,
        "http://" + "a" * 100_000,
        "snap: " * 16_000,
        "10am-" * 20_000,
        "5'" * 50_000,
        "1.1." * 25_000,
    ],
)
def test_adversarial_inputs_are_linear(text: str) -> None:
    started = time.perf_counter()
    extract(text)
    # Generous: a shared CI machine is slow; catastrophic backtracking would take minutes.
    assert time.perf_counter() - started < 10


@pytest.mark.parametrize(
    "text",
    [
        "1.1." * 250_000,
        "1,000" * 200_000,
        "," + "000," * 250_000 + "£",
        "1:1:" * 250_000 + "1am-",
        "1.1." * 250_000 + "1h",
    ],
)
def test_a_megabyte_of_one_number_is_read_in_linear_time(text: str) -> None:
    # One run of digits and separators, every digit opening a number: read again from each
    # of them, a megabyte of it took over a quarter of an hour; read once, about a second.
    started = time.perf_counter()
    extract(text)
    assert time.perf_counter() - started < 10


@_settings
@given(_filler, _filler, st.integers(min_value=0, max_value=99))
def test_embedded_valid_number_is_found(before: str, after: str, n: int) -> None:
    # The fictional US 555-01xx range is valid to phonenumbers (the UK drama ranges are not).
    found = {p.e164: p for p in extract(f"{before}+1 202 555 01{n:02d} {after}").phones}
    match = found[f"+1202555{100 + n:04d}"]
    assert match.valid
    assert match.region == "US"


# Letters that match ASCII ones under re.IGNORECASE but lower-case to something else.
_TWINS = {"i": "İı", "s": "ſ", "k": "\u212a", "a": "\u212b"}
_PLATFORM_WORDS = ("whatsapp", "ig", "insta", "sc", "snap", "kik", "skype", "telegram", "wa")


@_settings
@given(
    st.sampled_from(_PLATFORM_WORDS),
    st.lists(st.integers(min_value=0, max_value=1), min_size=10, max_size=10),
    st.booleans(),
)
def test_platform_words_with_case_folding_twins_never_raise(
    word: str, picks: list[int], upper: bool
) -> None:
    twisted = "".join(
        _TWINS[c][pick % len(_TWINS[c])] if c in _TWINS and pick else c
        for c, pick in zip(word, picks, strict=False)
    )
    text = f"{twisted.upper() if upper else twisted} @lily_x"
    extract(text)


def test_a_dotted_capital_i_before_a_handle_is_read() -> None:
    # "İg" folds to "i̇g", which is no platform name: the handle is kept, its platform unknown.
    handles = extract("İg @lily_x").handles
    assert [(h.platform, h.handle) for h in handles] == [(None, "lily_x")]
