"""More shortcuts taken for speed, each checked against the general code it stands in for."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from asw_guard.normalise import masks, measures, phones
from asw_guard.normalise import text as text_mod
from asw_guard.normalise.digits import is_latin1
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


def _digit_run_edits_reference(text: str) -> list[text_mod.Edit]:
    """The run edits worked out afresh for every run, as before they were remembered."""
    edits: list[text_mod.Edit] = []
    for m in text_mod._digitish_runs(text):
        run = m.group(0)
        if run.isdigit() or not any(c.isdigit() for c in run):
            continue
        digits = sum(c.isdigit() for c in run)
        tokens = [(t.start(), t.end()) for t in re.finditer(r"[0-9OoIl]+", run)]
        for k, (ts, te) in enumerate(tokens):
            tok = run[ts:te]
            if tok.isdigit():
                continue
            interior = 0 < k < len(tokens) - 1
            if any(c.isdigit() for c in tok) or (interior and digits >= 6):
                edits.append(
                    (m.start() + ts, m.start() + te, tok.translate(text_mod._LETTER_DIGIT))
                )
    return edits


def _inside_word_reference(text: str, pos: int, hi: int) -> bool:
    lo = pos
    while lo > 0 and text[lo - 1] in text_mod._DIGITISH_CHARS:
        lo -= 1
    end = pos + 1
    while end < len(text) and text[end] in text_mod._DIGITISH_CHARS:
        end += 1
    if any(c.isdigit() for c in text[lo:end]):
        return False
    before = lo > 0 and text_mod._IS_LETTER.match(text, lo - 1) is not None
    after = end < hi and text_mod._IS_LETTER.match(text, end) is not None
    return before or after


_digit_text = st.lists(
    st.sampled_from(
        ["0", "1", "7", "O", "o", "I", "l", " ", ".", "-", "a", "B", "£", "é", "²", "٣", "\n"]
    ),
    max_size=40,
).map("".join)


@_settings
@given(_digit_text)
def test_remembered_run_edits_match_edits_worked_out_afresh(text: str) -> None:
    assert text_mod._digit_run_edits(text) == _digit_run_edits_reference(text)
    assert text_mod._digit_run_edits(text + " " + text) == _digit_run_edits_reference(
        text + " " + text
    )


@_settings
@given(_digit_text, st.integers(min_value=0, max_value=45), st.integers(min_value=0, max_value=50))
def test_inside_word_matches_the_reference(text: str, pos: int, hi: int) -> None:
    if pos < len(text):
        assert text_mod._inside_word(text, pos, hi) == _inside_word_reference(text, pos, hi)


def _normalise_reference(text: str) -> text_mod.Normalised:
    """normalise with every pass's word step run in full."""
    cur = text
    steps: list[text_mod._Step] = []

    def apply(edits: list[text_mod.Edit]) -> None:
        nonlocal cur
        if edits:
            steps.append(text_mod._Step.of(len(cur), edits))
            cur = text_mod._replace(cur, edits)

    if not cur.isascii() and not text_mod._stable_latin1(cur):
        apply(text_mod._unicode_edits(cur))
    if text_mod._has_ascii_control(cur):
        apply([(m.start(), m.end(), "") for m in text_mod._ASCII_CONTROL.finditer(cur)])
    for _ in range(4):
        edits, contextual, _settled = text_mod._word_edits(cur, cur.lower())
        apply(edits)
        digit_edits = text_mod._digit_run_edits(cur)
        apply(digit_edits)
        if not digit_edits and not (contextual and edits):
            break
    return text_mod.Normalised(text, cur, tuple(steps))


_word_digit_text = st.lists(
    st.sampled_from(
        [
            "0", "1", "7", "O", "o", "I", "l", " ", "-", ".", "a", "x", "é", "K", "İ", "Σ",
            "oh", "seven", "double", "zero", "nine", "twenty", "one", "nouă", "şapte", "unu",
            "douăzeci", "și", "dwa", "cinco", "três", "O7", "7OO", "nouăO0", "sevenO", "Oseven",
        ]
    ),
    max_size=30,
).map("".join)  # fmt: skip


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_word_digit_text)
def test_normalise_skipping_settled_word_steps_matches_full_passes(text: str) -> None:
    got, want = text_mod.normalise(text), _normalise_reference(text)
    assert (got.text, got.steps, got.lower) == (want.text, want.steps, want.text.lower())


def test_normalise_skipping_settled_word_steps_cases() -> None:
    for text in (
        "O7 7OO 9OO 123 and o7700-900-I23",
        "oh seven double seven oh oh nine oh oh one two three",
        "nouăO0 seven O7 seven twenty one twenty-one douăzeci și unu",
        "sevenO7 O7seven 7Oseven nineO 1O1O1O1O1O1 I 0 I 0",
    ):
        got, want = text_mod.normalise(text), _normalise_reference(text)
        assert (got.text, got.steps) == (want.text, want.steps)


_phone_text = st.lists(
    st.sampled_from(
        [
            "0", "1", "7", "44", "07700", "900123", " ", "  ", "\t", ".", "-", "/", "*", "_", "~",
            "|", "(", ")", "+", "+44", "(0)", "a", "x", "B", "é", "ß", "²", "٣", "\x00", "\n",
            "call", "£", ",",
        ]
    ),
    max_size=50,
).map("".join)  # fmt: skip


@_settings
@given(st.one_of(_phone_text, st.text(max_size=60)))
def test_phone_candidates_read_by_runs_match_the_scan(text: str) -> None:
    for latin1 in (False, True):
        pattern = phones._CANDIDATE.pick(latin1)
        want = [m.span() for m in pattern.finditer(text)]
        assert [m.span() for m in phones._candidates(text, latin1)] == want


def test_phone_candidates_read_by_runs_cases() -> None:
    text = "Call +44 (0) 7700 900123_x or 07700-900-123, 1 2 3 4 5 6 7 8 and 0770090012345678"
    want = [m.span() for m in phones._CANDIDATE.ascii.finditer(text)]
    assert len(want) >= 3
    assert [m.span() for m in phones._candidates(text, True)] == want
    assert list(phones._candidates("", True)) == []


_not_phone_text = st.lists(
    st.sampled_from(
        [
            "0", "1", "2", "7", "12", "24", "07700", "900123", "1234567", " ", "\t", "\xa0", "\n",
            ".", ",", "/", "-", ":", "'", '"', "£", "€", "$", "a", "m", "p", "h", "s", "t", "am",
            "pm", "st", "cm", "kg", "lbs", "ft", "yo", "min", "hrs", "days", "gbp", "eur", "DD",
            "LS", "L", "AP", "x", "é", "ß", "²", "_",
        ]
    ),
    max_size=40,
).map("".join)  # fmt: skip


@_settings
@given(_not_phone_text)
def test_non_phone_starts_hold_every_match_of_the_scan(text: str) -> None:
    if not is_latin1(text):
        return
    pattern = masks._NOT_PHONE.ascii
    want = [m.span() for m in pattern.finditer(text)]
    starts = masks._latin1_starts(text)
    assert [m.span() for m in finditer_from(pattern, text, starts)] == want
    assert {s for s, _ in want} <= set(starts)


def test_non_phone_starts_cases() -> None:
    for text in ("call 10h", "LS1 4AP", "£ 150", "5 '6", "12.05.2024", "24 / 7", "34DD - 24 - 36"):
        pattern = masks._NOT_PHONE.ascii
        want = [m.span() for m in pattern.finditer(text)]
        assert want
        assert [m.span() for m in finditer_from(pattern, text, masks._latin1_starts(text))] == want
    # A phone number's own groups are no place a match starts.
    assert masks._latin1_starts("text 07700 900123, thanks") == []


# The number checks as they were before their repeats were made possessive.
_GIVING_BACK = {
    "_PRICE_NEXT": r"(?:\d{0,2}(?:,\d{3})+|\d{0,4}(?:\.\d{1,2})?)[ \t]?[£€$geudqpzrlk]",
    "_DURATION_NEXT": r"\d{0,2}(?:\.\d)?[ \t]?[mhdnwog]",
    "_WEIGHT_NEXT": r"\d{0,2}(?:[.,]\d)?[ \t]?[klps]",
    "_HEIGHT_NEXT": r"\d\d[ \t]?c|[.,]\d\d[ \t]?m|[ \t]?(?:'|′|f)",
}


@_settings
@given(_number_text)
def test_possessive_number_checks_pass_where_giving_back_ones_do(text: str) -> None:
    for name, source in _GIVING_BACK.items():
        for flags in (0, re.IGNORECASE):
            old = re.compile(source, flags)
            new = re.compile(getattr(measures, name), flags)
            for t in (text, text.upper(), f"1{text}", f"{text}1,000.5 £"):
                for i in range(len(t) + 1):
                    assert (old.match(t, i) is None) == (new.match(t, i) is None), (name, t, i)


_letter_stretch_text = st.lists(
    st.sampled_from(
        [
            "0", "1", "7", "O", "o", "I", "l", " ", ".", "-", "a", "B", "x", "£", "é", "²", "ª",
            "_", "\n", "٣", "Incall", "natural", "Bristol.", "Ol", "O" * 63, "l" * 64,
        ]
    ),
    max_size=30,
).map("".join)  # fmt: skip


@_settings
@given(_letter_stretch_text)
def test_no_open_letter_means_every_letter_is_inside_a_word(text: str) -> None:
    try:
        raw = text.encode("latin-1")
    except UnicodeEncodeError:
        return
    if text_mod._open_letter_by_digit(raw.translate(text_mod._CLASS_OF)):
        return
    for pos in text_mod._letters_by_digits(text):
        assert _inside_word_reference(text, pos, min(len(text), pos + 65))


@_settings
@given(_letter_stretch_text)
def test_digitish_runs_without_the_open_letter_search_change_nothing(text: str) -> None:
    fast = [m.span() for m in text_mod._digitish_runs(text)]
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(text_mod, "_open_letter_by_digit", lambda _c: True)
        slow = [m.span() for m in text_mod._digitish_runs(text)]
    assert fast == slow


def test_open_letter_cases() -> None:
    def open_letter(text: str) -> bool:
        return text_mod._open_letter_by_digit(text.encode("latin-1").translate(text_mod._CLASS_OF))

    for text in ("natural 34", "Bristol. 4", "21yo", "£60. Incall", "30min", "10am-2am"):
        assert not open_letter(text)
    for text in ("O7 7OO", "call 7OO", "07 O", "O 7", "7 l.", "7 " + "O" * 65 + "a"):
        assert open_letter(text)
