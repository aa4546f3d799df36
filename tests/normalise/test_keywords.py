"""The one-pass keyword index, checked against the literal searches it stands in for."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from asw_guard.normalise import contacts, measures
from asw_guard.normalise.scan import KEYWORDS, Keywords, any_in, word_starts
from asw_guard.normalise.text import normalise

_settings = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])

_LISTS = (
    measures._AGE_HINTS,
    measures._AGE_BEFORE_WORDS,
    measures._AVAIL_WORDS,
    measures._CALL_WORDS,
    measures._CALL,
    measures._CALL_HINTS,
    measures._CURRENCY_CODES,
    measures._DURATION_HINTS,
    contacts._PLATFORM_STARTS,
    contacts._LINK_HOSTS,
)
_PIECES = sorted({w for words in _LISTS for w in words} | {"i", "’", "ă", "😀", "İ", "\x00"})

_text = st.one_of(
    st.lists(st.sampled_from([*_PIECES, " ", "a", "m", "Call", "WA", "x"]), max_size=30).map(
        "".join
    ),
    st.text(max_size=60),
)


@_settings
@given(_text)
def test_keywords_answer_as_literal_searches_do(text: str) -> None:
    norm = normalise(text)
    low = norm.lower
    for words in _LISTS:
        assert KEYWORDS.starts(norm, words) == word_starts(low, words)
        assert KEYWORDS.any_in(norm, words) == any_in(low, words)


@_settings
@given(_text, st.permutations(_LISTS))
def test_keywords_answer_whatever_lists_came_first(text: str, lists: list[tuple[str, ...]]) -> None:
    # A fresh index grows with each list: answers found before it grew must not be reused.
    index = Keywords()
    norm = normalise(text)
    for words in lists:
        assert index.starts(norm, words) == word_starts(norm.lower, words)
        assert index.any_in(norm, words) == any_in(norm.lower, words)


def test_keywords_cases() -> None:
    norm = normalise("Incall only, WhatsApp or snap; calls 24/7, I'm 23, am i am")
    assert KEYWORDS.starts(norm, ("call",)) == [2, 31]
    assert KEYWORDS.starts(norm, ("am", "i am")) == [51, 56, 54]
    assert KEYWORDS.any_in(norm, measures._CALL_HINTS)
    assert not KEYWORDS.any_in(norm, measures._CURRENCY_CODES)
    assert KEYWORDS.starts(normalise(""), contacts._PLATFORM_STARTS) == []


@_settings
@given(st.text(alphabet=st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF), max_size=8))
def test_keywords_read_text_with_lone_surrogates(junk: str) -> None:
    # The automaton reads UTF-8 or Latin-1, which a lone surrogate is neither of: normalising
    # drops them, so the advert's keywords are still found.
    norm = normalise(f"{junk}Incall ă {junk}i am 23")
    assert KEYWORDS.starts(norm, ("call",)) == word_starts(norm.lower, ("call",)) != []
    assert KEYWORDS.any_in(norm, measures._AGE_HINTS)
