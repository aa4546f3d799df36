"""Risk assessment: weak signals combined the way investigators weigh them, and explained.

Each hit contributes `weight x strength`. Hits in one category overlap (two kinds of
third-party wording say much the same), so within a category only the strongest counts in full
and the rest add a little. Across categories, contributions combine like independent pieces of
evidence: 1 - prod(1 - c). A single weak indicator therefore stays low, while several weak
signals from different categories, or a strong network signal, climb.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from asw_guard.indicators import Hit, IndicatorSpec
from asw_guard.models import Band, Reason

#: Lower bounds of each band on the 0-100 score; the policy may override them.
DEFAULT_BANDS: Mapping[Band, float] = {Band.MEDIUM: 20.0, Band.HIGH: 45.0, Band.CRITICAL: 70.0}
#: Share of a second and later hit in the same category that still counts.
SAME_CATEGORY_DISCOUNT = 0.25
#: A sensitive indicator (nationality, language) may never carry more than this much.
SENSITIVE_CAP = 0.05


@dataclass(frozen=True, slots=True)
class Assessment:
    score: float
    band: Band
    reasons: list[Reason]
    categories: frozenset[str]


def band_for(score: float, bands: Mapping[Band, float] = DEFAULT_BANDS) -> Band:
    for band in (Band.CRITICAL, Band.HIGH, Band.MEDIUM):
        if score >= bands[band]:
            return band
    return Band.LOW


def assess(
    hits: Sequence[Hit],
    specs: Mapping[str, IndicatorSpec],
    weights: Mapping[str, float] | None = None,
    bands: Mapping[Band, float] = DEFAULT_BANDS,
) -> Assessment:
    weights = weights or {}
    by_category: dict[str, list[float]] = {}
    reasons: list[tuple[float, Reason]] = []
    for hit in hits:
        s = specs[hit.indicator]
        weight = weights.get(hit.indicator, s.default_weight)
        contribution = weight * hit.strength
        if s.sensitive:
            contribution = min(contribution, SENSITIVE_CAP)
        by_category.setdefault(s.category, []).append(contribution)
        reasons.append(
            (
                contribution,
                Reason(
                    indicator=hit.indicator,
                    category=s.category,
                    explanation=hit.explanation,
                    weight=float(round(contribution, 4)),
                    evidence=list(hit.evidence),
                ),
            )
        )
    remaining = 1.0
    for contributions in by_category.values():
        contributions.sort(reverse=True)
        combined = contributions[0] + SAME_CATEGORY_DISCOUNT * sum(contributions[1:])
        remaining *= 1.0 - min(combined, 0.99)
    score = round(100.0 * (1.0 - remaining), 2)
    if any(h.indicator == "youth_language" and h.strength >= 1.0 for h in hits):
        # An advertised age under 18 is decisive whatever else the advert says.
        score = max(score, 95.0)
    reasons.sort(key=lambda pair: -pair[0])
    return Assessment(
        score=score,
        band=band_for(score, bands),
        reasons=[r for _, r in reasons],
        categories=frozenset(by_category),
    )
