"""find_phones reads each window around a phone-like run on its own and remembers what a window
held; it must find what one pass over the whole blanked text, with one budget, finds."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from asw_guard.normalise import phones
from asw_guard.normalise import text as text_mod
from asw_guard.normalise.models import PhoneMatch

_settings = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _whole_text_reading(text: str, region: str = "GB") -> list[PhoneMatch]:
    """find_phones as one pass over the whole blanked text, a match built for every number."""
    norm = text_mod.normalise(text)
    work, windows = phones._blank_near_candidates(norm.text, norm.latin1)
    budget = 64 + len(work) // 16
    found: dict[str, PhoneMatch] = {}
    pattern = phones._CANDIDATE.pick(norm.latin1)
    for cand in (c for lo, hi in windows for c in pattern.finditer(work, lo, hi)):
        raw = cand.group(0)
        groups = [g.span() for g in phones._GROUP.finditer(raw)]
        i = 0
        while i < len(groups) and budget > 0:
            hit = None
            for j in range(len(groups) - 1, i - 1, -1):
                ndigits = sum(ge - gs for gs, ge in groups[i : j + 1])
                if ndigits > phones._MAX_DIGITS:
                    continue
                if ndigits < phones._MIN_DIGITS:
                    break
                s = 0 if i == 0 else groups[i][0]
                e = groups[j][1]
                if j == len(groups) - 1 and raw.endswith(")"):
                    e = len(raw)
                budget -= 1
                num = phones._to_number(raw[s:e], region)
                if num is not None:
                    hit = (num, cand.start() + s, cand.start() + e, j)
                    break
                if budget <= 0:
                    break
            if hit is None:
                i += 1
                continue
            num, s, e, j = hit
            ostart, oend = norm.span(s, e)
            match = phones._match(num, ostart, oend, phones._is_obfuscated(text[ostart:oend]))
            prior = found.get(match.e164)
            if prior is None:
                found[match.e164] = match
            elif match.obfuscated and not prior.obfuscated:
                found[match.e164] = prior.model_copy(update={"obfuscated": True})
            i = j + 1
    return list(found.values())


_phone_parts = st.lists(
    st.sampled_from(
        [
            "07700 900123", "+44 7700 900123", "O7 7OO 9OO 123", "0 7 7 0 0 9 0 0 1 2 3",
            "01632 960123", "07700 900124", "0044 7700 900125", "+44 (0) 7700 900126",
            "07700-900-127", "020 7946 0000", "1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0",
            "123456789012", "£150", "30min", "21yo", "10am-2am", "11:00-23:00", "24/7",
            "12.05.2024", " ", ", ", " call ", "\n", "x", "ß", "٣", "(", ")", "+", "0", "7",
        ]
    ),
    max_size=30,
).map("".join)  # fmt: skip


@_settings
@given(_phone_parts, st.integers(min_value=0, max_value=3))
def test_windows_read_on_their_own_match_the_whole_text(text: str, soup: int) -> None:
    # Digit soups ahead of the numbers use up the budget, so remembered windows are read again
    # with the budget left.
    sample = "1 2 3 4 5 6 7 8 9 " * 4 * soup + text
    assert phones.find_phones(sample) == _whole_text_reading(sample)


def test_remembered_window_is_read_again_when_the_budget_is_short() -> None:
    line = " call 07700 900123 now "
    assert [m.e164 for m in phones.find_phones(line)] == ["+447700900123"]
    soup = "1 2 3 4 5 6 7 8 9 " * 30
    for text in (soup + line, line + soup + line):
        assert phones.find_phones(text) == _whole_text_reading(text)
    assert phones.find_phones(soup + line) == []


def test_repeated_number_keeps_its_first_span_and_gains_the_obfuscated_flag() -> None:
    text = "07700 900123 or O7 7OO 9OO 123 or 07700 900123"
    found = phones.find_phones(text)
    assert found == _whole_text_reading(text)
    assert [(m.start, m.end, m.obfuscated) for m in found] == [(0, 12, True)]
