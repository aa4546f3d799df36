"""Prices, ages, weights, heights, availability and in-call/out-call, from normalised text.

Number words are digits by the time these run, so "nineteen years old" reads as "19 years old".
"""

from __future__ import annotations

import bisect
import re
from functools import lru_cache
from typing import Any

from asw_guard.normalise.digits import DigitPatterns
from asw_guard.normalise.models import (
    AgeMatch,
    AvailabilityMatch,
    HeightMatch,
    PriceMatch,
    WeightMatch,
)
from asw_guard.normalise.numbers import NumberScan
from asw_guard.normalise.scan import KEYWORDS, any_in, finditer_from, word_starts
from asw_guard.normalise.text import Normalised

#: One result's fields, in its model's order and each of the type its model gives it, so the
#: caller may build the model without validating (models.trusted).
Row = dict[str, Any]

# Patterns start with a digit (the "not after a digit" check comes after it) so the regex
# engine can skip to digits instead of trying every alternative at every position.
_D = r"\d(?<![\d.,]\d)"
# What must follow the first digit of a number for each pattern below to match there. Each
# pattern checks it first in a look-ahead: most numbers in a text fail there, which spares the
# engine from retrying every unit after every shorter reading of the number. (On Latin-1 text
# the number scan, numbers.NumberScan, rules most of them out before, by what follows them.)
# Each is bounded like its pattern: a check that ran on over every digit and dot ahead would
# read "1.1.1.1…" once for each of its numbers.
# Their repeats are possessive: giving back a digit, a decimal part or a blank leaves a digit, a
# "." or "," or a blank where the check needs what follows, so no match is lost, and the engine
# does not retry every shorter reading at each number that fails. Each holds wherever the rest
# of its pattern matches, so the number scan matches the patterns without them.
_PRICE_NEXT = r"(?:\d{0,2}+(?:,\d{3})++|\d{0,4}+(?:\.\d{1,2}+)?+)[ \t]?+[£€$geudqpzrlk]"
_DURATION_NEXT = r"\d{0,2}+(?:\.\d)?+[ \t]?+[mhdnwog]"
_AGE_NEXT = r"\d[ \t]?+[ydal+]"
_WEIGHT_NEXT = r"\d{0,2}+(?:[.,]\d)?+[ \t]?+[klps]"
_HEIGHT_NEXT = r"\d\d[ \t]?+c|[.,]\d\d[ \t]?+m|[ \t]?+(?:'|′|f)"
_RANGE_NEXT = r"\d?+(?::\d\d)?+[ \t]?+(?:[ap]m)?+[ \t]*+[-–tu]"
_AMOUNT = (
    rf"({_D}(?={_PRICE_NEXT})"
    r"(?:\d{0,2}(?:,\d{3})+|\d{0,4}(?:\.\d{1,2})?))"
)
_CURRENCY_WORDS = {
    "£": "GBP", "gbp": "GBP", "quid": "GBP", "pound": "GBP", "pounds": "GBP",
    "€": "EUR", "eur": "EUR", "euro": "EUR", "euros": "EUR",
    "$": "USD", "usd": "USD", "dollar": "USD", "dollars": "USD",
    "pln": "PLN", "zł": "PLN", "zl": "PLN", "ron": "RON", "lei": "RON",
}  # fmt: skip
# Coded units adverts use to dodge price filters: a unit, not a currency.
_CODED = {"roses": "roses", "rose": "roses", "kisses": "kisses", "kiss": "kisses"}
_PRICE_SIGN = DigitPatterns(
    re.compile(r"([£€$])[ \t]?(?!0\d)(\d{1,3}(?:,\d{3})+|\d{1,5}(?:\.\d{1,2})?)(?![\d.,]*\d)")
)
_SIGNS = ("£", "€", "$")
_CURRENCY_CODES = ("gbp", "eur", "usd", "pln", "ron")


def _occurrences(text: str, char: str) -> list[int]:
    out: list[int] = []
    i = text.find(char)
    while i != -1:
        out.append(i)
        i = text.find(char, i + 1)
    return out


_PRICE_CODE = DigitPatterns(
    re.compile(
        r"\b(gbp|eur|usd|pln|ron)[ \t]?(\d{1,3}(?:,\d{3})+|\d{1,5}(?:\.\d{1,2})?)(?![\d.,]*\d)",
        re.IGNORECASE,
    )
)
_PRICE_AFTER = DigitPatterns(
    re.compile(
        rf"{_AMOUNT}[ \t]?(£|€|\$|gbp|eur|euros?|usd|dollars?|quid|pounds?|pln|zł|zl|ron|"
        r"lei|roses?|kisses|kiss)(?!\w)",
        re.IGNORECASE,
    )
)
_UNIT = r"(mins?|minutes?|hrs?|hours?|h|days?|nights?|weeks?|horas?|ora|ore|godz|godzin[ay]?)"
_DURATION_NUM = DigitPatterns(
    re.compile(
        rf"(\d(?<![\w.]\d)(?={_DURATION_NEXT})\d{{0,2}}(?:\.\d)?)[ \t]?({_UNIT}|m)(?!\w)",
        re.I,
    )
)
_ROUND_MINUTES = {"15", "20", "30", "45", "60", "90"}
# Run on the lower-cased text, every alternative starting with a letter the engine can skip to;
# the word boundary before is checked on each match. Alternatives are grouped by their first
# letter, in their order within each group (no two groups open alike, so which group is tried
# first changes nothing). The engine stops at every "a", "h", "o" and "p" of an advert: after an
# "a", one look at what follows rules out most of them instead of trying each unit in turn.
_U = r"[ \t]?(?:mins?|minutes?|hrs?|hours?|h|horas?|ora|ore|godz|godzin[ay]?)(?!\w)"
# The first look-ahead after "a" is implied by the second: one test of the next character rules
# out most of an advert's many "a"s at less cost than the second look-ahead does.
_DURATION_WORD = re.compile(
    rf"a(?=[nmhog \tl])(?=n?[ \t]?[mhog]|ll night)(?:n{_U}|{_U}|ll night)"
    rf"|h(?:alf an{_U}|alf a{_U}|alf{_U}|alf hour|ourly)"
    rf"|o(?:ne{_U}|vernight)"
    r"|p(?:er hour|/h|h\b|e ora|e oră|or hora)"
    r"|/(?:[ \t]?hour\b|[ \t]?hr\b|[ \t]?h\b)"
    r"|za godzin"
)
# Where _DURATION_WORD's matches can start: the literal each alternative opens with, the "a"
# alternative's as far as its units' own opening letters ("min", "or", "godz"): "am", "ag" and
# "ao" are in many words ("name", "massage") and "a m" before many more, and each is one more
# place to try the pattern at. Found by KEYWORDS in its one pass, they spare the scan that stops
# at every "a", "h", "o" and "p" of an advert.
_DURATION_WORD_STARTS = (
    *(
        f"a{n}{blank}{unit}"
        for n in ("", "n")
        for blank in ("", " ", "\t")
        for unit in ("min", "h", "or", "godz")
    ),
    "all night",
    "half",
    "hourly",
    "one",
    "overnight",
    "per hour",
    "p/h",
    "ph",
    "pe ora",
    "pe oră",
    "por hora",
    "/",
    "za godzin",
)
_PER_HOUR = ("/", "per ", "p/", "ph", "pe ", "za ", "por ", "hourly")
_WORD_UNIT = re.compile(r"(mins?|minutes?|hrs?|hours?|h|horas?|ora|ore|godz|godzin[ay]?)$")
# "or" first: it is in almost every advert ("for", "more"), so the check mostly ends there.
_DURATION_HINTS = (
    "or",
    "half",
    "hour",
    "hr",
    "min",
    "overnight",
    "night",
    "ph",
    "p/h",
    "/h",
    "godz",
)
_BARE_AFTER_DURATION = re.compile(r"[ \t]*[:=\-–][ \t]*|[ \t]+")
_BARE_AMOUNT = re.compile(
    r"([1-9]\d{1,3})(?!\d|[.,]\d)(?![ \t]?(?:mins?|minutes?|hrs?|hours?|h|m)\b)"
)
# The gap and the amount in one match; the atomic group keeps the gap as _BARE_AFTER_DURATION
# alone would read it, so the amount is looked for exactly where it was before.
_BARE_AFTER = re.compile(f"(?>{_BARE_AFTER_DURATION.pattern}){_BARE_AMOUNT.pattern}")
_WEIGH = re.compile(r"weigh", re.IGNORECASE)

_AGE_AFTER = DigitPatterns(
    re.compile(
        rf"(\d(?<![\d.,']\d)(?={_AGE_NEXT})\d)"
        r"(?:[ \t]?(?:yo|y\.o\.?|y/o|yrs?\.?(?:[ \t]?old)?|"
        r"years?[ \t]?(?:old|young)|(?:de[ \t]?)?ani|anos|años|lat|latek)(?!\w)|(\+))",
        re.IGNORECASE,
    )
)
# Run on the lower-cased text; the word boundary before it is checked on each match.
_AGE_BEFORE = DigitPatterns(
    re.compile(
        r"(?:age[ds]?[ \t]*(?:is|:|-|=)?[ \t]*(\d{2})(?!\d|[.,]\d)"
        r"|(?:i am|i'm|im|i’m|tengo|tenho|mam|am)[ \t]+(?:just[ \t]+|only[ \t]+)?(\d{2})"
        r"(?!\d|[.,]\d|['\"]"
        r"|[ \t]?(?:cm|kg|kgs|lbs?|st|ft|min|mins|hrs?|hours?|£|€|\$|%|th|nd|rd)\b))"
    )
)
# The words _AGE_BEFORE opens with, each with the blank that must follow it: its matches start
# nowhere else, and "am" and "im" alone are in many words ("name", "time") and before many more.
_AGE_BEFORE_WORDS = (
    "age",
    *(
        word + blank
        for word in ("i am", "i'm", "im", "i’m", "tengo", "tenho", "mam", "am")
        for blank in (" ", "\t")
    ),
)
_AGE_HINTS = ("age", "am ", "i'm", "im ", "i’m", "tengo", "tenho", "mam ")
_WEIGHT = DigitPatterns(
    re.compile(
        rf"(\d(?<![\d.,]\d)(?={_WEIGHT_NEXT})"
        r"\d{0,2}(?:[.,]\d)?)[ \t]?"
        r"(?:(kgs?|kilos?|kilograms?)(?!\w)|(lbs?|pounds)(?!\w)"
        r"|(?:st|stone)[ \t]?(\d{1,2})(?:[ \t]?(?:lbs?|pounds))?(?!\w)|(stone)(?!\w))",
        re.IGNORECASE,
    )
)
_HEIGHT = DigitPatterns(
    re.compile(
        r"(\d(?<![\d.,]\d))(?:(\d\d)[ \t]?cm(?!\w)|[.,](\d{2})[ \t]?m(?!\w)"
        r"|[ \t]?(?:'|′|ft|feet|foot)[ \t]?(?:(\d{1,2})[ \t]?(?:\"|''|″|in|inches)?)?)",
        re.IGNORECASE,
    )
)
_DAYS = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}
_DAY = r"(mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?"
_AVAIL_ALWAYS = re.compile(r"24[ \t]?/[ \t]?7(?!\d)")
_AVAIL_24H = re.compile(
    r"24[ \t]?(?:hrs|hours|h)(?!\w)(?![ \t]*(?:notice|in advance|before))", re.IGNORECASE
)
_AVAIL_7D = re.compile(r"7[ \t]?days?(?:[ \t]?(?:a|per)[ \t]?week)?", re.IGNORECASE)
_AVAIL_RANGE = DigitPatterns(
    re.compile(
        rf"(\d(?<![\d:]\d)(?={_RANGE_NEXT})\d?)"
        r"(?::(\d{2}))?[ \t]?(am|pm)?[ \t]*(?:-|–|to|till|until)[ \t]*"
        r"(\d{1,2})(?::(\d{2}))?[ \t]?(am|pm)?(?![\d:])",
        re.IGNORECASE,
    )
)
# Every pattern here that opens with a number's first digit, read in one scan of the text.
_NUMBERS_READ = (_PRICE_AFTER, _DURATION_NUM, _AGE_AFTER, _WEIGHT, _HEIGHT, _AVAIL_RANGE)
# What each of those needs after the number (its digits and the ".", "," or ":" inside it, read
# whole) for a match at its first digit, the check the number scan makes before trying the
# pattern. Each pattern's number ends in a digit and is all of that run: a digit, ".", "," or
# ":" after it is none of the blank, unit, sign or dash the pattern reads next. So each check
# reads only the few characters after the run, and most hold at just the numbers their pattern
# matches: not at "63kg" for a price, nor "2am" for an age.
_PRICE_END = r"[ \t]?+(?:[£€$geudqpzrl]|ki)"
_DURATION_END = r"[ \t]?+[mhdnwog]"
_AGE_END = r"[ \t]?+(?:[ydl+]|a[nñ])"
_WEIGHT_END = r"[ \t]?+[klps]"
_HEIGHT_END = r"[ \t]?+(?:cm|m(?!\w)|['′f])"
_RANGE_END = r"[ \t]?+(?:[ap]m|)[ \t]*+[-–tu]"
# What every one of those checks implies: the run ends in a digit (or is empty, after the first
# digit), and at most one blank follows it unless, as only the hour range allows, a dash, "to",
# "till" or "until" comes next. Most numbers in an advert (phone digits, ids) are ruled out by
# this one look instead of six: so are "size 8, natural" and "£60.  Incall".
_NUMBER_ENDS = "£€$+'′\\-–" + "".join(c + c.upper() for c in "acdefghklmnopqrstuwyz")
_NUMBER_AHEAD = rf"(?<=[0-9])(?:[ \t]?[{_NUMBER_ENDS}]|[ \t]*+[\-–tTuU])"
_NUMBER_CHECKS = (_PRICE_END, _DURATION_END, _AGE_END, _WEIGHT_END, _HEIGHT_END, _RANGE_END)
_NUMBERS = NumberScan(
    *zip(_NUMBERS_READ, _NUMBER_CHECKS, strict=True),
    ahead=_NUMBER_AHEAD,
    implied=(_PRICE_NEXT, _DURATION_NEXT, _AGE_NEXT, _WEIGHT_NEXT, _RANGE_NEXT),
)

_DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_DAY_ANY = r"(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?"
# On the lower-cased text, one alternative per literal start (so the engine skips ahead to it);
# the word boundary before is checked on each match.
_AVAIL_WORD = re.compile(
    "every[ \t]?day|daily|non[ -]?stop|"
    + "|".join(rf"{d}[a-z]*\.?[ \t]*(?:-|–|to|till|until)[ \t]*{_DAY_ANY}" for d in _DAY_NAMES)
)
_AVAIL_WORDS = ("every", "daily", "non", *_DAY_NAMES)
# A day range _AVAIL_WORD matched, read with the same pattern so the second day is the one the
# match found: splitting at the first "to" would cut "overnightovernight" at "nighto" instead.
_DAY_RANGE = re.compile(rf"{_DAY}[ \t]*(?:-|–|to|till|until)[ \t]*{_DAY}")
# On the lower-cased text, starting with literals so the engine can skip ahead; the word
# boundary before, a "no " before and an "only" either side are checked on each match.
_CALL_MODE = re.compile(
    r"(?:in[ \t\-]?calls?|out[ \t\-]?calls?|u mnie|la mine|com local|local próprio|piso propio"
    r"|wyjazdy|deplasări|deplasari|a domicilio|desplazamientos|deslocações|deslocacoes)(?!\w)"
)
# _CALL_MODE's matches start at these words, or two to four characters before a "call".
_CALL_WORDS = (
    "u mnie", "la mine", "com local", "local próprio", "piso propio", "wyjazdy", "deplasări",
    "deplasari", "a domicilio", "desplazamientos", "deslocações", "deslocacoes",
)  # fmt: skip
# _CALL_WORDS, each under a piece all its words hold: where the piece is not in the text, none
# of its words is, and one search rules them out. English adverts hold none of these words, and
# a search for an absent word reads the whole text.
_CALL_WORD_GROUPS = (
    ("loca", ("com local", "local próprio", "deslocações", "deslocacoes")),
    ("pla", ("deplasări", "deplasari", "desplazamientos")),
    ("u mnie", ("u mnie",)),
    ("la mine", ("la mine",)),
    ("piso propio", ("piso propio",)),
    ("wyjazdy", ("wyjazdy",)),
    ("a domicilio", ("a domicilio",)),
)
_CALL = ("call",)
_INCALL_STARTS = ("in", "u mnie", "la mine", "com local", "local", "piso")
_ONLY_AFTER = re.compile(r"[ \t]+only\b")
_CALL_HINTS = (
    "call",
    "u mnie",
    "la mine",
    "local",
    "piso",
    "wyjazd",
    "deplas",
    "domicilio",
    "despla",
    "desloca",
)
_ONLY_BEFORE = re.compile(r"only[ \t]+$", re.IGNORECASE)


# The same few quantities and units ("30", "min") come back in every rate table.
@lru_cache(maxsize=1024)
def _minutes(qty_raw: str, unit: str, fixed: str | None, phrase: str | None) -> int | None:
    if fixed:
        return int(fixed)
    if phrase:
        word = phrase.lower()
        if word in ("overnight", "all night"):
            return 720
        if word == "half hour":
            return 30
        return 60
    qty_raw, unit = qty_raw.lower(), unit.lower()
    if qty_raw.startswith("half"):
        qty = 0.5
    elif qty_raw in ("a", "an", "one"):
        qty = 1.0
    else:
        try:
            qty = float(qty_raw)
        except ValueError:
            return None
    if unit.startswith("m"):
        factor = 1
    elif unit.startswith(("h", "o", "g")):
        factor = 60
    elif unit.startswith("d"):
        factor = 1440
    elif unit.startswith("n"):
        factor = 720
    else:
        factor = 10080
    minutes = int(qty * factor)
    return minutes if minutes > 0 else None


def _durations(norm: Normalised) -> list[tuple[int, int, int | None]]:
    t = norm.text
    out: list[tuple[int, int, int | None]] = []
    for m in _NUMBERS.finditer(norm, _DURATION_NUM):
        qty, unit = m.group(1), m.group(2)
        if unit.lower() == "m" and (qty not in _ROUND_MINUTES or m.end(1) != m.start(2)):
            continue  # "30m" in a rate table; "1.65 m" is a height
        out.append((m.start(), m.end(), _minutes(qty, unit, None, None)))
    low = norm.lower
    # A literal search, not KEYWORDS: "or" is in almost every advert, so the search mostly
    # stops within the first words, while every "or" would be one more hit of the one pass.
    if len(low) == len(t) and any_in(low, _DURATION_HINTS):
        starts = KEYWORDS.starts(norm, _DURATION_WORD_STARTS)
        for m in finditer_from(_DURATION_WORD, low, starts):
            s, phrase = m.start(), m.group(0)
            if s > 0 and low[s - 1].isalnum() and phrase[0] != "/":
                continue
            unit = _WORD_UNIT.search(phrase)
            if unit is None or phrase.startswith(_PER_HOUR):
                out.append((s, m.end(), _minutes("", "", None, phrase)))
            else:
                qty = phrase[: unit.start()].strip()
                out.append((s, m.end(), _minutes(qty, unit.group(1), None, None)))
        out.sort()
    return out


def _round2(x: float) -> float:
    """round(x, 2). Rounding a float to decimals converts it to a decimal string and back; a
    float that is a whole number of quarters (times four, which is exact, is whole) has at
    most two decimals already, and is its own rounding. Most rates, weights and hours are."""
    return x if (x * 4).is_integer() else round(x, 2)


def _amount(raw: str) -> float:
    return float(raw.replace(",", ""))


def find_prices(norm: Normalised) -> list[PriceMatch]:
    return [PriceMatch.model_validate(row) for row in price_rows(norm)]


def price_rows(norm: Normalised) -> list[Row]:
    """find_prices' results as the fields of each PriceMatch, for `extract` to validate in one
    call with the rest: building each model on its own costs several times as much."""
    t = norm.text
    durations = _durations(norm)
    found: list[tuple[int, int, float, str | None, str | None]] = []
    # Every match opens with its sign: found with str.find, they are cheaper to go to than by
    # a scan that tests each character against the sign class.
    signs = [i for sign in _SIGNS for i in _occurrences(t, sign)]
    matches = list(finditer_from(_PRICE_SIGN.pick(norm.latin1), t, signs))
    if KEYWORDS.any_in(norm, _CURRENCY_CODES):
        matches += _PRICE_CODE.pick(norm.latin1).finditer(t)
    for m in matches:
        unit, amount = m.group(1).lower(), _amount(m.group(2))
        found.append((m.start(), m.end(), amount, _CURRENCY_WORDS.get(unit), None))
    for m in _NUMBERS.finditer(norm, _PRICE_AFTER):
        unit, amount = m.group(2).lower(), _amount(m.group(1))
        if unit in ("pound", "pounds") and _WEIGH.search(t, max(0, m.start() - 25), m.start()):
            continue
        if unit in _CODED:
            found.append((m.start(), m.end(), amount, None, _CODED[unit]))
        else:
            found.append((m.start(), m.end(), amount, _CURRENCY_WORDS.get(unit), None))
    taken: list[tuple[int, int]] | None = None
    taken_starts: list[int] = []
    # Rate tables often leave the currency out: "30min 80 / 1hr 150".
    for _ds, de, _ in durations:
        bare = _BARE_AFTER.match(t, de)
        if bare is None:
            continue
        if taken is None:
            taken = sorted([(s, e) for s, e, *_ in found] + [(s, e) for s, e, _ in durations])
            taken_starts = [s for s, _ in taken]
        bs = bare.start(1)
        k = bisect.bisect_right(taken_starts, bs) - 1
        if k >= 0 and taken[k][0] <= bs < taken[k][1]:
            continue
        found.append((bs, bare.end(), _amount(bare.group(1)), None, None))
    found.sort()
    kept: list[tuple[int, int, float, str | None, str | None]] = []
    for item in found:
        if not kept or item[0] >= kept[-1][1]:
            kept.append(item)
    found = kept
    starts = [d[0] for d in durations]
    # Most adverts need no edit, and then a span is its own original: spares a call per item.
    edited = bool(norm.steps)
    out: list[Row] = []
    for s, e, amount, currency, unit in found:
        # Only the durations that can be adjacent: keeps many prices linear.
        lo = bisect.bisect_left(starts, s - 40)
        hi = bisect.bisect_right(starts, e + 8)
        minutes = _pair_duration(t, s, e, durations[lo:hi])
        per_hour = _round2(amount * 60 / minutes) if minutes else None
        start, end = norm.span(s, e) if edited else (s, e)
        out.append(
            {
                "start": start,
                "end": end,
                "amount": amount,
                "currency": currency,
                "minutes": minutes,
                "per_hour": per_hour,
                "coded": unit is not None,
                "unit": unit,
            }
        )
    return out


_BEFORE_GAP = re.compile(r"[ \t:=\-–>]{0,4}")
_AFTER_GAP = re.compile(r"(?:[ \t/(\-@]|per|for|a|an|x){0,6}", re.IGNORECASE)


def _pair_duration(
    t: str, s: int, e: int, durations: list[tuple[int, int, int | None]]
) -> int | None:
    """The duration written next to a price: "1hr £150", "£150 per hour", "£80 (30 mins)"."""
    best: tuple[int, int] | None = None
    for ds, de, minutes in durations:
        if minutes is None:
            continue
        if de <= s and s - de <= 4 and _BEFORE_GAP.fullmatch(t, de, s):
            gap = s - de
        elif ds >= e and ds - e <= 8 and _AFTER_GAP.fullmatch(t, e, ds):
            gap = ds - e + 1  # a duration before the price wins a tie: rate tables read that way
        else:
            continue
        if best is None or gap < best[0]:
            best = (gap, minutes)
    return best[1] if best else None


def find_ages(norm: Normalised) -> list[AgeMatch]:
    return [AgeMatch.model_validate(row) for row in age_rows(norm)]


def age_rows(norm: Normalised) -> list[Row]:
    t, low = norm.text, norm.lower
    found: list[tuple[int, int, str]] = []
    for m in _NUMBERS.finditer(norm, _AGE_AFTER):
        if m.group(2) and m.group(1) != "18":
            continue  # "18+" says adults only; "25+" is not an age
        found.append((m.start(), m.end(), m.group(1)))
    if len(low) == len(t) and KEYWORDS.any_in(norm, _AGE_HINTS):
        age_before = _AGE_BEFORE.pick(norm.latin1)
        for m in finditer_from(age_before, low, KEYWORDS.starts(norm, _AGE_BEFORE_WORDS)):
            if m.start() > 0 and low[m.start() - 1].isalnum():
                continue
            found.append((m.start(), m.end(), m.group(1) or m.group(2)))
        found.sort()
    out: list[Row] = []
    for s, e, raw in found:
        value = int(raw)
        if not 12 <= value <= 80:
            continue
        start, end = norm.span(s, e)
        out.append({"start": start, "end": end, "value": value})
    return out


def find_weights(norm: Normalised) -> list[WeightMatch]:
    return [WeightMatch.model_validate(row) for row in weight_rows(norm)]


def weight_rows(norm: Normalised) -> list[Row]:
    out: list[Row] = []
    t = norm.text
    for m in _NUMBERS.finditer(norm, _WEIGHT):
        number = m.group(1)
        if m.group(2):
            if not 2 <= len(number.split(".")[0].split(",")[0]) <= 3:
                continue
            kg = float(number.replace(",", "."))
        elif m.group(3):
            if not number.isdigit() or not 2 <= len(number) <= 3:
                continue
            near = _WEIGH.search(t, max(0, m.start() - 25), m.start())
            if m.group(3).lower() == "pounds" and not near:
                continue
            kg = int(number) * 0.45359237
        elif m.group(4) or m.group(5):
            if not number.isdigit() or len(number) > 2:
                continue
            kg = int(number) * 6.35029318 + int(m.group(4) or 0) * 0.45359237
        else:
            continue
        if not 25 <= kg <= 250:
            continue
        start, end = norm.span(m.start(), m.end())
        out.append({"start": start, "end": end, "kg": _round2(kg)})
    return out


def find_heights(norm: Normalised) -> list[HeightMatch]:
    return [HeightMatch.model_validate(row) for row in height_rows(norm)]


def height_rows(norm: Normalised) -> list[Row]:
    out: list[Row] = []
    for m in _NUMBERS.finditer(norm, _HEIGHT):
        lead = int(m.group(1))
        if m.group(2):
            cm = float(m.group(1) + m.group(2))
        elif m.group(3):
            if lead not in (1, 2):
                continue
            cm = float(lead * 100 + int(m.group(3)))
        else:
            if not 4 <= lead <= 7:
                continue
            cm = lead * 30.48 + int(m.group(4) or 0) * 2.54
        if not 120 <= cm <= 220:
            continue
        start, end = norm.span(m.start(), m.end())
        out.append({"start": start, "end": end, "cm": _round2(cm)})
    return out


def _hour(h: str, mins: str | None, ampm: str | None) -> float | None:
    hour = int(h)
    if ampm:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if ampm.lower() == "pm" else 0)
    elif hour > 24:
        return None
    minutes = int(mins) if mins else 0
    return None if minutes >= 60 else hour + minutes / 60


def find_availability(norm: Normalised) -> list[AvailabilityMatch]:
    return [AvailabilityMatch.model_validate(row) for row in availability_rows(norm)]


def availability_rows(norm: Normalised) -> list[Row]:
    t = norm.text
    found: list[tuple[int, int, float | None, int | None, bool]] = []
    for m in _AVAIL_ALWAYS.finditer(t):
        if m.start() == 0 or not t[m.start() - 1].isdigit():
            found.append((m.start(), m.end(), 24.0, 7, True))
    for m in _AVAIL_24H.finditer(t):
        if m.start() == 0 or not t[m.start() - 1].isdigit():
            found.append((m.start(), m.end(), 24.0, None, False))
    for m in _AVAIL_7D.finditer(t):
        if m.start() == 0 or not t[m.start() - 1].isdigit():
            found.append((m.start(), m.end(), None, 7, False))
    for m in _NUMBERS.finditer(norm, _AVAIL_RANGE):
        # A bare "10-22" is as likely a measurement or a score: need a clock sign on one side.
        if not (m.group(2) or m.group(3) or m.group(5) or m.group(6)):
            continue
        h1 = _hour(m.group(1), m.group(2), m.group(3) or m.group(6))
        h2 = _hour(m.group(4), m.group(5), m.group(6))
        if h1 is None or h2 is None:
            continue
        found.append((m.start(), m.end(), _round2((h2 - h1) % 24 or 24.0), None, False))
    low = norm.lower
    # No check for the words first: finding where they are costs what finding whether they are does.
    if len(low) == len(t):
        for m in finditer_from(_AVAIL_WORD, low, KEYWORDS.starts(norm, _AVAIL_WORDS)):
            if m.start() > 0 and low[m.start() - 1].isalnum():
                continue
            phrase = m.group(0)
            if phrase[:3] in _DAYS:
                pair = _DAY_RANGE.fullmatch(phrase)
                assert pair is not None
                a, b = _DAYS[pair.group(1)], _DAYS[pair.group(2)]
                found.append((m.start(), m.end(), None, (b - a) % 7 + 1, False))
            else:
                found.append((m.start(), m.end(), None, 7, False))
    found.sort(key=lambda f: (f[0], -f[1]))
    out: list[Row] = []
    last_end = -1
    for s, e, hours, days, always in found:
        if s < last_end:
            continue  # "24/7" is not also "7 days"
        last_end = e
        start, end = norm.span(s, e)
        out.append(
            {
                "start": start,
                "end": end,
                "hours_per_day": hours,
                "days_per_week": days,
                "always": always,
            }
        )
    return out


# The words alone under their piece, looked for in one call.
_CALL_WORDS_ALONE = tuple(w for _, words in _CALL_WORD_GROUPS if len(words) == 1 for w in words)
_CALL_WORD_SHARED = tuple((piece, words) for piece, words in _CALL_WORD_GROUPS if len(words) > 1)


def _call_word_starts(low: str) -> list[int]:
    """The places of word_starts(low, _CALL_WORDS), not in its order, for a text with no
    `Normalised` (where KEYWORDS answers in one pass)."""
    out = word_starts(low, _CALL_WORDS_ALONE)
    for piece, words in _CALL_WORD_SHARED:
        if any_in(low, (piece,)):
            out += word_starts(low, words)
    return out


def _in_out_call_starts(low: str, calls: list[int] | None = None) -> list[int]:
    """Where _CALL_MODE's "in…call" and "out…call" can start: "in" or "out" right before a
    "call" or one blank or hyphen before it. Checked here rather than by trying the pattern two,
    three and four characters before every "call", which fails at all but one of them. `calls`
    is word_starts(low, ("call",)) when the caller has it already."""
    out: list[int] = []
    for i in word_starts(low, _CALL) if calls is None else calls:
        if i >= 2 and low[i - 2 : i] == "in":
            out.append(i - 2)
        elif i >= 3 and low[i - 3 : i] == "out":
            out.append(i - 3)
        elif i >= 3 and low[i - 1] in " \t-":
            if low[i - 3 : i - 1] == "in":
                out.append(i - 3)
            elif i >= 4 and low[i - 4 : i - 1] == "out":
                out.append(i - 4)
    return out


def find_call_modes(norm: Normalised) -> tuple[bool | None, bool | None]:
    """(incall, outcall): True offered, False refused or excluded by "only", None not said."""
    said: dict[str, bool] = {}
    only: set[str] = set()
    low = norm.lower
    if len(low) != len(norm.text) or not KEYWORDS.any_in(norm, _CALL_HINTS):
        return None, None
    starts = KEYWORDS.starts(norm, _CALL_WORDS) + _in_out_call_starts(
        low, KEYWORDS.starts(norm, _CALL)
    )
    for m in finditer_from(_CALL_MODE, low, starts):
        s = m.start()
        if s > 0 and low[s - 1].isalnum():
            continue
        mode = "incall" if m.group(0).startswith(_INCALL_STARTS) else "outcall"
        if low[max(0, s - 3) : s] == "no ":
            said[mode] = False
            continue
        said.setdefault(mode, True)
        if _ONLY_AFTER.match(low, m.end()) or _ONLY_BEFORE.search(low, max(0, s - 8), s):
            only.add(mode)
    incall, outcall = said.get("incall"), said.get("outcall")
    if "incall" in only and outcall is None:
        outcall = False
    if "outcall" in only and incall is None:
        incall = False
    return incall, outcall
