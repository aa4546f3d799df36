"""One scan for every pattern that opens with the first digit of a number.

Durations, prices written before their unit, ages, weights, heights and hour ranges all open with
a number's first digit. Scanning the text once per pattern makes the regex engine walk an advert
six times; one scan that stops at each number and checks there, for every pattern, what must
follow the first digit walks it once, and a pattern is then matched only where its check passed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import cast

from asw_guard.normalise.digits import DigitPatterns, latin1_twin
from asw_guard.normalise.text import Normalised

# Latin-1 with every digit 0-9 made "0".
_ONE_DIGIT = bytes(ord("0") if 0x30 <= c <= 0x39 else c for c in range(256))


def _without_check(pair: DigitPatterns, checks: tuple[str, ...]) -> re.Pattern[str]:
    """pair.ascii, less a look-ahead from `checks` right after its first digit."""
    source = pair.any.pattern
    for check in checks:
        opening = r"^(\(?\\d(?:\(\?<![^()]*\))?)" + re.escape(f"(?={check})")
        bare = re.sub(opening, r"\1", source, count=1)
        if bare != source:
            return latin1_twin(re.compile(bare, pair.any.flags))
    return pair.ascii


class NumberScan:
    """Patterns whose every match starts at a digit that no digit precedes, found in one scan.

    `finditer(norm, pattern)` returns what `pattern.pick(norm.latin1).finditer(norm.text)`
    yields, leaving out numbers longer than LONGEST characters (no price, age or hour is). On
    text that is not Latin-1, where digits other than 0-9 exist, it is exactly that finditer.
    """

    #: Characters of a number (digits, ".", "," and ":") from its first digit to its end.
    LONGEST = 32

    def __init__(
        self, *patterns: tuple[DigitPatterns, str], ahead: str = "", implied: tuple[str, ...] = ()
    ) -> None:
        """Each pattern comes with what must follow a number for the pattern to match at the
        number's first digit (a necessary condition, written with the pattern's flags), read
        where the number ends: one cheap look-ahead that spares most numbers the full pattern.
        `ahead`, when given, is a condition every one of those implies: checked first, once, it
        spares most numbers all the per-pattern checks. A number ends at the first character
        that is not a digit, ".", "," or ":", and `ahead` must fail where one of those follows
        (as a check that reads on to a letter, a sign or a dash does).

        `implied` are look-aheads that hold wherever the rest of their pattern matches, which
        a pattern makes right after its first digit only to fail sooner where it does not
        match: the scan, which has ruled out most such places already, matches each pattern
        without them."""
        self._index = {id(p): i for i, (p, _) in enumerate(patterns)}
        self._patterns = tuple(_without_check(p, implied) for p, _ in patterns)
        tries: list[str] = []
        for i, (pair, after_number) in enumerate(patterns):
            guard = latin1_twin(re.compile(after_number, pair.any.flags)).pattern
            assert "(?P" not in guard and not pair.ascii.flags & (re.VERBOSE | re.DOTALL)
            if pair.ascii.flags & re.IGNORECASE:
                guard = f"(?i:{guard})"
            # Only the cheap check in the scan: the pattern itself is matched once, by _run,
            # where the check passes. Trying it here as well would match it twice wherever it
            # matches, and the check passes at few numbers where the pattern then fails.
            tries.append(f"(?:(?={guard})(?P<p{i}>)|)")
        # No match object at all for the many numbers that no pattern reads.
        none_matched = "(?!)"
        for i in reversed(range(len(patterns))):
            none_matched = f"(?(p{i})|{none_matched})"
        # At most LONGEST characters of digits, ".", "," and ":" from here to the number's end:
        # without a bound a long run ("1.1.1.…") would be read again from each of its digits,
        # in time quadratic in its length. Past the bound every check fails, since one of
        # those characters follows there. The run is read once, in one look-ahead that the
        # checks then read on from: checks that each read the number from its first digit
        # cost several times as much.
        run = f"[0-9.,:]{{0,{self.LONGEST - 1}}}+"
        end = f"(?={ahead})" if ahead else "(?![0-9.,:])"
        first = f"[0-9](?<![0-9][0-9])(?={run}{end}" + "".join(tries) + ")"
        self._scan = re.compile(first + none_matched)
        # The same scan for text with every digit written as "0": a pattern that opens with a
        # class makes the engine test that class at each character it skips, while one that
        # opens with a literal is skipped to by a plain search, several times faster. The scan
        # reads digits only as [0-9] (the twins' \d), never one digit apart from another.
        source = self._scan.pattern
        # Outside the group names and the counts of repeats, digits appear only as "0-9".
        bare = re.sub(r"0-9|<p[0-9]+>|\(p[0-9]+\)|\{[0-9]*,?[0-9]*\}", "", source)
        assert not re.search("[0-9]", bare), "the scan tells one digit from another"
        one_digit = source.replace("[0-9]", "0").replace("0-9", "0")
        self._scan_one_digit = re.compile(one_digit)
        self._key = f"numbers-{id(self)}"
        # Where each pattern's mark sits in a hit's groups().
        self._slots = tuple(self._scan.groupindex[f"p{i}"] - 1 for i in range(len(patterns)))
        # The patterns a hit's groups() marks, by that tuple: at most one entry per subset of
        # the patterns, and a hit mostly marks one, so looking the few up spares a test of each.
        self._marked: dict[tuple[str | None, ...], tuple[tuple[int, re.Pattern[str]], ...]] = {}

    def _marked_by(self, groups: tuple[str | None, ...]) -> tuple[tuple[int, re.Pattern[str]], ...]:
        marked = tuple(
            (i, p) for i, p in enumerate(self._patterns) if groups[self._slots[i]] is not None
        )
        self._marked[groups] = marked
        return marked

    def _hits(self, text: str) -> Iterator[re.Match[str]]:
        """What self._scan.finditer(text) yields, as far as starts and groups go."""
        try:
            raw = text.encode("latin-1")
        except UnicodeEncodeError:
            return self._scan.finditer(text)
        return self._scan_one_digit.finditer(raw.translate(_ONE_DIGIT).decode("latin-1"))

    def _run(self, text: str) -> list[list[re.Match[str]]]:
        found: list[list[re.Match[str]]] = [[] for _ in self._patterns]
        ends = [0] * len(self._patterns)
        marked_by = self._marked.get
        for hit in self._hits(text):
            start = hit.start()
            groups = hit.groups()
            marked = marked_by(groups)
            if marked is None:
                marked = self._marked_by(groups)
            for i, pattern in marked:
                # What finditer does: the next match is looked for after the last one.
                if start < ends[i]:
                    continue
                m = pattern.match(text, start)
                if m is None:
                    continue
                found[i].append(m)
                ends[i] = m.end()
        return found

    def finditer(self, norm: Normalised, pattern: DigitPatterns) -> list[re.Match[str]]:
        if not norm.latin1:
            return list(pattern.any.finditer(norm.text))
        found = cast("list[list[re.Match[str]]] | None", norm.memo.get(self._key))
        if found is None:
            found = self._run(norm.text)
            norm.memo[self._key] = found
        return found[self._index[id(pattern)]]
