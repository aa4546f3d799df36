"""Cheaper twins of the extractors' patterns, exact on Latin-1 text.

For a str pattern the regex engine tests `\\d` with a Unicode table look-up at every position it
skips, and under IGNORECASE it folds the case of every character it compares; both make scans
cost far more than they need to on ordinary adverts. On Latin-1 text, whose only decimal digits
are 0-9 and whose letters' other cases are Latin-1 too, `[0-9]` matches what `\\d` does and
`[kK]` what an ignore-case "k" does, so extractors pick the twin when `is_latin1` says they may.
"""

from __future__ import annotations

import re


def is_latin1(text: str) -> bool:
    """True when text encodes as Latin-1: far cheaper to learn than by a scan."""
    try:
        text.encode("latin-1")
    except UnicodeEncodeError:
        return False
    return True


def _other_case(c: str) -> str | None:
    """The other case of a Latin-1 letter when that is one Latin-1 character too."""
    other = c.swapcase()
    if other == c or len(other) != 1 or ord(c) > 0xFF or ord(other) > 0xFF:
        return None
    return other


def _rewrite(source: str, fold_case: bool) -> str | None:
    """\\d as 0-9 and, with fold_case, every letter as a class of both its cases. None when the
    source uses syntax this does not read (named groups, inline flags): the caller keeps the
    ignore-case flag then."""
    if fold_case and ("(?P" in source or re.search(r"\(\?[a-zA-Z]", source)):
        return None
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
            continue
        other = _other_case(c) if fold_case else None
        if in_class and source[i + 1 : i + 2] == "-" and source[i + 2 : i + 3] not in ("", "]"):
            # A range: add the same range in the other case when both ends have one.
            last = source[i + 2]
            last_other = _other_case(last) if fold_case else None
            out.append(source[i : i + 3])
            if other is not None and last_other is not None:
                out.append(f"{other}-{last_other}")
            elif other is not None or last_other is not None:
                return None
            i += 3
            continue
        if other is None:
            out.append(c)
        elif in_class:
            out.append(c + other)
        else:
            out.append(f"[{c}{other}]")
        i += 1
    return "".join(out)


def latin1_twin(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """A pattern that matches what `pattern` does on Latin-1 text, with \\d as 0-9 and, unless
    the pattern is verbose, the ignore-case flag replaced by letters written in both cases."""
    fold = bool(pattern.flags & re.IGNORECASE) and not pattern.flags & re.VERBOSE
    source = _rewrite(pattern.pattern, fold) if fold else None
    if source is not None:
        return re.compile(source, pattern.flags & ~re.IGNORECASE)
    plain = _rewrite(pattern.pattern, False)
    assert plain is not None
    return re.compile(plain, pattern.flags)


class DigitPatterns:
    """A pattern and its Latin-1 twin; `pick` returns the one to use on a given text."""

    __slots__ = ("any", "ascii")

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.any = pattern
        self.ascii = latin1_twin(pattern)

    def pick(self, latin1: bool) -> re.Pattern[str]:
        return self.ascii if latin1 else self.any
