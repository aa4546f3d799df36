"""Regex scans that start only where a match can start.

A pattern that opens with one of a few words still makes the regex engine try a match at every
letter of the text. Finding the words with str.find and matching only there gives the same
matches for much less work.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import cache


def finditer_from(
    pattern: re.Pattern[str], text: str, starts: Iterable[int], endpos: int | None = None
) -> Iterator[re.Match[str]]:
    """What pattern.finditer(text) yields, given every position a match can start at (a
    superset is fine). For patterns that open with one of a few words, finding those words with
    str.find and matching there is much cheaper than a scan that tries every letter. The pattern
    must not match the empty string. With endpos, the text is read as if it ended there, as
    finditer's endpos does."""
    end = 0
    stop = len(text) if endpos is None else endpos
    for s in sorted(set(starts)):
        if s < end:
            continue
        m = pattern.match(text, s, stop)
        if m is not None:
            end = m.end()
            yield m


@cache
def _literal(word: str) -> re.Pattern[str]:
    return re.compile(re.escape(word))


def any_in(text: str, words: Iterable[str]) -> bool:
    """`any(word in text for word in words)`, with the regex engine's literal search for short
    words, which runs faster than `in` (see word_starts): these checks mostly fail, and so read
    the whole text once per word."""
    for word in words:
        if len(word) <= 5:
            if _literal(word).search(text) is not None:
                return True
        elif word in text:
            return True
    return False


def word_starts(text: str, words: Iterable[str], offsets: Iterable[int] = (0,)) -> list[int]:
    """Every position of every word in text (overlaps included), each shifted by each offset;
    positions that fall before the text are dropped."""
    out: list[int] = []
    shifts = tuple(offsets)
    find = text.find
    for word in words:
        # The regex engine's search for a short literal runs about a third faster than
        # str.find on a short needle; for longer words str.find is as fast or faster.
        if len(word) <= 5:
            search = _literal(word).search
            m = search(text)
            while m is not None:
                i = m.start()
                if shifts == (0,):
                    out.append(i)
                else:
                    out.extend(i + k for k in shifts if i + k >= 0)
                m = search(text, i + 1)
            continue
        i = find(word)
        while i != -1:
            if shifts == (0,):
                out.append(i)
            else:
                out.extend(i + k for k in shifts if i + k >= 0)
            i = find(word, i + 1)
    return out
