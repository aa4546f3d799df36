"""Shortcuts taken for speed give the same answers as the general code they stand in for."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from asw_guard.normalise import contacts, extract, masks, measures, phones
from asw_guard.normalise import text as text_mod
from asw_guard.normalise.digits import DigitPatterns, is_latin1
from asw_guard.normalise.numbers import NumberScan
from asw_guard.normalise.scan import KEYWORDS, any_in, finditer_from, word_starts

_settings = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Characters the shortcuts turn on: digits, digit-like letters, separators, other letters,
# Latin-1 and wider characters, marks and number words.
_pieces = st.sampled_from(
    [
        "0", "1", "7", "O", "o", "I", "l", " ", ".", "-", "a", "B", "x", "£", "é", "ß", "²",
        "½", "ª", "\u0301", "а", "٣", "७", "\n", "oh", "seven", "double", "zero", "nine",
        "şapte", "dwa", "cinco", "três", "Incall", "natural", "Bristol.", "_", "'",
    ]
)  # fmt: skip
_texts = st.lists(_pieces, max_size=60).map("".join)


@_settings
@given(_texts)
def test_word_tokens_match_the_regex(text: str) -> None:
    nw = text_mod._number_words()
    lowered = text.lower()
    want = set(nw.every.intersection(text_mod._WORD_TOKEN.findall(lowered)))
    try:
        raw = lowered.encode("latin-1")
    except UnicodeEncodeError:
        return
    tokens = raw.translate(text_mod._LATIN1_NON_LETTERS).split()
    assert {w.decode("latin-1") for w in nw.every_latin1.intersection(tokens)} == want


def _spans(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in text_mod._digitish_runs(text)]


@_settings
@given(_texts)
def test_digitish_runs_skip_changes_nothing(text: str) -> None:
    fast = _spans(text)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(text_mod, "_inside_word", lambda _t, _p, _h: False)
        slow = _spans(text)
    assert fast == slow


@_settings
@given(_texts)
def test_cached_unicode_runs_match_uncached(text: str) -> None:
    cached = text_mod._unicode_edits(text)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(text_mod, "_run_edits", text_mod._run_edits_uncached)
        uncached = text_mod._unicode_edits(text)
    assert cached == uncached


def _digit_patterns() -> list[DigitPatterns]:
    found = []
    for module in (measures, phones, masks, text_mod):
        found += [v for v in vars(module).values() if isinstance(v, DigitPatterns)]
    return found


def test_digit_twins_are_rewritten() -> None:
    assert len(_digit_patterns()) >= 10
    for pair in _digit_patterns():
        assert "\\d" not in pair.ascii.pattern
        assert pair.ascii.flags & ~re.IGNORECASE == pair.any.flags & ~re.IGNORECASE
        assert pair.ascii.groups == pair.any.groups


_latin1_text = st.lists(
    st.sampled_from(
        [
            *"0123456789 \t\n.,:;-/'\"+()£€$%²½OoIlaAkKgGmMhHsStTyYñÑµÿ",
            "yo", "YO", "kg", "KG", "Kgs", "cm", "CM", "hr", "Hrs", "am ", "PM", "To", "till",
            "lbs", "St", "stone", "ft", "Feet", "años", "AÑOS", "godzina", "GODZINY", "eur",
            "GBP", "Pounds", "Roses", "kisses", "EUROS", "Mins", "hours", "y.o.", "Y/O",
        ]
    ),
    max_size=60,
).map("".join)  # fmt: skip


@_settings
@given(_latin1_text)
def test_latin1_twins_match_alike_on_latin1(text: str) -> None:
    low = text.lower()
    for pair in _digit_patterns():
        for t in (text, low):
            want = [(m.span(), m.groups()) for m in pair.any.finditer(t)]
            assert [(m.span(), m.groups()) for m in pair.ascii.finditer(t)] == want


def test_is_latin1() -> None:
    assert is_latin1("£150, 07700 900123, é ½ ²")
    assert not is_latin1("Привет 07700 😀")
    assert not is_latin1("٠٧٧٠٠")


def test_latin1_twins_fold_case_by_hand() -> None:
    twin = measures._DURATION_NUM.ascii
    assert not twin.flags & re.IGNORECASE
    assert "[gG][oO][dD][zZ][iI][nN][aAyY]" in twin.pattern
    assert masks._NOT_PHONE.ascii.flags & re.IGNORECASE  # verbose: only digits rewritten


_word_text = st.lists(
    st.sampled_from(
        [
            " ", "\t", "-", ".", ":", "2", "5", "age", "aged", "i am", "i'm", "im", "i’m", "mam",
            "am", "tengo", "just", "every", "day", "daily", "non", "stop", "mon", "tue", "sun",
            "to", "in", "out", "call", "calls", "u mnie", "la mine", "a domicilio", "wa",
            "whatsapp", "whats app", "sc", "snap", "ig", "@", "id", "anna_x", "x",
        ]
    ),
    max_size=40,
).map("".join)  # fmt: skip

_WORD_SCANS = [
    (measures._AGE_BEFORE.any, measures._AGE_BEFORE_WORDS, (0,)),
    (measures._AVAIL_WORD, measures._AVAIL_WORDS, (0,)),
    (measures._CALL_MODE, measures._CALL_WORDS, (0,)),
    (contacts._HANDLE_AFTER_PLATFORM, contacts._PLATFORM_STARTS, (0,)),
]


@_settings
@given(_word_text)
def test_scans_from_word_starts_match_full_scans(text: str) -> None:
    call_starts = word_starts(text, measures._CALL_WORDS) + word_starts(
        text, ("call",), (-2, -3, -4)
    )
    for pattern, words, offsets in _WORD_SCANS:
        assert pattern.match("") is None
        starts = (
            call_starts if pattern is measures._CALL_MODE else word_starts(text, words, offsets)
        )
        want = [(m.span(), m.groups()) for m in pattern.finditer(text)]
        assert [(m.span(), m.groups()) for m in finditer_from(pattern, text, starts)] == want


@_settings
@given(_texts)
def test_stable_latin1_means_no_unicode_edits(text: str) -> None:
    if text_mod._stable_latin1(text):
        assert text_mod._unicode_edits(text) == []


def test_stable_latin1_cases() -> None:
    assert text_mod._stable_latin1("£150 café\x00\x07")
    assert not text_mod._stable_latin1("½ hour")
    assert not text_mod._stable_latin1("soft\xadhyphen")
    assert not text_mod._stable_latin1("Привет")


@_settings
@given(_texts)
def test_letters_by_digits_match_the_regex(text: str) -> None:
    want = [m.start() for m in text_mod._LETTER_BY_DIGIT.any.finditer(text)]
    assert text_mod._letters_by_digits(text) == want


_email_text = st.lists(
    st.sampled_from(
        [
            "anna", "Lily.Rose", "x_9", "é", "_", ".", "-", "+", " ", "  ", "\t", "at", "AT", "At",
            "@", "[at]", "( at )", "gmail", "Yahoo", "dot", " dot ", "com", "co", "uk", "7", "meet",
            "[", "(", "{", "<", "that", "\tat",
        ]
    ),
    max_size=40,
).map("".join)  # fmt: skip


@_settings
@given(_email_text)
def test_email_anchor_scans_match_window_scans(text: str) -> None:
    low = text.lower()
    if len(low) != len(text):
        return
    loose = contacts._loose_local_starts(text, low)
    for anchor in contacts._ANCHOR.finditer(low):
        p = anchor.start()
        for pattern, starts in ((contacts._EMAIL_LOOSE, loose), (contacts._EMAIL, None)):
            window = pattern.finditer(text, max(0, p - 72), min(len(text), p + 160))
            want = [m.span() for m in window if m.start() <= p < m.end()]
            got = [m.span() for m in contacts._around_anchor(text, p, pattern, starts)]
            assert got == want


_number_text = st.lists(
    st.sampled_from(
        [
            "1", "2", "12", "30", "150", "1,000", "1.5", "0", ".", ",", " ", "\t", "-", "–", "to",
            "till", "am", "pm", ":", "+", "'", "′", '"', "''", "kg", "lbs", "pounds", "st",
            "stone", "cm", "m", "ft", "in", "yo", "y.o.", "yrs", "years old", "de ani", "años",
            "£", "€", "$", "gbp", "euros", "quid", "zł", "lei", "roses", "kiss", "mins", "hours",
            "hr", "h", "nights", "weeks", "ora", "godzin", "a", "K", "G", "é", "٣", "x",
        ]
    ),
    max_size=40,
).map("".join)  # fmt: skip


@_settings
@given(_number_text)
def test_one_number_scan_matches_each_pattern_alone(text: str) -> None:
    norm = text_mod.normalise(text)
    for pattern in measures._NUMBERS_READ:
        want = [(m.span(), m.groups()) for m in pattern.pick(norm.latin1).finditer(norm.text)]
        got = [(m.span(), m.groups()) for m in measures._NUMBERS.finditer(norm, pattern)]
        assert got == want


def test_number_scan_reads_every_pattern_at_once() -> None:
    norm = text_mod.normalise("21yo, 5'6\", 55kg, 30min £80 / 100 roses, 10am-2am, 10 - 12")
    found = [
        [m.group(0) for m in measures._NUMBERS.finditer(norm, p)] for p in measures._NUMBERS_READ
    ]
    want = [["100 roses"], ["30min"], ["21yo"], ["55kg"], ["5'6\""], ["10am-2am", "10 - 12"]]
    assert found == want


def test_local_part_characters_as_a_set() -> None:
    want = {chr(c) for c in range(0x110000) if contacts._LOCAL_CHAR.match(chr(c))}
    assert want == contacts._LOCAL_CHARS


@_settings
@given(_email_text)
def test_email_anchors_from_finds_match_the_regex(text: str) -> None:
    low = text.lower()
    want = [(m.start(), m.group(0).strip() == "at") for m in contacts._ANCHOR.finditer(low)]
    assert contacts._anchors(low) == want


def test_email_anchor_forms() -> None:
    low = "a@b [ at ] x at y (at) z\tat\tw at at [at"
    want = [(m.start(), m.group(0).strip() == "at") for m in contacts._ANCHOR.finditer(low)]
    assert contacts._anchors(low) == want
    assert len(want) == 7


@_settings
@given(st.lists(st.sampled_from(["a", " ", "\n", "\t", "\r", "\x00", "\x07", "\x1f", "\x7f",
                                 "\x85", "\xa0", "\xad", "é", "а", "\u200b"]), max_size=30)
       .map("".join))  # fmt: skip
def test_control_check_by_bytes_matches_the_regex(text: str) -> None:
    assert text_mod._has_ascii_control(text) == (text_mod._ASCII_CONTROL.search(text) is not None)


@_settings
@given(_texts)
def test_normalised_lower_is_the_text_lower_cased(text: str) -> None:
    norm = text_mod.normalise(text)
    assert norm.lower == norm.text.lower()


_U = measures._U
# The duration words as one flat alternation, in the order the grouped pattern keeps per letter.
_DURATION_WORD_FLAT = re.compile(
    rf"half an{_U}|half a{_U}|half{_U}|an{_U}|a{_U}|one{_U}"
    r"|overnight|all night|half hour|per hour|p/h|ph\b|/[ \t]?hour\b|/[ \t]?hr\b|/[ \t]?h\b"
    r"|hourly|pe ora|pe oră|za godzin|por hora"
)
_duration_text = st.lists(
    st.sampled_from(
        [
            "half", "an", "a", " ", "\t", "hour", "hours", "hr", "h", "min", "mins", "minutes",
            "one", "overnight", "all night", "all", "per hour", "p/h", "ph", "/", "hourly",
            "pe ora", "pe oră", "za godzin", "por hora", "ora", "ore", "godz", "godzina", "x",
            "1", "horas", "n", "night",
        ]
    ),
    max_size=30,
).map("".join)  # fmt: skip


@_settings
@given(_duration_text)
def test_grouped_duration_words_match_the_flat_alternation(text: str) -> None:
    want = [(m.span(), m.group(0)) for m in _DURATION_WORD_FLAT.finditer(text)]
    assert [(m.span(), m.group(0)) for m in measures._DURATION_WORD.finditer(text)] == want


@_settings
@given(st.one_of(_duration_text, _texts))
def test_duration_words_found_from_their_starts_match_the_scan(text: str) -> None:
    for sample in (text, f"x{text}", f"{text} {text.upper()}"):
        norm = text_mod.normalise(sample)
        low = norm.lower
        want = [(m.span(), m.group(0)) for m in measures._DURATION_WORD.finditer(low)]
        starts = KEYWORDS.starts(norm, measures._DURATION_WORD_STARTS)
        got = finditer_from(measures._DURATION_WORD, low, starts)
        assert [(m.span(), m.group(0)) for m in got] == want
        starts = word_starts(low, measures._DURATION_WORD_STARTS)
        got = finditer_from(measures._DURATION_WORD, low, starts)
        assert [(m.span(), m.group(0)) for m in got] == want


def test_every_platform_name_begins_with_a_platform_start() -> None:
    for name in contacts._PLATFORMS:
        assert name.startswith(contacts._PLATFORM_STARTS)


@_settings
@given(_number_text)
def test_extract_validated_at_once_matches_each_model_built_alone(text: str) -> None:
    norm = text_mod.normalise(text)
    got = extract(text)
    want = {
        "prices": measures.find_prices(norm),
        "ages": measures.find_ages(norm),
        "weights": measures.find_weights(norm),
        "heights": measures.find_heights(norm),
        "availability": measures.find_availability(norm),
    }
    for name, models in want.items():
        items = getattr(got, name)
        assert items == models
        # Same values of the same types, and the same fields counted as set.
        assert [repr(i) for i in items] == [repr(m) for m in models]
        assert [i.model_fields_set for i in items] == [m.model_fields_set for m in models]


_word_text = st.lists(
    st.sampled_from(
        [
            "o", "O", "oh", "zero", "seven", "Seven", "nouă", "dwa", "a", "é", "Ö", "7", " ", "-",
            "_", ".", "\u0301", "K", "\u212a", "ſ", "ß", "x",
        ]
    ),
    max_size=30,
).map("".join)  # fmt: skip


@_settings
@given(_word_text, st.sampled_from(sorted(text_mod._number_words().every)))
def test_word_first_pattern_matches_the_plain_word_pattern(text: str, word: str) -> None:
    letter = text_mod._LETTER
    plain = re.compile(rf"(?<!{letter}){re.escape(word)}(?!{letter})", re.IGNORECASE)
    for sample in (text, f"{text}{word}{text}", f"{word} {text} {word.upper()}"):
        want = [m.span() for m in plain.finditer(sample)]
        assert [m.span() for m in text_mod._word_pattern(word).finditer(sample)] == want


def _find_every(text: str, words: tuple[str, ...], offsets: tuple[int, ...]) -> list[int]:
    out: list[int] = []
    for word in words:
        i = text.find(word)
        while i != -1:
            out.extend(i + k for k in offsets if i + k >= 0)
            i = text.find(word, i + 1)
    return out


@_settings
@given(
    st.lists(
        st.sampled_from(["a", "n", "o", "no", "non", "am", " ", "i", "’", "ă", "."]), max_size=40
    ).map("".join),
    st.lists(
        st.sampled_from(["non", "nonon", "am", "i am", "a", "oo", "i’m", "ă", "a.a"]), max_size=4
    ).map(tuple),
    st.sampled_from([(0,), (-2, -3, -4), (0, -1)]),
)
def test_word_starts_by_regex_match_str_find(
    text: str, words: tuple[str, ...], offsets: tuple[int, ...]
) -> None:
    # Overlapping occurrences ("non" in "nonon") included, as str.find from the next place gives.
    assert word_starts(text, words, offsets) == _find_every(text, words, offsets)


def _span_from_maps(norm: text_mod.Normalised, start: int, end: int) -> tuple[int, int]:
    """What span read from the per-character maps, as it did before the edits were kept."""
    starts, ends = norm.starts, norm.ends
    if starts is None or ends is None:
        return start, end
    if end <= start:
        pos = starts[start] if start < len(starts) else len(norm.original)
        return pos, pos
    return starts[start], ends[end - 1]


_edited_text = st.lists(
    st.sampled_from(
        [
            "0", "7", "O", "o", "I", "l", " ", ".", "-", "a", "x", "£", "é", "²", "½", "\u0301",
            "\u200b", "\xad", "\x00", "\x07", "а", "٣", "➐", "🔟", "7️⃣", "ﬁ", "Ｍ", "oh", "seven",
            "double", "twenty", "one", "nouă", "zero",
        ]
    ),
    max_size=40,
).map("".join)  # fmt: skip


@_settings
@given(_edited_text)
def test_span_through_kept_edits_matches_the_full_maps(text: str) -> None:
    norm = text_mod.normalise(text)
    n = len(norm.text)
    for start in range(n + 1):
        for end in range(max(0, start - 1), n + 1):
            assert norm.span(start, end) == _span_from_maps(norm, start, end)


def test_span_through_kept_edits_cases() -> None:
    for text in ("O7 7OO 9OO l23", "a\u0301\u200b seven double oh", "\x00x\u200b", "½ ﬁ 7️⃣"):
        norm = text_mod.normalise(text)
        assert norm.steps and norm.starts is not None
        n = len(norm.text)
        for start in range(n + 1):
            for end in range(start, n + 1):
                assert norm.span(start, end) == _span_from_maps(norm, start, end)
    plain = text_mod.normalise("07700 900123")
    assert plain.steps == () and plain.starts is None and plain.span(2, 5) == (2, 5)


def test_insertions_and_edits_at_the_end_map_as_the_full_maps_do() -> None:
    # normalise makes no insertions today; the step arithmetic still covers them.
    text = "abcdef"
    batches: list[list[text_mod.Edit]] = [
        [(0, 0, "XY"), (2, 4, ""), (6, 6, "Z")],
        [(0, 2, "q"), (3, 3, "ww"), (5, 6, "")],
    ]
    cur, steps = text, []
    for edits in batches:
        steps.append(text_mod._Step.of(len(cur), edits))
        cur = text_mod._replace(cur, edits)
    norm = text_mod.Normalised(text, cur, tuple(steps))
    for start in range(len(cur) + 1):
        for end in range(start, len(cur) + 1):
            assert norm.span(start, end) == _span_from_maps(norm, start, end)


_WITHOUT_AHEAD = NumberScan(*zip(measures._NUMBERS_READ, measures._NUMBER_CHECKS, strict=True))


_Hit = tuple[tuple[int, int], tuple[str | None, ...]]


def _hits(scan: NumberScan, text: str) -> list[list[_Hit]]:
    return [[(m.span(), m.groups()) for m in found] for found in scan._run(text)]


@_settings
@given(st.one_of(_number_text, _latin1_text))
def test_number_scan_look_ahead_rules_out_only_numbers_nothing_reads(text: str) -> None:
    for t in (text, text.upper()):
        assert _hits(measures._NUMBERS, t) == _hits(_WITHOUT_AHEAD, t)


def test_number_scan_look_ahead_cases() -> None:
    text = "07700 900123, 1.65m, 5'6\", 10am - 2pm, 3 – 4, 1,500 EUR, 20+, 7 d, 9 :"
    assert _hits(measures._NUMBERS, text) == _hits(_WITHOUT_AHEAD, text)
    assert measures._NUMBERS._scan.search("07700 900123, ") is None


_HINT_LISTS = (
    measures._DURATION_HINTS,
    measures._AGE_HINTS,
    measures._CALL_HINTS,
    ("gbp", "eur", "usd", "pln", "ron"),
    tuple(contacts._LINK_PLATFORM),
)


@_settings
@given(
    st.lists(
        st.sampled_from(["o", "r", "or", "gb", "p", " ", "am ", "i’m", "wa.me", "/h", "call", "é"]),
        max_size=30,
    ).map("".join)
)
def test_any_in_is_any_word_in_text(text: str) -> None:
    for words in _HINT_LISTS:
        assert any_in(text, words) == any(w in text for w in words)


def test_any_in_cases() -> None:
    assert any_in("a 1hr rate", measures._DURATION_HINTS)
    assert not any_in("", measures._DURATION_HINTS)
    assert any_in("see instagram.com/x", contacts._LINK_PLATFORM)
    assert not any_in("£100 per visit", ("gbp", "eur", "usd", "pln", "ron"))
    assert any_in("deslocações", measures._CALL_HINTS)


@_settings
@given(st.one_of(_number_text, _latin1_text))
def test_price_signs_found_from_their_places_match_the_scan(text: str) -> None:
    signs = [i for sign in measures._SIGNS for i in measures._occurrences(text, sign)]
    for pattern in (measures._PRICE_SIGN.any, measures._PRICE_SIGN.ascii):
        want = [(m.span(), m.groups()) for m in pattern.finditer(text)]
        assert [(m.span(), m.groups()) for m in finditer_from(pattern, text, signs)] == want


def test_every_price_sign_match_opens_with_a_sign() -> None:
    assert measures._PRICE_SIGN.any.pattern.startswith("([£€$])")
    assert measures._occurrences("£1 £2 $3", "£") == [0, 3]


@pytest.mark.parametrize(
    "text",
    [
        "07700 900123 or 07700 900123",
        "07700 900123, again O7 7OO 9OO 123",
        "O7 7OO 9OO 123 or 07700 900123",
        "0 7 7 0 0 9 0 0 1 2 3 and 07700 900123 and +44 7700 900123",
        "07700 900123. Or 01632 960001. Or 07700 900123",
    ],
)
def test_repeated_phone_keeps_the_first_match_built_whole(text: str) -> None:
    # find_phones builds a match only for a number's first occurrence; building one for every
    # occurrence, as before, must give the same list.
    norm = text_mod.normalise(text)
    want: dict[str, phones.PhoneMatch] = {}
    work, windows = phones._blank_near_candidates(norm.text, norm.latin1)
    for lo, hi in windows:
        for cand in phones._CANDIDATE.pick(norm.latin1).finditer(work, lo, hi):
            num = phones._to_number(cand.group(0), "GB")
            if num is None:
                continue
            s, e = norm.span(cand.start(), cand.end())
            match = phones._match(num, s, e, phones._is_obfuscated(text[s:e]))
            prior = want.get(match.e164)
            if prior is None:
                want[match.e164] = match
            elif match.obfuscated and not prior.obfuscated:
                want[match.e164] = prior.model_copy(update={"obfuscated": True})
    assert phones.find_phones(text, "GB") == list(want.values())


_LATIN1_WORDS = sorted(w for w in text_mod._number_words().every if is_latin1(w))


@_settings
@given(_word_text, st.sampled_from(_LATIN1_WORDS))
def test_lower_word_pattern_matches_the_word_pattern_on_latin1(text: str, word: str) -> None:
    for sample in (text, f"{text}{word}{text}", f"{word.upper()} {text} {word.title()}"):
        lowered = sample.lower()
        if not is_latin1(sample) or len(lowered) != len(sample):
            continue
        want = [
            (m.span(), m.group(0).casefold()) for m in text_mod._word_pattern(word).finditer(sample)
        ]
        got = [
            (m.span(), m.group(0).casefold())
            for m in text_mod._lower_word_pattern(word).finditer(lowered)
        ]
        assert got == want


@_settings
@given(_texts, st.integers(0, 70), st.integers(0, 140))
def test_digitish_run_opening_with_its_character_matches_the_look_behind_form(
    text: str, lo: int, width: int
) -> None:
    letter = text_mod._LETTER
    plain = re.compile(rf"(?<!{letter})[0-9OoIl]+(?:[ .\-]{{1,3}}[0-9OoIl]+)*(?!{letter})")
    for sample in (text, f"x{text}O7", f"0{text}"):
        want = [m.span() for m in plain.finditer(sample, lo, lo + width)]
        assert [m.span() for m in text_mod._DIGITISH_RUN.finditer(sample, lo, lo + width)] == want


_loose_email_text = st.lists(
    st.sampled_from(
        [
            "anna", "x_9", "é", ".", "-", " ", "  ", "\t", " at ", " AT ", "\tat\t", "at", "gmail",
            "GMail", "yahoo", "outlook", "dot", " dot ", "(dot)", " [dot] ", ")", "com", "uk", "7",
            "least", "@", "[at]", "K", "\u212a",
        ]
    ),
    max_size=40,
).map("".join)  # fmt: skip


@_settings
@given(_loose_email_text, st.integers(0, 200))
def test_loose_anchors_skipped_without_a_provider_change_nothing(text: str, pad: int) -> None:
    for sample in (text, " " * pad + text, text + " " * pad + "gmail"):
        fast = contacts.find_emails(sample)
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(contacts, "_loose_anchor_may_hold", lambda _t, _low, _p: True)
            slow = contacts.find_emails(sample)
        assert fast == slow


@pytest.mark.parametrize(
    "text",
    [
        "anna at gmail dot com, book at least 30 minutes",
        "anna at gmail (dot) at ",
        "anna at gmail dot at x",
        "anna at outlooK",
        "anna at " + " " * 151 + "gmailx",
        "anna at " + "g" * 70,
        "book at  at gmail",
    ],
)
def test_loose_anchors_skipped_without_a_provider_cases(text: str) -> None:
    fast = contacts.find_emails(text)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(contacts, "_loose_anchor_may_hold", lambda _t, _low, _p: True)
        slow = contacts.find_emails(text)
    assert fast == slow


def test_call_word_groups_hold_every_call_word_under_its_piece() -> None:
    grouped = [w for _, words in measures._CALL_WORD_GROUPS for w in words]
    assert sorted(grouped) == sorted(measures._CALL_WORDS)
    for piece, words in measures._CALL_WORD_GROUPS:
        assert all(piece in w for w in words)


_call_text = st.lists(
    st.sampled_from(
        [
            "loca", "local", "com local", "local próprio", "deslocações", "deslocacoes", "pla",
            "depla", "deplasări", "deplasari", "desplazamientos", "u mnie", "la mine", "wyjazdy",
            "piso propio", "a domicilio", " ", "x", "call", "é",
        ]
    ),
    max_size=20,
).map("".join)  # fmt: skip


@_settings
@given(_call_text)
def test_call_word_starts_by_group_match_every_word(text: str) -> None:
    want = sorted(set(word_starts(text, measures._CALL_WORDS)))
    assert sorted(set(measures._call_word_starts(text))) == want
    assert sorted(measures._call_word_starts(text)) == sorted(
        word_starts(text, measures._CALL_WORDS)
    )


_untouched_text = st.lists(
    st.sampled_from(
        ["a", " ", "\n", "\t", "\r", "\x00", "\x07", "\x1f", "\x7f", "\x85", "\xa0", "\xad", "é",
         "£", "½", "ª", "²", "а", "\u200b", "\u0301", "7"]
    ),
    max_size=30,
).map("".join)  # fmt: skip


@_settings
@given(_untouched_text)
def test_untouched_means_both_passes_skipped(text: str) -> None:
    stable = text.isascii() or text_mod._stable_latin1(text)
    assert text_mod._untouched(text) == (stable and not text_mod._has_ascii_control(text))


def test_untouched_cases() -> None:
    assert text_mod._untouched("£150 café\n\t\r")
    assert not text_mod._untouched("£150\x00")
    assert not text_mod._untouched("½ hour")
    assert not text_mod._untouched("Привет")


@_settings
@given(_email_text)
def test_blank_ats_match_the_regex(text: str) -> None:
    low = text.lower()
    want = [m.start() for m in re.finditer(r"(?=[ \t]at[ \t])", low)]
    assert contacts._blank_ats(low) == want
    assert contacts._anchors(low, contacts._blank_ats(low)) == contacts._anchors(low)
    if len(low) == len(text):
        shared = contacts._loose_local_starts(text, low, contacts._blank_ats(low))
        assert shared == contacts._loose_local_starts(text, low)


@_settings
@given(_email_text)
def test_anchor_places_from_keywords_match_the_finds(text: str) -> None:
    norm = text_mod.normalise(text)
    low = norm.lower
    blank_ats, anchors = contacts._anchor_places(norm)
    assert blank_ats == contacts._blank_ats(low)
    assert anchors == contacts._anchors(low)


def test_anchor_places_cases() -> None:
    for text in ("x at at y", "x at\tat y", "a@b at c", "a\tat (at) b", "at at", " at  at "):
        norm = text_mod.normalise(text)
        assert contacts._anchor_places(norm) == (
            contacts._blank_ats(norm.lower),
            contacts._anchors(norm.lower),
        )


@_settings
@given(_loose_email_text, st.integers(0, 80))
def test_loose_starts_near_an_anchor_match_every_loose_start(text: str, pad: int) -> None:
    for sample in (text, "x" * pad + text, " " * pad + text):
        low = sample.lower()
        if len(low) != len(sample):
            continue
        blank_ats = contacts._blank_ats(low)
        every = contacts._loose_local_starts(sample, low, blank_ats)
        for p in blank_ats:
            for lo in (max(0, p - 72), max(0, p - 3), 0, p):
                want = [s for s in every if lo <= s <= p]
                assert contacts._loose_starts_near(sample, blank_ats, lo, p) == want


@_settings
@given(_loose_email_text)
def test_one_start_holding_matches_finditer_from(text: str) -> None:
    for s in range(len(text)):
        for pattern in (contacts._EMAIL_LOOSE, contacts._EMAIL):
            for p in (s, s + 3, s + 9):
                want = [
                    m
                    for m in finditer_from(pattern, text, [s], len(text))
                    if m.start() <= p < m.end()
                ]
                got = contacts._holding(text, p, pattern, [s], len(text))
                assert [m.span() for m in got] == [m.span() for m in want]


_HOST_CHARS = "".join(
    c for c in map(chr, range(0x2200)) if re.match(r"[A-Za-z0-9\-]", c, re.IGNORECASE)
)


@_settings
@given(st.text(alphabet=_HOST_CHARS, min_size=1, max_size=8))
def test_has_letter_matches_any_isalpha(run: str) -> None:
    # find_emails asks it about a host run, lower-cased.
    host = run.lower()
    assert contacts._has_letter(host) == any(c.isalpha() for c in host)


@_settings
@given(_email_text)
def test_labels_match_the_split(text: str) -> None:
    for m in contacts._EMAIL_LOOSE.finditer(text):
        tail = m.group(3)
        assert list(contacts._labels(tail)) == [
            p.lower() for p in contacts._DOT_SPLIT.split(tail) if p
        ]
