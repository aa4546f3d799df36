"""The indicator catalogue: specs, detectors and the registry that runs them."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import partial

from asw_guard.indicators import advert as a
from asw_guard.indicators import network as n
from asw_guard.indicators.base import (
    AdvertContext,
    Detector,
    Hit,
    IndicatorRegistry,
    IndicatorSpec,
)
from asw_guard.indicators.catalogue import load_specs, spec
from asw_guard.indicators.market import HighAdSpend, LowPrice, PriceBook, Prior
from asw_guard.indicators.phrases import PhraseDetector

__all__ = [
    "DETECTORS",
    "AdvertContext",
    "Detector",
    "Hit",
    "IndicatorRegistry",
    "IndicatorSpec",
    "PriceBook",
    "Prior",
    "default_registry",
    "load_specs",
    "spec",
]

Factory = Callable[[IndicatorSpec], Detector]


#: The detector behind each catalogue entry. A test checks this and data/catalogue.yaml agree
#: both ways, so a new catalogue row cannot ship without a detector or vice versa.
DETECTORS: Mapping[str, Factory] = {
    "inconsistent_age": n.InconsistentAge,
    "inconsistent_alias": n.InconsistentAlias,
    "shared_contact_distinct_people": n.SharedContactDistinctPeople,
    "multi_person_advert": PhraseDetector,
    "third_person_language": PhraseDetector,
    "shared_template_text": partial(n.LinkedDistinctPeople, other_accounts_only=True),
    "shared_writing_errors": partial(n.LinkedDistinctPeople, other_accounts_only=True),
    "sequential_numbers": partial(n.LinkedDistinctPeople, other_accounts_only=True),
    "shared_payment_or_device": n.SharedContactDistinctPeople,
    "account_controls_many": n.AccountControlsMany,
    "rotating_at_address": n.LinkedDistinctPeople,
    "new_in_town": PhraseDetector,
    "foreign_number": a.ForeignNumber,
    "multi_city": n.MultiCity,
    "incall_only": a.IncallOnly,
    "handler_reference": PhraseDetector,
    "long_hours": a.LongHours,
    "long_bookings": PhraseDetector,
    "unprotected_services": PhraseDetector,
    "broad_services": a.BroadServices,
    "low_price": LowPrice,
    "coded_price": a.CodedPrice,
    "low_weight": a.LowWeight,
    "youth_language": a.YouthLanguage,
    "no_video_verification": a.NoVideoVerification,
    "verified_profile_swap": n.VerifiedProfileSwap,
    "reused_images": partial(n.LinkedDistinctPeople, across_accounts=True),
    "same_background": a.ChecklistItem,
    "face_obscured": a.ChecklistItem,
    "body_marks": a.ChecklistItem,
    "untraceable_payment": a.UntraceablePayment,
    "high_ad_spend": HighAdSpend,
    "messaging_only_contact": a.MessagingOnlyContact,
    "client_ethnicity_restriction": PhraseDetector,
    "nationality_reference": PhraseDetector,
    "review_distress": a.ReviewDistress,
    "emoji_codes": a.EmojiCodes,
    "obfuscated_contact": a.ObfuscatedContact,
}


def default_registry(price_book: PriceBook | None = None) -> IndicatorRegistry:
    """Every built-in detector, in catalogue order.

    `price_book` carries the operator's market statistics across checks (and processes, via its
    JSON state); without one, the price detector starts from the market prior.
    """
    registry = IndicatorRegistry()
    for ind_id, s in load_specs().items():
        if ind_id == "low_price":
            registry.add(LowPrice(s, price_book))
        else:
            registry.add(DETECTORS[ind_id](s))
    return registry
