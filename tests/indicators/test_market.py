"""The price detector judges prices against the city in the operator's own inventory."""

from __future__ import annotations

import json
from pathlib import Path

from asw_guard.indicators import PriceBook, default_registry
from asw_guard.indicators.base import AdvertContext
from asw_guard.indicators.market import robust_z
from asw_guard.models import Location
from asw_guard.normalise.models import Extraction, PriceMatch

from .helpers import context, spans

BODY = "Half hour 40, hour 70, call me."


def priced(
    city: str,
    *,
    amount: float = 70.0,
    minutes: int | None = 60,
    per_hour: float | None = None,
    currency: str | None = "GBP",
) -> AdvertContext:
    start = BODY.index("hour 70") + 5
    price = PriceMatch(
        start=start,
        end=start + 2,
        amount=amount,
        currency=currency,
        minutes=minutes,
        per_hour=per_hour,
    )
    return context(BODY, extraction=Extraction(prices=[price]), location=Location(city=city))


def test_prior_flags_a_very_low_uk_price_with_a_span() -> None:
    detector = default_registry(PriceBook()).get("low_price")
    ctx = priced("Leeds", amount=40)
    hit = detector.detect(ctx)
    assert hit is not None and "far below" in hit.explanation
    assert spans(hit, ctx) == ["70"]  # the price as written, not the computed hourly rate
    assert detector.detect(priced("Leeds", amount=140)) is None


def test_duration_is_taken_into_account() -> None:
    detector = default_registry(PriceBook()).get("low_price")
    # 40 for 20 minutes is 120 an hour: ordinary.
    assert detector.detect(priced("Leeds", amount=40, minutes=20)) is None
    # No duration, no hourly scale: no judgement rather than a guess.
    assert detector.detect(priced("Leeds", amount=10, minutes=None)) is None


def test_city_market_learns_from_the_inventory() -> None:
    book = PriceBook()
    for i in range(200):
        book.observe("GBP", "Hull", 60.0 + (i % 11))
        book.observe("GBP", "London", 240.0 + (i % 21))
    detector = default_registry(book).get("low_price")
    # 60 an hour is ordinary where the market sits at 65, low where it sits at 250.
    assert detector.detect(priced("Hull", amount=60)) is None
    assert detector.detect(priced("London", amount=60)) is not None
    assert robust_z(60.0, book.reference("GBP", "Hull")) > -1


def test_far_above_market_is_a_weaker_signal() -> None:
    detector = default_registry(PriceBook()).get("low_price")
    hit = detector.detect(priced("Leeds", amount=2000))
    assert hit is not None and "far above" in hit.explanation and hit.strength == 0.5


def test_other_currencies_are_not_compared() -> None:
    detector = default_registry(PriceBook()).get("low_price")
    assert detector.detect(priced("Leeds", amount=20, currency="EUR")) is None


def test_checks_update_the_book_unless_told_not_to() -> None:
    book = PriceBook()
    detector = default_registry(book).get("low_price")
    detector.detect(priced("York"))
    assert book.count("GBP", "york") == 1
    ctx = priced("York")
    ctx.extra["record_prices"] = False
    detector.detect(ctx)
    assert book.count("GBP", "York") == 1


def test_state_round_trips_through_json(tmp_path: Path) -> None:
    book = PriceBook()
    for v in (100.0, 120.0, 130.0):
        book.observe("GBP", "Bath", v)
    path = tmp_path / "prices.json"
    book.save(path)
    again = PriceBook.load(path)
    assert again.reference("GBP", "Bath") == book.reference("GBP", "Bath")
    assert json.loads(path.read_text())["version"] == 1


def test_book_is_safe_to_share_between_threads() -> None:
    from concurrent.futures import ThreadPoolExecutor

    book = PriceBook()

    def work(i: int) -> None:
        for j in range(300):
            book.observe("GBP", "Leeds", 100.0 + (i * j) % 50)
            book.reference("GBP", "Leeds")

    with ThreadPoolExecutor(4) as pool:
        list(pool.map(work, range(4)))
    assert book.count("GBP", "Leeds") == 400  # bounded sample
