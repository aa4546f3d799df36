"""Detectors driven by phrase lists in `data/phrases/<language>.yaml`.

Adding a language is adding a file; adding a phrase is editing data, not code.
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


@dataclass(frozen=True, slots=True)
class PhraseList:
    pattern: re.Pattern[str]
    negations: tuple[str, ...]
    boosters: tuple[str, ...]


@cache
def phrase_lists(language: str) -> dict[str, PhraseList]:
    folder = resources.files("asw_guard.indicators").joinpath("data/phrases")
    entry = folder.joinpath(f"{language}.yaml")
    if not entry.is_file():
        return {}
    raw: dict[str, dict[str, Any]] = yaml.safe_load(entry.read_text("utf-8")) or {}
    return {
        ind_id: PhraseList(
            pattern=re.compile("|".join(f"(?:{p})" for p in spec["patterns"]), re.IGNORECASE),
            negations=tuple(n.lower() for n in spec.get("negations", ())),
            boosters=tuple(b.lower() for b in spec.get("boosters", ())),
        )
        for ind_id, spec in raw.items()
    }


def _negated(text: str, start: int, negations: tuple[str, ...]) -> bool:
    before = text[max(0, start - NEGATION_WINDOW) : start].lower()
    return any(re.search(rf"(?:^|\W){re.escape(n)}\W", before) for n in negations)


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
                for m in plist.pattern.finditer(text):
                    if plist.negations and _negated(text, m.start(), plist.negations):
                        continue
                    note = None
                    if plist.boosters:
                        near = text[max(0, m.start() - BOOSTER_WINDOW) : m.end() + BOOSTER_WINDOW]
                        if any(b in near.lower() for b in plist.boosters):
                            note = "boosted by nearby wording"
                    evidence.append(
                        Evidence(
                            kind="text", field=field_name, start=m.start(), end=m.end(), note=note
                        )
                    )
        return evidence

    def detect(self, ctx: AdvertContext) -> Hit | None:
        evidence = self.find(ctx)
        if not evidence:
            return None
        boosted = any(e.note for e in evidence)
        # Two distinct phrases are more telling than one; a third adds little more.
        strength = min(1.0, self._per_match * len(evidence) + (0.2 if boosted else 0.0))
        n = len(evidence)
        return Hit(
            indicator=self.spec.id,
            strength=strength,
            explanation=f"{self.spec.title}: {n} phrase{'s' if n > 1 else ''} found",
            evidence=tuple(evidence[:10]),
        )
