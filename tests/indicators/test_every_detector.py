"""One positive and one hard negative for every indicator in the catalogue, in one table.

The table must name every indicator: a new catalogue entry fails here until it has both.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from asw_guard.indicators import AdvertContext, PriceBook, default_registry, load_specs
from asw_guard.linking import Link
from asw_guard.models import Account, Location
from asw_guard.normalise.models import (
    AvailabilityMatch,
    Extraction,
    PhoneMatch,
    PriceMatch,
    WeightMatch,
)

from .helpers import ME, context, link

Case = tuple[Callable[[], AdvertContext], Callable[[], AdvertContext]]


def _phone(region: str, obfuscated: bool = False) -> Extraction:
    return Extraction(
        phones=[
            PhoneMatch(start=5, end=17, e164="+447700900123", region=region, kind="mobile",
                       valid=True, obfuscated=obfuscated)
        ]
    )  # fmt: skip


def _price(amount: float) -> Extraction:
    return Extraction(
        prices=[PriceMatch(start=0, end=3, amount=amount, currency="GBP", minutes=60,
                           per_hour=amount)]
    )  # fmt: skip


def _weight(kg: float) -> Extraction:
    return Extraction(weights=[WeightMatch(start=0, end=4, kg=kg)])


def text(pos: str, neg: str, **kw: Any) -> Case:
    return (lambda: context(pos, **kw)), (lambda: context(neg, **kw))


def links(pos: list[Link], neg: list[Link], **kw: Any) -> Case:
    return (lambda: context(links=pos, **kw)), (lambda: context(links=neg, **kw))


MENU = "GFE, PSE, OWO, CIM, DFK, anal, rimming, watersports, BDSM, role play."

CASES: dict[str, Case] = {
    "inconsistent_age": links([link("phone", alias_key=ME, age=19)],
                              [link("phone", alias_key=ME, age=28)], advertised_age=27),
    "inconsistent_alias": links([link("phone", age=27)], [link("phone", age=40)],
                                advertised_age=27),
    "shared_contact_distinct_people": links([link("email")], [link("email", alias_key=ME)]),
    "shared_payment_or_device": links([link("payment")], [link("device", alias_key=ME)]),
    "multi_person_advert": text("Three ladies available.", "No two girls at once."),
    "third_person_language": text("She loves dinner dates.", "The shelf is full."),
    "shared_template_text": links([link("text")], [link("text", alias_key=ME, account_id="acc-1")]),
    "shared_writing_errors": links([link("rare_token")], [link("phone")]),
    "sequential_numbers": links([link("close_number")], [link("ip")]),
    "account_controls_many": links(
        [link("phone", f"ad-{i}", account_id="acc-1", alias_key=bytes([i])) for i in range(3)],
        [link("phone", f"ad-{i}", alias_key=bytes([i])) for i in range(3)],
    ),
    "rotating_at_address": links([link("address")], [link("address", alias_key=ME)]),
    "new_in_town": text("On tour this week.", "Not visiting, I live here."),
    "foreign_number": (lambda: context(extraction=_phone("RO")),
                       lambda: context(extraction=_phone("GB"))),
    "multi_city": links([link("phone", city="York")], [link("phone", city="Hull")],
                        location=Location(city="Hull")),
    "incall_only": text("Incall only.", "Incall and outcall."),
    "handler_reference": text("My driver will bring me.", "Without my driver, I come alone."),
    "long_hours": (lambda: context(extraction=Extraction(
                       availability=[AvailabilityMatch(start=0, end=3, always=True)])),
                   lambda: context("Not 24/7, afternoons only.")),
    "long_bookings": text("Fortnight stay available.", "No weekly bookings."),
    "unprotected_services": text("Bareback on request.", "I never do bareback."),
    "broad_services": text(MENU, "GFE and massage."),
    "low_price": (lambda: context(extraction=_price(30), location=Location(city="Leeds")),
                  lambda: context(extraction=_price(160), location=Location(city="Leeds"))),
    "coded_price": text("An hour is 150 roses.", "Roses are my favourite flowers."),
    "low_weight": (lambda: context(extraction=_weight(44)),
                   lambda: context(extraction=_weight(62))),
    "youth_language": text("Barely legal and sweet.",
                           "Site rules: all ages verified, no teen talk."),
    "no_video_verification": text("No verification, no questions.", "Happy to video call first."),
    "verified_profile_swap": (lambda: context(links=[link("photo")], verified=True),
                              lambda: context(links=[link("photo")], verified=False)),
    "reused_images": links([link("photo")], [link("photo", alias_key=ME, account_id="acc-1")]),
    "same_background": text("x", "x", labels={"same_background": True}),
    "face_obscured": text("x", "x", labels={"face_obscured": True}),
    "body_marks": text("x", "x", labels={"body_marks": True}),
    "untraceable_payment": text("x", "x", payment_method="paysafecard"),
    "high_ad_spend": (lambda: context(account=Account(id="a", ad_spend_30d=20_000.0)),
                      lambda: context(account=Account(id="b", ad_spend_30d=80.0))),
    "messaging_only_contact": text("Telegram only.", "Call or Telegram."),
    "client_ethnicity_restriction": text("No foreign clients.", "Everyone is welcome."),
    "nationality_reference": text("Brazilian beauty in town.", "I speak fluent English."),
    "review_distress": (lambda: context(reviews=["She seemed scared the whole time."]),
                        lambda: context("She seemed scared.", reviews=["Great company."])),
    "emoji_codes": text("Call me 👑", "Call me 😊"),
    "obfuscated_contact": (lambda: context(extraction=_phone("GB", obfuscated=True)),
                           lambda: context(extraction=_phone("GB"))),
}  # fmt: skip

# Checklist items and payment are silent without their field: their hard negative is the same
# advert without the label or field.
WITHOUT_FIELD = {"same_background", "face_obscured", "body_marks", "untraceable_payment"}


def test_table_names_every_indicator() -> None:
    assert set(CASES) == set(load_specs())


@pytest.mark.parametrize("indicator", sorted(CASES))
def test_fires_on_positive_and_not_on_hard_negative(indicator: str) -> None:
    registry = default_registry(PriceBook())
    detector = registry.get(indicator)
    positive, negative = CASES[indicator]
    hit = detector.detect(positive())
    assert hit is not None, indicator
    assert hit.indicator == indicator and 0 < hit.strength <= 1 and hit.explanation
    assert hit.evidence, "every hit says where its signal is"
    neg = context("x") if indicator in WITHOUT_FIELD else negative()
    assert detector.detect(neg) is None, indicator
