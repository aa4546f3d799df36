"""The indicator catalogue: specs, detectors and the registry that runs them."""

from __future__ import annotations

from asw_guard.indicators.advert import ChecklistItem, ObfuscatedContact, YouthLanguage
from asw_guard.indicators.base import (
    AdvertContext,
    Detector,
    Hit,
    IndicatorRegistry,
    IndicatorSpec,
)
from asw_guard.indicators.catalogue import load_specs, spec
from asw_guard.indicators.network import SharedContactDistinctPeople
from asw_guard.indicators.phrases import PhraseDetector

__all__ = [
    "AdvertContext",
    "Detector",
    "Hit",
    "IndicatorRegistry",
    "IndicatorSpec",
    "default_registry",
    "load_specs",
    "spec",
]


def default_registry() -> IndicatorRegistry:
    """Every built-in detector, in catalogue order."""
    special = {
        "youth_language": YouthLanguage,
        "obfuscated_contact": ObfuscatedContact,
        "shared_contact_distinct_people": SharedContactDistinctPeople,
    }
    registry = IndicatorRegistry()
    for ind_id, s in load_specs().items():
        detector: Detector
        if ind_id in special:
            detector = special[ind_id](s)
        elif s.scope == "checklist":
            detector = ChecklistItem(s)
        else:
            detector = PhraseDetector(s)
        registry.add(detector)
    return registry
