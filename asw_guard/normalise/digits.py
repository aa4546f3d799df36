"""Patterns with `\\d` read as `[0-9]`, for text that holds no digit outside ASCII.

For a str pattern the regex engine tests `\\d` with a Unicode table look-up at every position it
skips, which makes scans for numbers cost about twice what a `[0-9]` range costs. On text whose
only decimal digits are ASCII the two match exactly the same, so extractors pick the cheaper
twin when `has_only_ascii_digits` says they may.
"""

from __future__ import annotations

import re

# A decimal digit that is not ASCII (Arabic-Indic, Devanagari, fullwidth...).
_NON_ASCII_DIGIT = re.compile(r"(?![0-9])\d")


def has_only_ascii_digits(text: str) -> bool:
    """True when every decimal digit in text is 0-9. Latin-1 holds no other decimal digit, and
    encoding to it is far cheaper than a scan."""
    try:
        text.encode("latin-1")
    except UnicodeEncodeError:
        return _NON_ASCII_DIGIT.search(text) is None
    return True


def _rewrite(source: str) -> str:
    out: list[str] = []
    i, in_class = 0, False
    while i < len(source):
        c = source[i]
        if c == "\\" and i + 1 < len(source):
            pair = source[i : i + 2]
            if pair == "\\d":
                out.append("0-9" if in_class else "[0-9]")
            else:
                out.append(pair)
            i += 2
            continue
        if not in_class and c == "[":
            in_class = True
            out.append(c)
            i += 1
            # A "]" first in a class (after an optional "^") is a literal, not its end.
            if source[i : i + 1] == "^":
                out.append("^")
                i += 1
            if source[i : i + 1] == "]":
                out.append("]")
                i += 1
            continue
        if in_class and c == "]":
            in_class = False
        out.append(c)
        i += 1
    return "".join(out)


def ascii_digits(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """The same pattern and flags with every `\\d` written as the range 0-9."""
    return re.compile(_rewrite(pattern.pattern), pattern.flags)


class DigitPatterns:
    """A pattern and its ASCII-digit twin; `pick` returns the one to use on a given text."""

    __slots__ = ("any", "ascii")

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.any = pattern
        self.ascii = ascii_digits(pattern)

    def pick(self, only_ascii_digits: bool) -> re.Pattern[str]:
        return self.ascii if only_ascii_digits else self.any
