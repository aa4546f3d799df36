"""Numbers that are not phone numbers: dates, times, prices, measurements, postcodes.

They are blanked (same length, so offsets hold) before phone candidates are looked for, so that
"£150 1hr 07700 900123" or "12.05.2024 10:00" is not read as one long number.
"""

from __future__ import annotations

import re
from functools import lru_cache

from asw_guard.normalise.digits import DigitPatterns
from asw_guard.normalise.scan import finditer_from

# Every alternative starts with a digit, a currency sign or a postcode's letters: the look-ahead
# says so once, so the engine rejects a position there instead of trying each alternative.
_NOT_PHONE = DigitPatterns(
    re.compile(
        r"""
    (?=[\d£€$]|\b[A-Z]{1,2}\d)
    (?:
    (?<![\d])\d{1,2}([./-])\d{1,2}\1(?:\d{4}|\d{2})(?!\d)             # dates
    | (?<![\d])\d{4}-\d{2}-\d{2}(?!\d)                                # ISO dates
    | (?<![\d])\d{1,2}:\d{2}(?::\d{2})?(?!\d)                         # times
    | (?<![\d.])\d{1,2}(?:\.\d{2})?\s?(?:am|pm)\b                     # 10pm, 9.30am
    | (?<![\d])24\s?/\s?7(?!\d)                                       # 24/7
    | [£€$]\s?(?!0\d)\d{1,6}(?:[.,]\d{1,3})*                          # £150, not "£ 07700"
    | (?<![\d])(?<!\d[ .\-])\d{1,6}(?:[.,]\d{1,3})?[£€$]             # 150€, not a number's tail
    | (?<![\d])(?<!\d[ .\-])\d{1,6}(?:[.,]\d{1,3})?\s?
      (?:gbp|eur|usd|quid|pounds?|euros?|roses|kisses|lei|ron|pln|zł|zl|dollars?)\b
    | (?<![\d])(?<!\d[ .\-])\d{1,4}(?:[.,]\d{1,2})?\s?                # not a number's tail
      (?:cm|mm|kgs?|kilos?|lbs?|stone|ft|feet|foot|inch|inches|yo|y\.o\.?|yrs?|years?|
         mins?|minutes?|hrs?|hours?|days?|nights?|weeks?|ani|anos|años|lat|miles?|km)\b
    | (?<![\d])(?<!\d[ .\-])\d{1,2}h\b                                             # 1h
    | (?<![\d])\d{1,2}\s?st\s?\d{1,2}\b                               # 7st 8
    | (?<![\d])\d\s?'\s?\d{1,2}(?:\s?(?:"|''))?                        # 5'6"
    | (?<![\d])[1-2][.,]\d{2}\s?m\b                                   # 1.65m
    | (?<![\d])\d{2}[A-Za-z]{0,3}\s?-\s?\d{2}\s?-\s?\d{2}(?!\d)       # 34DD-24-36
    | \b[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}\b                           # UK postcodes
    )
    """,
        re.IGNORECASE | re.VERBOSE,
    )
)

BLANK = "\x00"

# On Latin-1 text every _NOT_PHONE match starts at a currency sign, at one or two ASCII letters
# right before a digit (a postcode), or at a run of at most six digits that a character some
# alternative reads after its digits follows. Each alternative opening with digits takes the
# whole run (what it reads next is never a digit), and then needs a "." or "," before a digit,
# one blank before a letter or a sign, or some other character. Most digits near a phone number
# are its own groups ("07700 900123,"), ruled out so: trying the pattern at each of them costs
# far more than these checks.
_RUN_OR_SIGN = re.compile(r"[0-9]+|[£€$]")
_ASCII_LETTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
_DIGITS = frozenset("0123456789")


def _latin1_starts(text: str) -> list[int]:
    """Every place a _NOT_PHONE match can start in Latin-1 text, and maybe a few more."""
    out: list[int] = []
    n = len(text)
    for m in _RUN_OR_SIGN.finditer(text):
        p, e = m.span()
        if text[p] not in _DIGITS:
            out.append(p)
            continue
        if p >= 1 and text[p - 1] in _ASCII_LETTERS:
            out.append(p - 1)
            if p >= 2 and text[p - 2] in _ASCII_LETTERS:
                out.append(p - 2)
        if e - p > 6 or e >= n:
            continue
        after, then = text[e], text[e + 1 : e + 2]
        if after in ".,":
            if then in _DIGITS:
                out.append(p)
        elif after.isspace():
            if then and then not in _DIGITS and not then.isspace():
                out.append(p)
        else:
            out.append(p)
    return out


# An advert often repeats its contact line, and so the window read around its phone number. Kept
# small: it is for repeats close together, not a store of every advert seen.
@lru_cache(maxsize=256)
def blank_non_phones(text: str, latin1: bool = False) -> str:
    """The text with every non-phone number replaced by NULs of the same length. `latin1` says
    the text encodes as Latin-1, which allows the cheaper scan."""
    parts: list[str] = []
    pos = 0
    pattern = _NOT_PHONE.pick(latin1)
    found = finditer_from(pattern, text, _latin1_starts(text)) if latin1 else pattern.finditer(text)
    for m in found:
        parts.append(text[pos : m.start()])
        parts.append(BLANK * (m.end() - m.start()))
        pos = m.end()
    if not parts:
        return text
    parts.append(text[pos:])
    return "".join(parts)
