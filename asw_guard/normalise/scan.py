"""Regex scans that start only where a match can start.

A pattern that opens with one of a few words still makes the regex engine try a match at every
letter of the text. Finding the words with str.find and matching only there gives the same
matches for much less work.
"""

from __future__ import annotations

import itertools
import re
import threading
from collections import defaultdict
from collections.abc import Callable, Iterable
from functools import cache
from typing import TYPE_CHECKING, cast

import ahocorasick_rs

from asw_guard.normalise.digits import is_latin1

if TYPE_CHECKING:
    from asw_guard.normalise.text import Normalised


def finditer_from(
    pattern: re.Pattern[str], text: str, starts: Iterable[int], endpos: int | None = None
) -> list[re.Match[str]]:
    """What pattern.finditer(text) yields, given every position a match can start at (a
    superset is fine). For patterns that open with one of a few words, finding those words with
    str.find and matching there is much cheaper than a scan that tries every letter. The pattern
    must not match the empty string. With endpos, the text is read as if it ended there, as
    finditer's endpos does. A list rather than a generator: every caller reads all of it, and
    resuming a generator for each match costs more than the list."""
    out: list[re.Match[str]] = []
    if not starts:
        return out
    end = 0
    stop = len(text) if endpos is None else endpos
    match = pattern.match
    for s in sorted(set(starts)):
        if s < end:
            continue
        m = match(text, s, stop)
        if m is not None:
            end = m.end()
            out.append(m)
    return out


@cache
def _literal(word: str) -> re.Pattern[str]:
    return re.compile(re.escape(word))


_Search = Callable[[str, int], "re.Match[str] | None"]
# The bound search of each word of each word list, by list: callers pass the same few lists for
# every advert, and looking a list up once costs less than looking up each of its words.
_SEARCHES: dict[tuple[str, ...], tuple[_Search, ...]] = {}


def _searches(words: tuple[str, ...]) -> tuple[_Search, ...]:
    found = _SEARCHES.get(words)
    if found is None:
        found = tuple(_literal(word).search for word in words)
        if len(_SEARCHES) < 1024:
            _SEARCHES[words] = found
    return found


def any_in(text: str, words: Iterable[str]) -> bool:
    """`any(word in text for word in words)`, with the regex engine's literal search, which runs
    as fast as `in` or faster (see word_starts): these checks mostly fail, and so read the whole
    text once per word."""
    for search in _searches(words if isinstance(words, tuple) else tuple(words)):
        if search(text, 0) is not None:
            return True
    return False


def word_starts(text: str, words: Iterable[str], offsets: Iterable[int] = (0,)) -> list[int]:
    """Every position of every word in text (overlaps included), each shifted by each offset;
    positions that fall before the text are dropped."""
    out: list[int] = []
    shifts = tuple(offsets)
    plain = shifts == (0,)
    # The regex engine's search for a literal runs as fast as str.find or faster: about a third
    # faster on a short needle.
    for search in _searches(words if isinstance(words, tuple) else tuple(words)):
        m = search(text, 0)
        while m is not None:
            i = m.start()
            if plain:
                out.append(i)
            else:
                out.extend(i + k for k in shifts if i + k >= 0)
            m = search(text, i + 1)
    return out


_GENERATION = itertools.count()


class _KeywordSet:
    """One automaton over every word of the word lists asked about so far."""

    __slots__ = ("key", "latin1", "latin1_words", "lists", "seen", "unicode", "words")

    def __init__(self, lists: frozenset[tuple[str, ...]]) -> None:
        self.lists = lists
        # The list objects already found in `lists`, by id: callers pass the same few constant
        # tuples for every advert, and hashing a tuple of forty words to find it in `lists`
        # costs more than the look-up by id. Each is held, so its id is not given to another.
        self.seen: dict[int, tuple[str, ...]] = {}
        self.words = tuple(sorted({w for words in lists for w in words}))
        if "" in self.words:
            raise ValueError("an empty word is in every text")
        # Adverts are nearly all Latin-1, where a character is a byte: the bytes automaton
        # reads the encoded text at half the cost of the one over str, and its offsets are the
        # text's. A word with a character beyond Latin-1 cannot occur in such a text.
        self.latin1_words = tuple(w for w in self.words if is_latin1(w))
        # A DFA: built once per set of lists, it is the quickest to run of the three kinds.
        dfa = ahocorasick_rs.Implementation.DFA
        self.unicode: ahocorasick_rs.AhoCorasick | None = None
        self.latin1: ahocorasick_rs.BytesAhoCorasick | None = None
        if self.words:
            self.unicode = ahocorasick_rs.AhoCorasick(self.words, implementation=dfa)
        if self.latin1_words:
            self.latin1 = ahocorasick_rs.BytesAhoCorasick(
                [w.encode("latin-1") for w in self.latin1_words], implementation=dfa
            )
        # Where a text's places are kept in its memo; a new key for each set of words, since
        # places found with fewer words say nothing of the rest.
        self.key = f"keywords-{next(_GENERATION)}"

    def matches(self, text: str) -> tuple[tuple[str, ...], list[tuple[int, int, int]]]:
        """Every occurrence of every word in text (overlaps included), as (index into the
        returned words, start, end)."""
        try:
            raw = text.encode("latin-1")
        except UnicodeEncodeError:
            if self.unicode is None:
                return self.words, []
            return self.words, self.unicode.find_matches_as_indexes(text, overlapping=True)
        if self.latin1 is None:
            return self.latin1_words, []
        return self.latin1_words, self.latin1.find_matches_as_indexes(raw, overlapping=True)


class Keywords:
    """`any_in` and `word_starts` on a normalised text's lower case, for every word list an
    extractor looks for, answered from one pass of an Aho-Corasick automaton over the text.

    Each literal search reads the whole text (most of these words are absent, or the list needs
    every place of each): some forty of them cost several times what one pass for all of their
    words does. The automaton grows with each new word list it is asked about, so every list is
    answered exactly, whatever set of lists came before it.
    """

    def __init__(self) -> None:
        self._set = _KeywordSet(frozenset())
        self._lock = threading.Lock()

    def _set_for(self, words: tuple[str, ...]) -> _KeywordSet:
        found = self._set
        if found.seen.get(id(words)) is words:
            return found
        if words in found.lists:
            if len(found.seen) < 1024:
                found.seen[id(words)] = words
            return found
        with self._lock:
            found = self._set
            if words not in found.lists:
                found = _KeywordSet(found.lists | {words})
                self._set = found
        return found

    def places(self, norm: Normalised, words: tuple[str, ...]) -> dict[str, list[int]]:
        """Every place (overlaps included, ascending) of each word found in norm.lower, for
        every word of `words` and maybe others; a word not found has no entry."""
        kset = self._set_for(words)
        found = cast("dict[str, list[int]] | None", norm.memo.get(kset.key))
        if found is None:
            found = defaultdict(list)
            words, matches = kset.matches(norm.lower)
            for i, start, _ in matches:
                found[words[i]].append(start)
            norm.memo[kset.key] = found
        return found

    def any_in(self, norm: Normalised, words: tuple[str, ...]) -> bool:
        """any_in(norm.lower, words)."""
        found = self.places(norm, words)
        return any(w in found for w in words)

    def starts(self, norm: Normalised, words: tuple[str, ...]) -> list[int]:
        """word_starts(norm.lower, words), in the same order."""
        found = self.places(norm, words)
        out: list[int] = []
        for w in words:
            places = found.get(w)
            if places is not None:
                out += places
        return out


#: The one set of keywords every extractor shares, so an advert is read once for all of them.
KEYWORDS = Keywords()
