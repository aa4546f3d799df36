"""What an indicator is: a spec (who, what, where from), a detector, and the hit it returns.

Modelled on recognizers in an entity analyzer: one detector per indicator, a registry that
holds them, phrase lists as data, and an explanation with evidence attached to every hit.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Literal, Protocol, cast

from asw_guard.linking import Link
from asw_guard.models import Account, Advert, Evidence
from asw_guard.normalise import Extraction

Scope = Literal["advert", "network", "checklist"]


@dataclass(frozen=True, slots=True)
class IndicatorSpec:
    """The documented identity of an indicator, shown by `asw-guard indicators`."""

    id: str
    category: str
    title: str
    description: str
    sources: tuple[str, ...]
    default_weight: float
    scope: Scope = "advert"
    #: Special-category data (ethnicity, nationality, language): off by default, never decisive.
    sensitive: bool = False
    enabled_by_default: bool = True
    #: Why the weight is what it is, when that is not obvious (e.g. a common benign signal).
    calibration_note: str | None = None
    #: Row of the shared indicator catalogue this entry implements (1-based, table order).
    source_row: int | None = None
    #: Weak on its own: the explanation says so, so a reviewer does not over-read it.
    weak_alone: bool = False
    #: Link types (ctx.links) a network detector reads: "phone", "text", "photo", ...
    link_types: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Hit:
    """One indicator firing on one advert: how strongly (0..1), why, and where."""

    indicator: str
    strength: float
    explanation: str
    evidence: tuple[Evidence, ...] = ()


@dataclass(slots=True)
class AdvertContext:
    """Everything a detector may read about the advert being checked."""

    advert: Advert
    extraction: Extraction
    #: Free-text fields by name (body, title, ...), as submitted.
    texts: dict[str, str]
    links: Sequence[Link] = ()
    alias_key: bytes | None = None
    region: str = "GB"
    languages: tuple[str, ...] = ("en",)
    #: The policy market's currency: prices in another currency are not compared with it.
    currency: str = "GBP"
    #: The account that posted the advert, when the operator passed it.
    account: Account | None = None
    extra: dict[str, object] = field(default_factory=dict)
    #: Work shared between detectors within one check (e.g. the single phrase scan).
    cache: dict[str, object] = field(default_factory=dict, repr=False, compare=False)
    #: Phrase evidence by indicator, from the single scan of the texts (see `advert_phrases`).
    phrases: dict[str, list[Evidence]] | None = field(default=None, repr=False, compare=False)


def link_types(ctx: AdvertContext) -> frozenset[str]:
    """The link types present on this advert, worked out once per check: most detectors that
    read links want none of the types most adverts have, and can stop there."""
    cached = ctx.cache.get("link_types")
    if cached is None:
        cached = ctx.cache["link_types"] = frozenset([lk.type for lk in ctx.links])
    return cast(frozenset[str], cached)


class Detector(Protocol):
    """Finds one indicator. Must not raise on any valid advert; returns None when silent."""

    spec: IndicatorSpec

    def detect(self, ctx: AdvertContext) -> Hit | None: ...


class IndicatorRegistry:
    """The detectors in force, by indicator id. Order of registration is order of evaluation."""

    def __init__(self, detectors: Iterable[Detector] = ()) -> None:
        self._detectors: dict[str, Detector] = {}
        #: Enabled set -> the detectors to run, in order; a pipeline passes the same set each time.
        self._plans: dict[frozenset[str] | None, tuple[Detector, ...]] = {}
        for d in detectors:
            self.add(d)

    def add(self, detector: Detector) -> None:
        if detector.spec.id in self._detectors:
            raise ValueError(f"indicator {detector.spec.id!r} registered twice")
        self._detectors[detector.spec.id] = detector
        self._plans.clear()

    def get(self, indicator_id: str) -> Detector:
        return self._detectors[indicator_id]

    def __contains__(self, indicator_id: object) -> bool:
        return indicator_id in self._detectors

    def __iter__(self) -> Iterator[Detector]:
        return iter(self._detectors.values())

    def __len__(self) -> int:
        return len(self._detectors)

    def specs(self) -> list[IndicatorSpec]:
        return [d.spec for d in self._detectors.values()]

    def run(self, ctx: AdvertContext, enabled: frozenset[str] | None = None) -> list[Hit]:
        """Every enabled detector's hit on this advert."""
        plan = self._plans.get(enabled)
        if plan is None:
            plan = tuple(
                d for d in self._detectors.values() if enabled is None or d.spec.id in enabled
            )
            if len(self._plans) > 64:
                self._plans.clear()
            self._plans[enabled] = plan
        hits: list[Hit] = []
        for detector in plan:
            hit = detector.detect(ctx)
            if hit is not None and hit.strength > 0:
                hits.append(hit)
        return hits
