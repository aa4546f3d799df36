"""Phone numbers in free text and fields, normalised to E.164 with `phonenumbers`.

Candidates are read from normalised text (so spelled and letter-for-digit numbers are digits by
then) after dates, prices and measurements are blanked. A candidate that does not parse whole is
tried as shorter windows of its digit groups, so "07700 900123 / 07700 900124" yields two numbers.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache, lru_cache
from typing import Any

import phonenumbers
from phonenumbers import PhoneNumberType
from phonenumbers.phonenumberutil import _number_type_helper

from asw_guard.normalise.digits import DigitPatterns
from asw_guard.normalise.masks import BLANK, blank_non_phones
from asw_guard.normalise.models import PhoneKind, PhoneMatch, trusted_all
from asw_guard.normalise.text import Normalised, normalise

# Starts with a character class (so the engine skips ahead to it) and checks what precedes it
# afterwards; bounded repetition keeps it linear.
_CANDIDATE = DigitPatterns(
    re.compile(r"[+(\d](?<![\w+][+(\d])[\d \t().\-/*_~|]{6,42}(?<=\d)(?!\w)")
)
# Latin-1 text as "p" for each character _CANDIDATE can match ("+", "(" and its body's) and " "
# for any other. Every match lies inside a run of seven or more "p": the pattern reads no other
# character and a match is at least seven long. A scan that opens with a class tests that class
# at every character it skips; bytes.find goes to the runs several times faster, and ordinary
# adverts have one or two.
_PHONE_CHARS = frozenset("+(0123456789 \t().-/*_~|")
_PHONE_CLASS = bytes(ord("p") if chr(c) in _PHONE_CHARS else ord(" ") for c in range(256))
_PHONE_RUN = b"ppppppp"
_GROUP = re.compile(r"\d+")
_TRUNK_IN_BRACKETS = re.compile(r"^\+\s?(\d{1,3})\s?\(0\)")
# Written the way people write numbers: digit groups with one space, hyphen, dot or brackets.
_PLAIN_CHARS = frozenset("0123456789 +-.()")

_KIND: dict[int, PhoneKind] = {
    PhoneNumberType.MOBILE: "mobile",
    PhoneNumberType.FIXED_LINE: "fixed",
    PhoneNumberType.FIXED_LINE_OR_MOBILE: "mobile",
    PhoneNumberType.VOIP: "voip",
    PhoneNumberType.PREMIUM_RATE: "premium",
    PhoneNumberType.PERSONAL_NUMBER: "personal",
    PhoneNumberType.TOLL_FREE: "toll_free",
    PhoneNumberType.PAGER: "pager",
}

_MIN_DIGITS, _MAX_DIGITS = 8, 15


@cache
def _region_prefixes(region: str) -> tuple[str | None, str]:
    meta = phonenumbers.PhoneMetadata.metadata_for_region(region.upper(), None)
    if meta is None:
        return "0", ""
    return meta.national_prefix, str(meta.country_code or "")


@lru_cache(maxsize=8192)
def _to_number(raw: str, region: str) -> phonenumbers.PhoneNumber | None:
    """Digits (with their + or trunk prefix) to a possible number, or None."""
    has_plus = raw.lstrip().startswith("+")
    trunk_bracket = _TRUNK_IN_BRACKETS.match(raw.strip())
    digits = "".join(_GROUP.findall(raw))
    if trunk_bracket is not None:
        cc = trunk_bracket.group(1)
        digits = cc + digits[len(cc) + 1 :]
    if not _MIN_DIGITS <= len(digits) <= _MAX_DIGITS:
        return None
    national_prefix, country_code = _region_prefixes(region)
    if has_plus:
        candidate = "+" + digits
    elif digits.startswith("00"):
        candidate = "+" + digits[2:]
    elif national_prefix and digits.startswith(national_prefix):
        candidate = digits
    elif country_code and digits.startswith(country_code) and len(digits) >= 11:
        candidate = "+" + digits
    elif not national_prefix:
        candidate = digits
    else:
        # Without a trunk or country prefix a digit run is far more often a price list or an id.
        return None
    return _parse(candidate, region)


@lru_cache(maxsize=8192)
def _parse(candidate: str, region: str) -> phonenumbers.PhoneNumber | None:
    """A possible number from its digits and prefix. Remembered apart from the text it was read
    from: one number is written with many spacings ("07700 900123", "0 7 7 0 0 …")."""
    try:
        num = phonenumbers.parse(candidate, region.upper())
    except phonenumbers.NumberParseException:
        return None
    reason = phonenumbers.is_possible_number_with_reason(num)
    if reason != phonenumbers.ValidationResult.IS_POSSIBLE:
        return None
    # Short unallocated numbers are mostly fragments ("0800 0800", "07700 900"): only a number
    # of full length is kept when it is not valid.
    if len(str(num.national_number)) < 9 and not phonenumbers.is_valid_number(num):
        return None
    return num


def _guess_kind(num: phonenumbers.PhoneNumber) -> PhoneKind:
    """A kind for a possible but unallocated number, from its leading digits."""
    national = str(num.national_number)
    if num.country_code == 44:
        if national.startswith("70"):
            return "personal"
        if national.startswith("7"):
            return "mobile"
        if national[:1] in ("1", "2"):
            return "fixed"
        if national.startswith("9"):
            return "premium"
        if national.startswith("56"):
            return "voip"
    return "other"


def _is_obfuscated(original: str) -> bool:
    """Spelled digits, letters for digits, other scripts, or digits split one by one."""
    # issuperset reads the characters in C, where a generator resumes a frame for each one.
    if not _PLAIN_CHARS.issuperset(original):
        return True
    groups = _GROUP.findall(original)
    # Two groups or fewer cannot hold three single digits: most numbers stop here.
    if len(groups) < 3:
        return False
    return len(groups) > 5 or sum(len(g) == 1 for g in groups) >= 3


@lru_cache(maxsize=8192)
def _describe(country_code: int, national_number: int) -> tuple[str, str | None, PhoneKind, bool]:
    """(E.164, region, kind, valid). The metadata look-ups dominate the cost of a number, and
    a marketplace sees the same numbers again and again, so answers are remembered."""
    num = phonenumbers.PhoneNumber(country_code=country_code, national_number=national_number)
    # What phonenumbers.number_type does, keeping the region it looks up on the way: that search
    # through the regions of the code is the costly half, and the region is wanted too.
    found_region = phonenumbers.region_code_for_number(num)
    metadata = (
        None
        if found_region is None
        else phonenumbers.PhoneMetadata.metadata_for_region_or_calling_code(
            country_code, found_region
        )
    )
    number_type = (
        PhoneNumberType.UNKNOWN
        if metadata is None
        else _number_type_helper(phonenumbers.national_significant_number(num), metadata)
    )
    # number_type is UNKNOWN exactly when no range of any region of the code holds the number.
    valid = number_type != PhoneNumberType.UNKNOWN
    kind = _KIND.get(number_type, "other") if valid else _guess_kind(num)
    e164 = phonenumbers.format_number(num, phonenumbers.PhoneNumberFormat.E164)
    # An invalid number matches no region's ranges; asking again would repeat the failed search.
    if not valid:
        region = _main_region(country_code)
    elif found_region and found_region != "ZZ":
        region = str(found_region)
    else:
        region = _main_region(country_code)
    return e164, region, kind, valid


def _main_region(country_code: int) -> str | None:
    region: str = phonenumbers.region_code_for_country_code(country_code)
    return None if region == "ZZ" else region


def _fields(
    num: phonenumbers.PhoneNumber, start: int, end: int, obfuscated: bool
) -> dict[str, Any]:
    """A PhoneMatch's fields in its order, each of the type the model gives it."""
    e164, region, kind, valid = _describe(num.country_code, num.national_number)
    return {
        "start": start,
        "end": end,
        "e164": e164,
        "region": region,
        "kind": kind,
        "valid": valid,
        "obfuscated": obfuscated,
    }


def _match(num: phonenumbers.PhoneNumber, start: int, end: int, obfuscated: bool) -> PhoneMatch:
    return PhoneMatch.model_validate(_fields(num, start, end, obfuscated))


def parse_phone(raw: str, region: str = "GB", start: int = 0) -> PhoneMatch | None:
    """One phone number from a field, or None when it is not one. Accepts obfuscated forms."""
    try:
        norm = normalise(raw)
        num = _to_number(norm.text, region)
    except Exception:  # a field must never break the posting path
        return None
    if num is None:
        found = find_phones(raw, region)
        if len(found) != 1:
            return None
        return found[0].model_copy(update={"start": start, "end": start + len(raw)})
    return _match(num, start, start + len(raw), _is_obfuscated(raw.strip()))


def _candidates(text: str, latin1: bool) -> Iterator[re.Match[str]]:
    """What _CANDIDATE.pick(latin1).finditer(text) yields. No match crosses the end of a run of
    the characters it is made of, so on Latin-1 text each run is scanned on its own; the
    character after a run stays in reach for the look-ahead, and none before it is hidden from
    the look-behind."""
    pattern = _CANDIDATE.pick(latin1)
    try:
        raw = text.encode("latin-1")
    except UnicodeEncodeError:
        yield from pattern.finditer(text)
        return
    classes = raw.translate(_PHONE_CLASS)
    start = classes.find(_PHONE_RUN)
    while start != -1:
        end = classes.find(b" ", start)
        if end == -1:
            end = len(classes)
        yield from pattern.finditer(text, start, end + 1)
        start = classes.find(_PHONE_RUN, end)


def _windows(text: str, latin1: bool) -> list[tuple[int, int]]:
    """The stretches around phone-like runs, merged where they meet: outside them no number is
    blanked or read."""
    windows: list[tuple[int, int]] = []
    n = len(text)
    for cand in _candidates(text, latin1):
        s, e = cand.span()
        s, e = max(0, s - 24), min(n, e + 24)
        if windows and s <= windows[-1][1]:
            windows[-1] = (windows[-1][0], e)
        else:
            windows.append((s, e))
    return windows


def _blank_near_candidates(text: str, latin1: bool = False) -> tuple[str, list[tuple[int, int]]]:
    """Blank non-phone numbers only around phone-like runs: blanking the whole text is costly.
    Returns the blanked text and the windows outside which it is all blank. find_phones reads
    each window on its own instead, which finds the same candidates: the character before a
    window is blank or none, and neither is one _CANDIDATE's look-behind refuses."""
    windows = _windows(text, latin1)
    if not windows:
        return "", []
    parts: list[str] = []
    pos = 0
    for s, e in windows:
        parts.append(BLANK * (s - pos))
        parts.append(blank_non_phones(text[s:e], latin1))
        pos = e
    parts.append(BLANK * (len(text) - pos))
    return "".join(parts), windows


# (start, end, E.164, region, kind, valid) of a number read in a window, offsets in the window.
_Hit = tuple[int, int, str, "str | None", PhoneKind, bool]


def _read_window(work: str, latin1: bool, region: str, budget: int) -> tuple[tuple[_Hit, ...], int]:
    """The numbers in a blanked window, at most `budget` parse attempts, and how many it made.
    A candidate that does not parse whole is tried as shorter windows of its digit groups."""
    used = 0
    hits: list[_Hit] = []
    for cand in _CANDIDATE.pick(latin1).finditer(work):
        raw = cand.group(0)
        groups = [g.span() for g in _GROUP.finditer(raw)]
        # Digits in the groups before each group: the digits of any window of groups by one
        # subtraction instead of a sum over the window for every window tried.
        before = [0]
        for gs, ge in groups:
            before.append(before[-1] + ge - gs)
        base = cand.start()
        i = 0
        while i < len(groups) and used < budget:
            hit = None
            for j in range(len(groups) - 1, i - 1, -1):
                ndigits = before[j + 1] - before[i]
                if ndigits > _MAX_DIGITS:
                    continue
                if ndigits < _MIN_DIGITS:
                    break
                s = 0 if i == 0 else groups[i][0]
                e = groups[j][1]
                if j == len(groups) - 1 and raw.endswith(")"):
                    e = len(raw)
                used += 1
                num = _to_number(raw[s:e], region)
                if num is not None:
                    hit = (num, base + s, base + e, j)
                    break
                if used >= budget:
                    break
            if hit is None:
                i += 1
                continue
            num, s, e, j = hit
            hits.append((s, e, *_describe(num.country_code, num.national_number)))
            i = j + 1
    return tuple(hits), used


_UNBOUNDED = 1 << 62


# An advert often repeats its contact line, and so the window around its number: the second
# reading is one look-up. Kept small, as blank_non_phones' store is, for repeats close together.
@lru_cache(maxsize=256)
def _read_window_text(window: str, latin1: bool, region: str) -> tuple[tuple[_Hit, ...], int]:
    """What _read_window finds in a window of normalised text, with no bound on attempts."""
    return _read_window(blank_non_phones(window, latin1), latin1, region, _UNBOUNDED)


def find_phones(
    text: str, region: str = "GB", *, normalised: Normalised | None = None
) -> list[PhoneMatch]:
    """Every phone number in a text, first occurrence of each, spans in the original text."""
    norm = normalised if normalised is not None else normalise(text)
    work = norm.text
    latin1 = norm.latin1
    # A budget on parse attempts keeps adversarial digit soups linear in their length.
    budget = 64 + len(work) // 16
    found: dict[str, dict[str, Any]] = {}
    for lo, hi in _windows(work, latin1):
        window = work[lo:hi]
        hits, used = _read_window_text(window, latin1, region)
        # A window read without a bound stands for one read with the budget left whenever it
        # made no more attempts than that: the bound then never cut its reading short.
        if used > budget:
            hits, used = _read_window(blank_non_phones(window, latin1), latin1, region, budget)
        budget -= used
        for s, e, e164, where, kind, valid in hits:
            prior = found.get(e164)
            # Adverts repeat their number: a later occurrence only ever adds the obfuscated flag.
            if prior is not None and prior["obfuscated"]:
                continue
            ostart, oend = norm.span(lo + s, lo + e)
            obfuscated = _is_obfuscated(text[ostart:oend])
            if prior is None:
                found[e164] = {
                    "start": ostart,
                    "end": oend,
                    "e164": e164,
                    "region": where,
                    "kind": kind,
                    "valid": valid,
                    "obfuscated": obfuscated,
                }
            elif obfuscated:
                prior["obfuscated"] = True
    # Offsets found here are ints already, unlike a caller's `start` in parse_phone, so
    # validating would change nothing (see models.trusted).
    return trusted_all(PhoneMatch, list(found.values()))
