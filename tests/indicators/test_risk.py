"""Indicators through `asw_guard.risk.assess` under the uk-default bands."""

from __future__ import annotations

import pytest

from asw_guard.indicators import Hit, load_specs
from asw_guard.models import Band
from asw_guard.policy.loader import load_policy
from asw_guard.risk import assess

from .helpers import REGISTRY, context

SPECS = load_specs()


def uk_bands() -> dict[Band, float]:
    bands = load_policy("uk-default").policy.bands
    return {Band.MEDIUM: bands.medium, Band.HIGH: bands.high, Band.CRITICAL: bands.critical}


#: Network signals that are strong by design (one contact behind different people) may hold on
#: their own; every other indicator is a weak signal that must not.
STRONG_ALONE = {"shared_contact_distinct_people"}


@pytest.mark.parametrize("indicator", sorted(set(SPECS) - STRONG_ALONE))
def test_one_indicator_alone_never_reaches_a_hold(indicator: str) -> None:
    # Youth wording without an under-18 age stops short of full strength (see YouthLanguage).
    strength = 0.9 if indicator == "youth_language" else 1.0
    result = assess([Hit(indicator, strength, "x")], SPECS, bands=uk_bands())
    assert result.band.rank < Band.HIGH.rank, (indicator, result.score)


def test_a_touring_independent_stays_low() -> None:
    ctx = context(
        "New in town for three days only! Just arrived, visiting from Bristol. "
        "Incall only, WhatsApp only. I never do bareback, always safe. Site rules: all ages "
        "verified, no under 18s."
    )
    hits = REGISTRY.run(ctx, frozenset(s.id for s in SPECS.values() if s.enabled_by_default))
    assert {h.indicator for h in hits} >= {"new_in_town", "incall_only"}
    assert "unprotected_services" not in {h.indicator for h in hits}
    assert "youth_language" not in {h.indicator for h in hits}
    result = assess(hits, SPECS, bands=uk_bands())
    assert result.band is Band.LOW, result.score
    assert (
        "weak on its own"
        in next(r for r in result.reasons if r.indicator == "new_in_town").explanation
    )


def test_signals_across_categories_accumulate() -> None:
    one = assess([Hit("handler_reference", 1.0, "x")], SPECS)
    several = assess(
        [
            Hit("handler_reference", 1.0, "x"),
            Hit("unprotected_services", 1.0, "x"),
            Hit("obfuscated_contact", 1.0, "x"),
            Hit("reused_images", 1.0, "x"),
        ],
        SPECS,
    )
    assert several.score > one.score
    assert several.band.rank > one.band.rank


def test_sensitive_indicator_is_capped() -> None:
    result = assess(
        [Hit("nationality_reference", 1.0, "x")], SPECS, weights={"nationality_reference": 1.0}
    )
    assert result.score <= 5.0


def test_under_18_goes_to_the_top() -> None:
    hit = REGISTRY.get("youth_language").detect(context("Call me.", advertised_age=16))
    assert hit is not None
    assert assess([hit], SPECS, bands=uk_bands()).band is Band.CRITICAL
