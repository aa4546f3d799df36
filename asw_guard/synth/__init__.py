"""A seeded synthetic marketplace with ground-truth labels, for the demo and the benchmarks."""

from asw_guard.synth.market import (
    AdvertTruth,
    Market,
    NetworkTruth,
    generate_market,
)

__all__ = ["AdvertTruth", "Market", "NetworkTruth", "generate_market"]
