"""Detectors driven by phrase lists in `data/phrases/<language>.yaml`.

Adding a language is adding a file; adding a phrase is editing data, not code. Each indicator's
phrases compile to one word-bounded alternation per language, once per process, so a check costs
one regex scan per indicator and text field.

Context words change what a match means:

- `negations` standing just before a match silence it ("I never do bareback", "no teens").
- `suppressors` in the same sentence silence it: quoted site rules and disclaimers ("no under
  18s", "all ages verified") use the very words a detector looks for.
- `boosters` near a match raise the hit's strength ("young" beside "fresh").
- `dampeners` in the same sentence halve what a match counts without silencing it
  ("schoolgirl role play" between adults is still worth a glance, but less).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

from asw_guard.indicators.base import AdvertContext, Hit, IndicatorSpec
from asw_guard.models import Evidence

#: How far before a match a negation may stand ("I never do bareback"), in characters.
NEGATION_WINDOW = 24
BOOSTER_WINDOW = 40
#: How far either side of a match a suppressor may stand when no sentence end comes first.
SUPPRESSOR_WINDOW = 120
#: At most this many spans go into one hit: enough to show the reviewer, bounded for storage.
MAX_EVIDENCE = 10

_SENTENCE_END = re.compile(r"[.!?\n;]")


@dataclass(frozen=True, slots=True)
class PhraseList:
    pattern: re.Pattern[str]
    #: Matched against the text just before a phrase; anchored at its end.
    negation: re.Pattern[str] | None
    suppressor: re.Pattern[str] | None
    booster: re.Pattern[str] | None
    dampener: re.Pattern[str] | None = None


BOOSTED = "boosted by nearby wording"
DAMPENED = "lowered by nearby wording"


@dataclass(frozen=True, slots=True)
class PhraseBank:
    """One language's lists, plus one alternation of all of them for a single pass per text.

    Scanning every list separately costs one pass of the regex engine per indicator; one pass
    over the union finds every position where some phrase starts, and only there are the
    indicators' own patterns tried.
    """

    lists: dict[str, PhraseList]
    combined: re.Pattern[str] | None
    #: Indicators in the combined pass (lists read from other fields, like reviews, are not).
    scanned: tuple[str, ...]
    #: The same indicators with their lists, so the scan loop does no dictionary look-ups.
    scanned_lists: tuple[tuple[str, PhraseList], ...] = ()


#: Lists that are not read from the advert's own text fields.
NOT_IN_ADVERT_TEXT = frozenset({"review_distress"})


def _alternation(items: list[str], *, literal: bool) -> str:
    parts = [re.escape(i.lower()) if literal else i for i in items]
    # Word-bounded on both sides without relying on \b, which misbehaves next to punctuation
    # that starts or ends a phrase ("24/7", "18+").
    return r"(?<!\w)(?:" + "|".join(f"(?:{p})" for p in parts) + r")(?!\w)"


def compile_list(raw: dict[str, Any]) -> PhraseList:
    negations = [n.strip() for n in raw.get("negations", ())]
    suppressors = list(raw.get("suppressors", ()))
    boosters = list(raw.get("boosters", ()))
    dampeners = list(raw.get("dampeners", ()))
    # Patterns are written in lower case and matched against lower-cased text: case-insensitive
    # matching makes the regex engine several times slower, and this runs on every advert.
    return PhraseList(
        pattern=re.compile(_alternation(list(raw["patterns"]), literal=False)),
        # The negation must stand at most two words before the match ("never do bareback"), so
        # "not shy and love bareback" stays a match.
        negation=(
            re.compile(_alternation(negations, literal=True) + r"(?:[\s'’-]+\w+){0,2}[\s'’-]*$")
            if negations
            else None
        ),
        suppressor=(re.compile(_alternation(suppressors, literal=False)) if suppressors else None),
        booster=(re.compile(_alternation(boosters, literal=True)) if boosters else None),
        dampener=(re.compile(_alternation(dampeners, literal=False)) if dampeners else None),
    )


def _has_top_level_bar(pattern: str) -> bool:
    depth, i, in_class = 0, 0, False
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0:
            return True
        i += 1
    return False


_PLAIN = re.compile(r"[\w '’-]+")


def _expand_leading(pattern: str) -> list[str]:
    """ "(?:call|text) me" -> ["call me", "text me"], when the leading group is plain words.

    Only for grouping by first character below; patterns with a top-level bar or anything but
    plain words in the leading group are returned as they are.
    """
    if not pattern.startswith("(?:") or _has_top_level_bar(pattern):
        return [pattern]
    close = pattern.find(")")
    inner, tail = pattern[3:close], pattern[close + 1 :]
    if "(" in inner or tail[:1] in ("?", "*", "+", "{"):
        return [pattern]
    words = inner.split("|")
    if not all(_PLAIN.fullmatch(w) for w in words):
        return [pattern]
    return [w + tail for w in words]


def _factored(patterns: list[str]) -> str:
    """One alternation of many patterns, grouped by their first literal character.

    At each word start the regex engine tries every alternative in turn; grouped by first
    character it tries one per character instead, which makes the single pass several times
    faster. Patterns that do not start with a plain literal are kept as they are.
    """
    by_first: dict[str, list[str]] = {}
    rest: list[str] = []
    for p in (e for q in patterns for e in _expand_leading(q)):
        first, tail = p[:1], p[1:2]
        if first.isalnum() and tail not in ("?", "*", "+", "{") and not _has_top_level_bar(p):
            by_first.setdefault(first, []).append(p[1:])
        else:
            rest.append(p)
    parts = [
        re.escape(c) + "(?:" + "|".join(f"(?:{t})" for t in tails) + ")"
        for c, tails in by_first.items()
    ]
    parts += [f"(?:{p})" for p in rest]
    return r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)"


def load_bank(raw: dict[str, dict[str, Any]]) -> PhraseBank:
    lists = {ind_id: compile_list(spec) for ind_id, spec in raw.items()}
    scanned = tuple(i for i in lists if i not in NOT_IN_ADVERT_TEXT)
    patterns = [p for i in scanned for p in raw[i]["patterns"]]
    return PhraseBank(
        lists=lists,
        combined=re.compile(_factored(patterns)) if patterns else None,
        scanned=scanned,
        scanned_lists=tuple((i, lists[i]) for i in scanned),
    )


def phrase_bank(language: str) -> PhraseBank:
    """Every indicator's compiled phrases in one language; empty when the language has none.

    A regional tag ("en-GB", "ro_RO") reads the language's lists.
    """
    return _bank(language.replace("_", "-").split("-")[0].lower())


@cache
def _bank(language: str) -> PhraseBank:
    folder = resources.files("asw_guard.indicators").joinpath("data/phrases")
    entry = folder.joinpath(f"{language}.yaml")
    raw: dict[str, dict[str, Any]] = {}
    if entry.is_file():
        raw = yaml.safe_load(entry.read_text("utf-8")) or {}
    return load_bank(raw)


def phrase_lists(language: str) -> dict[str, PhraseList]:
    return phrase_bank(language).lists


def available_languages() -> list[str]:
    folder = resources.files("asw_guard.indicators").joinpath("data/phrases")
    return sorted(
        p.name.removesuffix(".yaml") for p in folder.iterdir() if p.name.endswith(".yaml")
    )


def fold(text: str) -> str:
    """Lower-cased text with the same length, so offsets found in it hold in the original."""
    low = text.lower()
    if len(low) == len(text):
        return low
    # A few characters lower-case to two ("İ"): keep those as they are.
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


def _sentence(text: str, start: int, end: int) -> tuple[int, int]:
    """Bounds of the sentence around [start, end), capped to a window each side."""
    lo = max(0, start - SUPPRESSOR_WINDOW)
    left = lo
    for m in _SENTENCE_END.finditer(text, lo, start):
        left = m.end()
    hi = min(len(text), end + SUPPRESSOR_WINDOW)
    stop = _SENTENCE_END.search(text, end, hi)
    return left, (stop.start() if stop else hi)


def text_span(field_name: str, start: int, end: int, note: str | None = None) -> Evidence:
    """Evidence for a span of text."""
    return Evidence(
        kind="text",
        field=field_name,
        start=start,
        end=end,
        note=note,
        advert_ids=[],
        account_ids=[],
    )


def _judge(plist: PhraseList, low: str, start: int, end: int, field_name: str) -> Evidence | None:
    """Evidence for one match, or None when a negation or a site rule silences it."""
    if plist.negation is not None and plist.negation.search(
        low, max(0, start - NEGATION_WINDOW), start
    ):
        return None
    sentence = None
    if plist.suppressor is not None:
        sentence = _sentence(low, start, end)
        if plist.suppressor.search(low, *sentence):
            return None
    note = None
    if plist.dampener is not None:
        sentence = sentence or _sentence(low, start, end)
        if plist.dampener.search(low, *sentence):
            note = DAMPENED
    if (
        note is None
        and plist.booster is not None
        and plist.booster.search(
            low, max(0, start - BOOSTER_WINDOW), min(len(low), end + BOOSTER_WINDOW)
        )
    ):
        note = BOOSTED
    return text_span(field_name, start, end, note)


def scan(plist: PhraseList, text: str, field_name: str) -> list[Evidence]:
    """Spans of `text` where one list's phrases stand, unsilenced by negation or site rule."""
    low = fold(text)
    found = (
        _judge(plist, low, m.start(), m.end(), field_name) for m in plist.pattern.finditer(low)
    )
    return [e for e in found if e is not None]


def scan_all(bank: PhraseBank, text: str, field_name: str) -> dict[str, list[Evidence]]:
    """Every scanned indicator's evidence in one text, from a single pass of the union."""
    out: dict[str, list[Evidence]] = {}
    if bank.combined is None:
        return out
    low = fold(text)
    last_end: dict[str, int] = {}
    pos = 0
    search = bank.combined.search
    while (m := search(low, pos)) is not None:
        start = m.start()
        for ind_id, plist in bank.scanned_lists:
            hit = plist.pattern.match(low, start)
            # Overlapping matches of one indicator ("young & fresh girls") count once.
            if hit is None or start < last_end.get(ind_id, 0):
                continue
            last_end[ind_id] = hit.end()
            evidence = _judge(plist, low, start, hit.end(), field_name)
            if evidence is not None:
                out.setdefault(ind_id, []).append(evidence)
        pos = start + 1
    return out


def advert_phrases(ctx: AdvertContext) -> dict[str, list[Evidence]]:
    """Phrase evidence of every indicator in the advert's texts, computed once per check."""
    if ctx.phrases is None:
        ctx.phrases = text_phrases(ctx.texts, ctx.languages)
    return ctx.phrases


def text_phrases(texts: dict[str, str], languages: Sequence[str]) -> dict[str, list[Evidence]]:
    """Phrase evidence by indicator in these text fields, for the market's languages."""
    merged: dict[str, list[Evidence]] = {}
    for language in languages:
        bank = phrase_bank(language)
        for field_name, text in texts.items():
            for ind_id, evidence in scan_all(bank, text, field_name).items():
                merged.setdefault(ind_id, []).extend(evidence)
    return merged


def weak_suffix(spec: IndicatorSpec) -> str:
    return " (weak on its own; counts alongside other signals)" if spec.weak_alone else ""


class PhraseDetector:
    """Fires when any phrase of the indicator's lists appears, not negated, in any text field."""

    def __init__(self, spec: IndicatorSpec, *, per_match: float = 0.6) -> None:
        self.spec = spec
        self._per_match = per_match

    def find(self, ctx: AdvertContext) -> list[Evidence]:
        phrases = ctx.phrases
        if phrases is None:
            phrases = advert_phrases(ctx)
        found = phrases.get(self.spec.id)
        # A fresh list: subclasses append field evidence to what they are given.
        return list(found) if found else []

    def strength(self, evidence: list[Evidence]) -> float:
        boosted = False
        count = 0.0
        # One plain loop: this runs for every phrase hit, and generator expressions in any()
        # and sum() cost more than the work they do here.
        for e in evidence:
            if e.note == DAMPENED:
                count += 0.5
            else:
                count += 1.0
                if e.note == BOOSTED:
                    boosted = True
        # Two distinct phrases are more telling than one; a third adds little more.
        return min(1.0, self._per_match * count + (0.2 if boosted else 0.0))

    def detect(self, ctx: AdvertContext) -> Hit | None:
        # `find` inlined: most adverts have no phrase of most indicators, and this runs for each.
        phrases = ctx.phrases
        if phrases is None:
            phrases = advert_phrases(ctx)
        evidence = phrases.get(self.spec.id)
        if not evidence:
            return None
        n = len(evidence)
        return Hit(
            indicator=self.spec.id,
            strength=self.strength(evidence),
            explanation=(
                f"{self.spec.title}: {n} phrase{'s' if n > 1 else ''} found{weak_suffix(self.spec)}"
            ),
            evidence=tuple(evidence[:MAX_EVIDENCE]),
        )
