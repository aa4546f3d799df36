"""Detectors driven by phrase lists in `data/phrases/<language>.yaml`.

Adding a language is adding a file; adding a phrase is editing data, not code. Each indicator's
phrases compile to one word-bounded alternation per language, once per process, so a check costs
one regex scan per indicator and text field.

Context words change what a match means:

- `negations` standing just before a match silence it ("I never do bareback", "no teens").
- `suppressors` in the same sentence silence it: quoted site rules and disclaimers ("no under
  18s", "all ages verified") use the very words a detector looks for.
- `boosters` near a match raise the hit's strength ("young" beside "fresh").
"""

from __future__ import annotations

import re
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


def _alternation(items: list[str], *, literal: bool) -> str:
    parts = [re.escape(i) if literal else i for i in items]
    # Word-bounded on both sides without relying on \b, which misbehaves next to punctuation
    # that starts or ends a phrase ("24/7", "18+").
    return r"(?<!\w)(?:" + "|".join(f"(?:{p})" for p in parts) + r")(?!\w)"


def compile_list(raw: dict[str, Any]) -> PhraseList:
    negations = [n.strip() for n in raw.get("negations", ())]
    suppressors = list(raw.get("suppressors", ()))
    boosters = list(raw.get("boosters", ()))
    return PhraseList(
        pattern=re.compile(_alternation(list(raw["patterns"]), literal=False), re.IGNORECASE),
        # The negation must stand at most two words before the match ("never do bareback"), so
        # "not shy and love bareback" stays a match.
        negation=(
            re.compile(
                _alternation(negations, literal=True) + r"(?:[\s,'’-]+\w+){0,2}[\s,'’-]*$",
                re.IGNORECASE,
            )
            if negations
            else None
        ),
        suppressor=(
            re.compile(_alternation(suppressors, literal=False), re.IGNORECASE)
            if suppressors
            else None
        ),
        booster=(
            re.compile(_alternation(boosters, literal=True), re.IGNORECASE) if boosters else None
        ),
    )


@cache
def phrase_lists(language: str) -> dict[str, PhraseList]:
    """Every indicator's compiled phrases in one language; empty when the language has none."""
    folder = resources.files("asw_guard.indicators").joinpath("data/phrases")
    entry = folder.joinpath(f"{language}.yaml")
    if not entry.is_file():
        return {}
    raw: dict[str, dict[str, Any]] = yaml.safe_load(entry.read_text("utf-8")) or {}
    return {ind_id: compile_list(spec) for ind_id, spec in raw.items()}


def available_languages() -> list[str]:
    folder = resources.files("asw_guard.indicators").joinpath("data/phrases")
    return sorted(
        p.name.removesuffix(".yaml") for p in folder.iterdir() if p.name.endswith(".yaml")
    )


def _sentence(text: str, start: int, end: int) -> tuple[int, int]:
    """Bounds of the sentence around [start, end), capped to a window each side."""
    lo = max(0, start - SUPPRESSOR_WINDOW)
    left = lo
    for m in _SENTENCE_END.finditer(text, lo, start):
        left = m.end()
    hi = min(len(text), end + SUPPRESSOR_WINDOW)
    stop = _SENTENCE_END.search(text, end, hi)
    return left, (stop.start() if stop else hi)


def scan(plist: PhraseList, text: str, field_name: str) -> list[Evidence]:
    """Spans of `text` where the list's phrases stand, unsilenced by negation or site rule."""
    found: list[Evidence] = []
    for m in plist.pattern.finditer(text):
        start, end = m.start(), m.end()
        if plist.negation is not None and plist.negation.search(
            text, max(0, start - NEGATION_WINDOW), start
        ):
            continue
        if plist.suppressor is not None:
            lo, hi = _sentence(text, start, end)
            if plist.suppressor.search(text, lo, hi):
                continue
        note = None
        if plist.booster is not None and plist.booster.search(
            text, max(0, start - BOOSTER_WINDOW), min(len(text), end + BOOSTER_WINDOW)
        ):
            note = "boosted by nearby wording"
        found.append(Evidence(kind="text", field=field_name, start=start, end=end, note=note))
    return found


def weak_suffix(spec: IndicatorSpec) -> str:
    return " (weak on its own; counts alongside other signals)" if spec.weak_alone else ""


class PhraseDetector:
    """Fires when any phrase of the indicator's lists appears, not negated, in any text field."""

    def __init__(self, spec: IndicatorSpec, *, per_match: float = 0.6) -> None:
        self.spec = spec
        self._per_match = per_match

    def find(self, ctx: AdvertContext) -> list[Evidence]:
        evidence: list[Evidence] = []
        for language in ctx.languages:
            plist = phrase_lists(language).get(self.spec.id)
            if plist is None:
                continue
            for field_name, text in ctx.texts.items():
                evidence.extend(scan(plist, text, field_name))
        return evidence

    def strength(self, evidence: list[Evidence]) -> float:
        boosted = any(e.note for e in evidence)
        # Two distinct phrases are more telling than one; a third adds little more.
        return min(1.0, self._per_match * len(evidence) + (0.2 if boosted else 0.0))

    def detect(self, ctx: AdvertContext) -> Hit | None:
        evidence = self.find(ctx)
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
