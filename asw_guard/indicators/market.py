"""Market awareness: a price or an advertising spend judged against the operator's own inventory.

Prices differ by city, currency and length of booking, so a fixed threshold would flag every
cheap town and miss every dear one. `PriceBook` keeps a bounded sample of hourly prices per
(currency, city) and judges a new price by its robust distance from the median (median and MAD
resist the outliers this detector looks for). A new city or a new market starts from a prior for
the currency; the observed sample takes over as it grows.
"""

from __future__ import annotations

import json
import statistics
import threading
from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from asw_guard.indicators.base import AdvertContext, Hit, IndicatorSpec
from asw_guard.indicators.phrases import weak_suffix
from asw_guard.models import Evidence

#: Scales a MAD to a standard deviation for normally distributed data.
MAD_TO_SD = 1.4826
#: How many observations weigh as much as the prior: small enough to learn a city within a day.
PRIOR_STRENGTH = 20.0
#: Observations kept per (currency, city); older ones fall out so the book follows the market.
SAMPLE_SIZE = 400
#: Robust z-scores at which a price is low, and (far) high. High prices are odder, rarer signals.
LOW_Z = -2.5
HIGH_Z = 5.0
#: Bound on the accounts whose last spend is remembered, so memory stays flat in a long process.
MAX_ACCOUNTS_REMEMBERED = 100_000
#: Hourly prices below this are taken as parse noise ("from 1"), not as market evidence.
MIN_HOURLY = 5.0


@dataclass(frozen=True, slots=True)
class Prior:
    median: float
    mad: float


#: Hourly prices for a market the book has not seen yet, from public price surveys of the
#: currency's main markets. With these, a prior alone flags a UK hour under about 55 GBP.
HOURLY_PRIORS: Mapping[str, Prior] = {
    "GBP": Prior(150.0, 25.0),
    "EUR": Prior(150.0, 30.0),
    "USD": Prior(200.0, 40.0),
    "PLN": Prior(400.0, 80.0),
    "RON": Prior(450.0, 100.0),
}
#: Advertising spend over 30 days, per account.
SPEND_PRIORS: Mapping[str, Prior] = {"GBP": Prior(60.0, 40.0), "EUR": Prior(70.0, 45.0)}
GENERIC_PRIOR = Prior(150.0, 35.0)


class RobustSample:
    """A bounded sample with its median and median absolute deviation.

    The statistics are recomputed only after the sample has changed by about 3%: a market moves
    slowly, and sorting a full sample on every check would cost more than all phrase detectors.
    """

    REFRESH_SHARE = 1 / 32

    def __init__(self, values: Iterable[float] = (), maxlen: int = SAMPLE_SIZE) -> None:
        self.values: deque[float] = deque(values, maxlen=maxlen)
        self._stats: tuple[float, float] | None = None
        self._changes = 0

    def add(self, value: float) -> None:
        self.values.append(value)
        self._changes += 1

    def __len__(self) -> int:
        return len(self.values)

    def median_mad(self) -> tuple[float, float]:
        if self._stats is None or self._changes > len(self.values) * self.REFRESH_SHARE:
            med = statistics.median(self.values)
            self._stats = (med, statistics.median([abs(v - med) for v in self.values]))
            self._changes = 0
        return self._stats


#: Stands in for a market or city not seen yet; `blend` never reads the statistics of an empty one.
_NO_SAMPLE = RobustSample(maxlen=0)


def blend(sample: RobustSample, prior: Prior) -> Prior:
    """The sample's median and MAD shrunk toward the prior by how little data there is."""
    n = len(sample)
    if n == 0:
        return prior
    med, mad = sample.median_mad()
    w = n / (n + PRIOR_STRENGTH)
    # The MAD floor keeps a city where everyone charges the same from flagging a 1% discount.
    return Prior(
        w * med + (1 - w) * prior.median, max(w * mad + (1 - w) * prior.mad, 0.1 * prior.median)
    )


def robust_z(value: float, ref: Prior) -> float:
    return (value - ref.median) / (MAD_TO_SD * ref.mad)


class PriceBook:
    """Hourly prices seen per (currency, city), with priors for markets not yet seen.

    In memory and updated on each check; `state()`/`from_state()` and `save()`/`load()` carry it
    to JSON so a store can persist it between processes. Safe to share between threads: a Guard
    is, and a sample sorted while another thread appends to it would raise.
    """

    def __init__(self, priors: Mapping[str, Prior] = HOURLY_PRIORS) -> None:
        self.priors = dict(priors)
        self._lock = threading.Lock()
        self._cities: dict[tuple[str, str], RobustSample] = {}
        self._markets: dict[str, RobustSample] = {}

    def observe(self, currency: str, city: str | None, hourly: float) -> None:
        self.observe_all(currency, city, (hourly,))

    def observe_all(self, currency: str, city: str | None, prices: Iterable[float]) -> None:
        """`observe` for each of an advert's prices, in order, under one lock."""
        key = (currency, _city(city))
        with self._lock:
            for hourly in prices:
                if hourly < MIN_HOURLY:
                    continue
                # Looked up before created: a new sample per call cost more than the add.
                sample = self._cities.get(key)
                if sample is None:
                    sample = self._cities[key] = RobustSample()
                sample.add(hourly)
                market = self._markets.get(currency)
                if market is None:
                    market = self._markets[currency] = RobustSample(maxlen=SAMPLE_SIZE * 5)
                market.add(hourly)

    def reference(self, currency: str, city: str | None) -> Prior:
        """Median and MAD for the city: its sample shrunk toward the market, the market's toward
        the prior."""
        return self.reference_and_count(currency, city)[0]

    def reference_and_count(self, currency: str, city: str | None) -> tuple[Prior, int]:
        """`reference` and `count` at once, with the city key folded once."""
        key = (currency, _city(city))
        with self._lock:
            market = blend(
                self._markets.get(currency, _NO_SAMPLE), self.priors.get(currency, GENERIC_PRIOR)
            )
            sample = self._cities.get(key, _NO_SAMPLE)
            return blend(sample, market), len(sample)

    def count(self, currency: str, city: str | None) -> int:
        return len(self._cities.get((currency, _city(city)), ()))

    def state(self) -> dict[str, Any]:
        with self._lock:
            return {
                "version": 1,
                "priors": {k: [p.median, p.mad] for k, p in self.priors.items()},
                "cities": [[c, city, list(s.values)] for (c, city), s in self._cities.items()],
                "markets": {c: list(s.values) for c, s in self._markets.items()},
            }

    @classmethod
    def from_state(cls, state: Mapping[str, Any]) -> PriceBook:
        if state.get("version") != 1:
            raise ValueError(f"unknown PriceBook state version {state.get('version')!r}")
        book = cls({k: Prior(float(m), float(d)) for k, (m, d) in state["priors"].items()})
        for currency, city, values in state["cities"]:
            book._cities[(currency, city)] = RobustSample(map(float, values))
        for currency, values in state["markets"].items():
            book._markets[currency] = RobustSample(map(float, values), maxlen=SAMPLE_SIZE * 5)
        return book

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(self.state()), "utf-8")

    @classmethod
    def load(cls, path: Path) -> PriceBook:
        return cls.from_state(json.loads(path.read_text("utf-8")))


def _city(city: str | None) -> str:
    return " ".join((city or "").casefold().split())


#: Where an hourly price was read: a body span (start, end), or the index into `Advert.prices`.
_Where = tuple[int, int] | int


def _hourly(ctx: AdvertContext) -> list[tuple[float, _Where]]:
    """Prices per hour in the market's currency, with where each was read.

    A price without a duration cannot be put on an hourly scale, so it is left out rather than
    guessed at.
    """
    out: list[tuple[float, _Where]] = []
    for p in ctx.extraction.prices:
        if p.coded or (p.currency or ctx.currency) != ctx.currency:
            continue
        hourly = p.per_hour
        if hourly is None and p.minutes:
            hourly = p.amount * 60.0 / p.minutes
        if hourly is not None and hourly >= MIN_HOURLY:
            out.append((hourly, (p.start, p.end)))
    for i, price in enumerate(ctx.advert.prices):
        if price.currency == ctx.currency and price.minutes:
            hourly = price.amount * 60.0 / price.minutes
            if hourly >= MIN_HOURLY:
                out.append((hourly, i))
    return out


def _price_evidence(where: _Where, note: str | None = None) -> Evidence:
    if isinstance(where, int):
        return Evidence(kind="field", field=f"prices[{where}]", note=note)
    return Evidence(kind="text", field="body", start=where[0], end=where[1], note=note)


def hourly_prices(ctx: AdvertContext) -> list[tuple[float, Evidence]]:
    """Prices per hour in the market's currency, from the text and the advert's price fields."""
    return [(h, _price_evidence(where)) for h, where in _hourly(ctx)]


class LowPrice:
    """A price per hour far below (or far above) the city's median in the operator's inventory.

    Judges first, then records the advert's prices, so an advert never vouches for itself. Set
    `ctx.extra["record_prices"] = False` for a preview that must not change the book.
    """

    def __init__(self, spec: IndicatorSpec, book: PriceBook | None = None) -> None:
        self.spec = spec
        self.book = book if book is not None else PriceBook()

    def detect(self, ctx: AdvertContext) -> Hit | None:
        # Evidence is built only for the price that fires, not for every price read.
        prices = _hourly(ctx)
        if not prices:
            return None
        city = ctx.advert.location.city if ctx.advert.location else None
        ref, seen = self.book.reference_and_count(ctx.currency, city)
        if ctx.extra.get("record_prices", True):
            self.book.observe_all(ctx.currency, city, [hourly for hourly, _ in prices])
        lowest = min(prices, key=lambda pair: pair[0])
        highest = max(prices, key=lambda pair: pair[0])
        z_low, z_high = robust_z(lowest[0], ref), robust_z(highest[0], ref)
        where = f"in {city}" if city else "in this market"
        basis = (
            f"median {ref.median:.0f} {ctx.currency}/hour {where}, from {seen} adverts and a prior"
        )
        if z_low <= LOW_Z:
            return Hit(
                indicator=self.spec.id,
                strength=min(1.0, 0.4 + 0.2 * (LOW_Z - z_low)),
                explanation=(
                    f"{lowest[0]:.0f} {ctx.currency} an hour is far below the local market "
                    f"({basis}){weak_suffix(self.spec)}"
                ),
                evidence=(_price_evidence(lowest[1], f"robust z {z_low:.1f}"),),
            )
        if z_high >= HIGH_Z:
            # Far-above-market prices deserve a look too, but say less than a price floor.
            return Hit(
                indicator=self.spec.id,
                strength=0.5,
                explanation=(
                    f"{highest[0]:.0f} {ctx.currency} an hour is far above the local market "
                    f"({basis})"
                ),
                evidence=(_price_evidence(highest[1], f"robust z {z_high:.1f}"),),
            )
        return None


class HighAdSpend:
    """An account's 30-day advertising spend far above the accounts seen so far."""

    #: Spend must also be this many times the median: z alone flags a tight market's small rises.
    MIN_RATIO = 5.0

    def __init__(self, spec: IndicatorSpec, priors: Mapping[str, Prior] = SPEND_PRIORS) -> None:
        self.spec = spec
        self.priors = dict(priors)
        self.samples: dict[str, RobustSample] = {}
        self._seen: dict[str, float] = {}
        self._lock = threading.Lock()

    def detect(self, ctx: AdvertContext) -> Hit | None:
        account = ctx.account
        if account is None or account.ad_spend_30d is None:
            return None
        spend = account.ad_spend_30d
        with self._lock:
            sample = self.samples.setdefault(ctx.currency, RobustSample())
            ref = blend(sample, self.priors.get(ctx.currency, Prior(60.0, 40.0)))
            # One account checked many times must not fill the sample with its own spend.
            if len(self._seen) > MAX_ACCOUNTS_REMEMBERED:
                self._seen.clear()
            if self._seen.get(account.id) != spend:
                self._seen[account.id] = spend
                sample.add(spend)
        z = robust_z(spend, ref)
        if z < HIGH_Z or spend < self.MIN_RATIO * ref.median:
            return None
        return Hit(
            indicator=self.spec.id,
            strength=min(1.0, 0.5 + 0.05 * (z - HIGH_Z)),
            explanation=(
                f"The account spent {spend:.0f} {ctx.currency} on adverts in 30 days, "
                f"{spend / ref.median:.0f} times the median account"
            ),
            evidence=(Evidence(kind="field", field="account.ad_spend_30d"),),
        )
