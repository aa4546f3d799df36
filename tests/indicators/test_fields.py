"""Detectors over advert fields and extraction results (Extraction objects built directly)."""

from __future__ import annotations

from asw_guard.models import Account, Location, Price
from asw_guard.normalise.models import (
    AgeMatch,
    AvailabilityMatch,
    EmailMatch,
    Extraction,
    HandleMatch,
    PhoneMatch,
    PriceMatch,
    WeightMatch,
)

from .helpers import context, detect, link, spans

BODY = "Hi, I am Mia. Call 07700 900123 any time."
PHONE_AT = BODY.index("07700")


def phone(region: str = "GB", *, obfuscated: bool = False) -> PhoneMatch:
    return PhoneMatch(
        start=PHONE_AT,
        end=PHONE_AT + 12,
        e164="+447700900123",
        region=region,
        kind="mobile",
        valid=True,
        obfuscated=obfuscated,
    )


def test_foreign_number() -> None:
    # Fixtures use drama-range numbers only; the region field is what the detector reads.
    ctx = context(BODY, extraction=Extraction(phones=[phone("RO")]))
    hit = detect("foreign_number", ctx)
    assert hit is not None and "RO" in hit.explanation
    assert spans(hit, ctx) == ["07700 900123"]
    assert detect("foreign_number", context(BODY, extraction=Extraction(phones=[phone()]))) is None


def test_obfuscated_contact() -> None:
    ctx = context(BODY, extraction=Extraction(phones=[phone(obfuscated=True)]))
    hit = detect("obfuscated_contact", ctx)
    assert hit is not None and spans(hit, ctx) == ["07700 900123"]
    email = EmailMatch(start=0, end=2, canonical="a@example.org", obfuscated=False)
    plain = Extraction(phones=[phone()], emails=[email])
    assert detect("obfuscated_contact", context(BODY, extraction=plain)) is None


def test_incall_only_from_fields() -> None:
    assert detect("incall_only", context(BODY, incall=True, outcall=False)) is not None
    assert detect("incall_only", context(BODY, incall=True, outcall=True)) is None
    assert detect("incall_only", context(BODY, incall=True)) is None


def test_long_hours_from_extraction() -> None:
    always = Extraction(availability=[AvailabilityMatch(start=0, end=5, always=True)])
    assert detect("long_hours", context(BODY, extraction=always)) is not None
    evenings = Extraction(
        availability=[AvailabilityMatch(start=0, end=5, hours_per_day=6, days_per_week=5)]
    )
    assert detect("long_hours", context(BODY, extraction=evenings)) is None


def test_low_weight_from_extraction() -> None:
    body = "Slim, 45kg, 160cm."
    ctx = context(body, extraction=Extraction(weights=[WeightMatch(start=6, end=10, kg=45)]))
    hit = detect("low_weight", ctx)
    assert hit is not None and spans(hit, ctx) == ["45kg"]
    heavier = Extraction(weights=[WeightMatch(start=6, end=10, kg=58)])
    assert detect("low_weight", context("Slim, 58kg, 160cm.", extraction=heavier)) is None


def test_coded_price_from_extraction() -> None:
    body = "An hour: 200 kisses."
    coded = PriceMatch(
        start=9, end=19, amount=200, currency=None, minutes=60, per_hour=200, coded=True
    )
    ctx = context(body, extraction=Extraction(prices=[coded]))
    hit = detect("coded_price", ctx)
    assert hit is not None and spans(hit, ctx) == ["200 kisses"]


def test_youth_age_under_18_is_decisive() -> None:
    hit = detect("youth_language", context(BODY, advertised_age=17))
    assert hit is not None and hit.strength == 1.0
    text_age = Extraction(ages=[AgeMatch(start=0, end=2, value=16)])
    hit = detect("youth_language", context("16 years, call me.", extraction=text_age))
    assert hit is not None and hit.strength == 1.0
    assert detect("youth_language", context(BODY, advertised_age=19)) is None


def test_untraceable_payment() -> None:
    hit = detect("untraceable_payment", context(BODY, payment_method="Prepaid voucher"))
    assert hit is not None
    assert detect("untraceable_payment", context(BODY, labels={"paid_by_other": True})) is not None
    assert detect("untraceable_payment", context(BODY, payment_method="card")) is None


def test_high_ad_spend_against_peers() -> None:
    from asw_guard.indicators import default_registry

    detector = default_registry().get("high_ad_spend")
    for i in range(30):
        peer = Account(id=f"acc-{i}", ad_spend_30d=40.0 + i)
        assert detector.detect(context(BODY, account=peer)) is None
    big = Account(id="acc-big", ad_spend_30d=24_000.0)
    hit = detector.detect(context(BODY, account=big))
    assert hit is not None and "times the median" in hit.explanation
    assert detector.detect(context(BODY)) is None


def test_messaging_only_from_handles() -> None:
    handle = HandleMatch(start=0, end=4, platform="telegram", handle="@mia")
    ctx = context("@mia on the app.", extraction=Extraction(handles=[handle]))
    assert detect("messaging_only_contact", ctx) is not None
    both = Extraction(handles=[handle], phones=[phone()])
    assert detect("messaging_only_contact", context(BODY, extraction=both)) is None


def test_checklist_items_fire_on_operator_labels_only() -> None:
    for item in ("face_obscured", "body_marks", "same_background"):
        assert detect(item, context(BODY)) is None
        hit = detect(item, context(BODY, labels={item: True}))
        assert hit is not None and hit.evidence[0].field == f"labels.{item}"
    assert detect("same_background", context(BODY, links=[link("background")])) is not None


def test_no_video_verification_label() -> None:
    ctx = context(BODY, labels={"no_video_verification": True})
    assert detect("no_video_verification", ctx) is not None


def test_prices_from_advert_fields_reach_the_price_detector() -> None:
    from asw_guard.indicators import PriceBook, default_registry

    registry = default_registry(PriceBook())
    ctx = context(BODY, prices=[Price(amount=15, minutes=30)], location=Location(city="London"))
    hit = registry.get("low_price").detect(ctx)
    assert hit is not None and hit.evidence[0].field == "prices[0]"
    assert "30 GBP an hour" in hit.explanation
