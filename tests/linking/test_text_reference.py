"""The slot masking, tried against the plain implementation it replaced on awkward text.

`mask_slots` skips patterns that cannot match and tries others only where a match can start;
the plain version below (every pattern substituted over the whole text, in order) is what it
must agree with, word for word, including the interactions between patterns (a placeholder one
pattern inserts is text the next pattern sees).
"""

import re

from hypothesis import example, given, settings
from hypothesis import strategies as st

from asw_guard.linking.text import mask_slots

_SLOT_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("email", re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")),
    (
        "url",
        re.compile(
            r"(?:https?://|www\.)\S*[^\s.,!?)]|\b[\w-]+\.(?:com|co\.uk|net|org|io|me)\b\S*", re.I
        ),
    ),
    ("phone", re.compile(r"(?<![\w£$€])\+?\d[\d\s().-]{6,}\d(?!\w)")),
    (
        "price",
        re.compile(
            r"[£$€]\s?\d+(?:[.,]\d+)?|\b\d+(?:[.,]\d+)?\s?(?:£|\$|€|gbp|eur|usd|pounds?|euros?)\b",
            re.I,
        ),
    ),
    (
        "age",
        re.compile(
            r"\b\d{2}\s?(?:yo|y/o|yrs?|years?(?:\s+old)?)\b|\b(?:age|aged)\s*:?\s*\d{2}\b", re.I
        ),
    ),
    ("num", re.compile(r"\b\d+(?:[.,:]\d+)*(?:st|nd|rd|th|am|pm|h|hr|hrs|min|mins)?\b", re.I)),
]
#: A name follows these phrases whatever its case ("i'm jess", "my name is ANNA").
_NAME_INTRO = re.compile(
    r"\b(?:i'm|i am|im|my name is|my names|name is|call me|ask for)\s+"
    r"([^\W\d_]+)",
    re.I,
)
#: Words that follow "I'm" or "call me" without being a name ("I'm new", "call me on ...").
_NOT_NAMES = frozenset(
    str.split(
        "a an the on at now in for to from and or so very here back new available not just only "
        "your you free open busy always really happy sweet young ready waiting real genuine "
        "visiting staying based located "
    )
)


def _mask_name(m: re.Match[str]) -> str:
    word = m.group(1)
    if word[0].islower() and word in _NOT_NAMES:
        return m.group(0)
    return m.group(0)[: m.start(1) - m.start(0)] + "<name>"


_WORD = re.compile(r"<[a-z]+>|[^\W_]+(?:'[^\W_]+)?")


def reference_mask_slots(text: str) -> list[str]:
    """The masked, lower-cased word sequence of `text` (placeholders look like ``<name>``)."""
    for name, pattern in _SLOT_PATTERNS:
        text = pattern.sub(f" <{name}> ", text)
    text = _NAME_INTRO.sub(_mask_name, text)
    words: list[str] = []
    prev_end = 0
    for m in _WORD.finditer(text):
        word = m.group(0)
        gap = text[prev_end : m.start()]
        prev_end = m.end()
        # Most gaps are one space: skip the scan for sentence ends there.
        starts_sentence = not words or (gap != " " and any(c in ".!?\n" for c in gap))
        # A capitalised word inside a sentence is a name or a place: slots, not template.
        if not word.isalpha() and any(c.isdigit() for c in word):
            # Digits glued to letters ("anna24", "2night") are handles or slots, not template.
            words.append("<num>")
        elif (
            not starts_sentence
            and word[0].isupper()
            and word not in {"I", "I'm", "I'll", "I've", "I'd"}
        ):
            words.append("<cap>")
        else:
            words.append(word.lower())
    return words


#: Fragments that make slot patterns fire, overlap and touch one another.
FRAGMENTS = [
    "@",
    "a@b.com",
    "x.y+z@mail.co.uk",
    "http://",
    "https://",
    "HTTPS://x.io/a?b=1",
    "www.",
    "WWW.Site.COM",
    "site.com",
    "foo.co.uk/bar",
    ".net",
    ".me",
    ".io",
    "+",
    "+44",
    "07",
    "7700",
    "900",
    "123",
    "(0)",
    "-",
    ".",
    ",",
    ":",
    "£",
    "$",
    "€",
    "£150",
    "$ 80",
    "150gbp",
    "80 EUR",
    "100 pounds",
    "2 euros",
    "23yo",
    "23 y/o",
    "23 yrs",
    "45 years old",
    "22 Years",
    "age",
    "Aged",
    "age: 21",
    "1st",
    "2nd",
    "9pm",
    "10:30",
    "2h",
    "30 mins",
    "1.5",
    "I'm",
    "i am",
    "im",
    "IM",
    "my name is",
    "my names",
    "name is",
    "call me",
    "ask for",
    "jess",
    "Anna",
    "ANNA",
    "new",
    "on",
    "the",
    "Leeds",
    "ıam",
    "İM",
    "Kıra",
    "x",
    "anna24",
    "2night",
    "don't",
    "I'll",
    "<",
    ">",
    "<b>",
    "_",
    "é",
    "١٢",
    "²",
    " ",
    "  ",
    "\n",
    "!",
    "?",
    ")",
    "(",
    "/",
    "'",
]
pieces = st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=4), max_size=40)


@settings(max_examples=3000)
@given(pieces, st.lists(st.sampled_from(["", " ", "\n", ". "]), min_size=40, max_size=40))
@example(["http://x@y.com"], [""] * 40)
@example(["www.a.com/b@c.com 07700 900123"], [""] * 40)
def test_mask_slots_agrees_with_the_plain_version(parts: list[str], seps: list[str]) -> None:
    text = "".join(p + s for p, s in zip(parts, seps, strict=False))
    assert mask_slots(text) == reference_mask_slots(text)


@given(st.text(max_size=300))
def test_mask_slots_agrees_on_any_text(text: str) -> None:
    assert mask_slots(text) == reference_mask_slots(text)
