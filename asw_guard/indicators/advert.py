"""Per-advert detectors that read fields or extraction results, alone or beside phrase lists."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

from asw_guard.indicators.base import AdvertContext, Hit, IndicatorSpec
from asw_guard.indicators.phrases import (
    BOOSTED,
    MAX_EVIDENCE,
    PhraseDetector,
    phrase_lists,
    scan,
    text_span,
    weak_suffix,
)
from asw_guard.models import Evidence

ADULT_AGE = 18
#: Under this stated weight (kg) an adult is unusually light; the sources cite 50 kg.
LOW_WEIGHT_KG = 50.0
#: Advertised hours a day from which availability reads as "no rest".
LONG_HOURS_PER_DAY = 16.0
#: Distinct services from which a menu reads as "anything goes" (OSCE, Country N).
BROAD_SERVICES_FROM = 8
#: Payment methods that leave no trace of who paid for the advert (ECO).
UNTRACEABLE_PAYMENTS = frozenset(
    {"cash", "voucher", "prepaid", "prepaid_card", "prepaid_voucher", "gift_card", "paysafecard"}
)


def _span(field_name: str, start: int, end: int, note: str | None = None) -> Evidence:
    # Contacts given as advert fields carry span 0-0: point at the field, not at the body.
    if end <= start:
        return Evidence(kind="field", field=field_name, note=note)
    return text_span("body", start, end, note)


def _hit(spec: IndicatorSpec, strength: float, text: str, evidence: Sequence[Evidence]) -> Hit:
    return Hit(
        indicator=spec.id,
        strength=min(1.0, strength),
        explanation=text + weak_suffix(spec),
        evidence=tuple(evidence[:MAX_EVIDENCE]),
    )


class YouthLanguage(PhraseDetector):
    """Youth wording in the text, or an advertised age under 18 (decisive on its own)."""

    def detect(self, ctx: AdvertContext) -> Hit | None:
        age = ctx.advert.advertised_age
        young = [a for a in ctx.extraction.ages if a.value < ADULT_AGE]
        if (age is not None and age < ADULT_AGE) or young:
            shown = age if age is not None and age < ADULT_AGE else min(a.value for a in young)
            evidence = [Evidence(kind="field", field="advertised_age", note="under 18")]
            if age is None or age >= ADULT_AGE:
                evidence = [_span("body", a.start, a.end, "under 18") for a in young]
            return Hit(
                indicator=self.spec.id,
                strength=1.0,
                explanation=f"Advertised age {shown} is under 18: possible minor",
                evidence=tuple(evidence),
            )
        hit = super().detect(ctx)
        if hit is None:
            return None
        # Phrases alone never reach the decisive strength that an age under 18 has.
        return Hit(hit.indicator, min(hit.strength, 0.9), hit.explanation, hit.evidence)


class ObfuscatedContact:
    """A contact written to defeat machine reading, one of the few validated predictors."""

    def __init__(self, spec: IndicatorSpec) -> None:
        self.spec = spec

    def detect(self, ctx: AdvertContext) -> Hit | None:
        spans = [(p.start, p.end) for p in ctx.extraction.phones if p.obfuscated]
        spans += [(e.start, e.end) for e in ctx.extraction.emails if e.obfuscated]
        if not spans:
            return None
        return Hit(
            indicator=self.spec.id,
            strength=1.0,
            explanation="A contact number or email is written to dodge machine reading",
            evidence=tuple(_span("phones", s, e) for s, e in spans[:5]),
        )


class ChecklistItem:
    """A signal no bundled model detects honestly: shown to the reviewer, or set by a label."""

    def __init__(self, spec: IndicatorSpec) -> None:
        self.spec = spec

    def detect(self, ctx: AdvertContext) -> Hit | None:
        if ctx.advert.labels.get(self.spec.id):
            return Hit(
                indicator=self.spec.id,
                strength=1.0,
                explanation=f"{self.spec.title.split(' (')[0]}: labelled by the operator",
                evidence=(Evidence(kind="field", field=f"labels.{self.spec.id}"),),
            )
        # Types listed in the catalogue (e.g. "background") let the item fire once a link
        # source produces them; until then only the operator's label does.
        links = [lk for lk in ctx.links if lk.type in self.spec.link_types]
        if links:
            adverts = sorted({lk.advert_id for lk in links})
            return Hit(
                indicator=self.spec.id,
                strength=0.6,
                explanation=(
                    f"{self.spec.title.split(' (')[0]}: matches {len(adverts)} other advert"
                    f"{'s' if len(adverts) > 1 else ''}; check by eye"
                ),
                evidence=(
                    Evidence(
                        kind="link",
                        link_type=links[0].type,
                        advert_ids=adverts[:50],
                        account_ids=sorted({lk.account_id for lk in links})[:50],
                    ),
                ),
            )
        return None


class ForeignNumber:
    """A contact number registered in another country than the market's."""

    def __init__(self, spec: IndicatorSpec) -> None:
        self.spec = spec

    def detect(self, ctx: AdvertContext) -> Hit | None:
        foreign = [
            p for p in ctx.extraction.phones if p.valid and p.region and p.region != ctx.region
        ]
        if not foreign:
            return None
        regions = sorted({p.region for p in foreign if p.region})
        return _hit(
            self.spec,
            1.0,
            f"Contact number registered in {', '.join(regions)}, not {ctx.region}",
            [_span("phones", p.start, p.end, p.region) for p in foreign],
        )


class IncallOnly(PhraseDetector):
    """In-call only, from the wording, the advert fields or what extraction read."""

    def detect(self, ctx: AdvertContext) -> Hit | None:
        evidence = self.find(ctx)
        ad, ex = ctx.advert, ctx.extraction
        if ad.incall and ad.outcall is False:
            evidence.append(Evidence(kind="field", field="outcall", note="in-call only"))
        elif ex.incall and ex.outcall is False and not evidence:
            evidence.append(Evidence(kind="field", field="body", note="in-call, no out-call"))
        if not evidence:
            return None
        return _hit(self.spec, 1.0, "In-call only: will not travel to clients", evidence)


class LongHours(PhraseDetector):
    """Round-the-clock or no-rest availability, from wording or extracted availability."""

    def detect(self, ctx: AdvertContext) -> Hit | None:
        evidence = self.find(ctx)
        for a in ctx.extraction.availability:
            long_day = a.hours_per_day is not None and a.hours_per_day >= LONG_HOURS_PER_DAY
            no_rest = a.days_per_week == 7 and (a.hours_per_day or 0) >= 12
            if a.always or long_day or no_rest:
                evidence.append(_span("availability", a.start, a.end, "long hours"))
        if not evidence:
            return None
        return _hit(
            self.spec,
            0.5 + 0.25 * len(evidence),
            "Advertised as available around the clock or without days off",
            evidence,
        )


class LowWeight(PhraseDetector):
    """A stated weight under 50 kg, or wording stressing small size."""

    def detect(self, ctx: AdvertContext) -> Hit | None:
        light = [w for w in ctx.extraction.weights if w.kg < LOW_WEIGHT_KG]
        if light:
            kg = min(w.kg for w in light)
            return _hit(
                self.spec,
                1.0,
                f"Stated weight {kg:.0f} kg is under {LOW_WEIGHT_KG:.0f} kg",
                [_span("body", w.start, w.end) for w in light],
            )
        evidence = self.find(ctx)
        if not evidence:
            return None
        return _hit(self.spec, 0.5, "Wording stresses very small size", evidence)


class CodedPrice(PhraseDetector):
    """Prices written in code ("200 roses"), from wording or the extractor's `coded` flag."""

    def detect(self, ctx: AdvertContext) -> Hit | None:
        evidence = [_span("body", p.start, p.end) for p in ctx.extraction.prices if p.coded]
        if not evidence:
            evidence = self.find(ctx)
        if not evidence:
            return None
        return _hit(self.spec, 1.0, "Prices are written in code (roses, kisses, gifts)", evidence)


class BroadServices(PhraseDetector):
    """An unusually long service menu, counted as distinct services named and not refused."""

    def detect(self, ctx: AdvertContext) -> Hit | None:
        evidence = self.find(ctx)
        names: dict[str, Evidence] = {}
        for e in evidence:
            text = ctx.texts.get(e.field or "", "")
            names.setdefault(text[e.start : e.end].casefold(), e)
        n = len(names)
        if n < BROAD_SERVICES_FROM:
            return None
        boosted = any(e.note == BOOSTED for e in evidence)
        strength = 0.5 + 0.1 * (n - BROAD_SERVICES_FROM) + (0.2 if boosted else 0.0)
        extra = ", including submissive or no-limits wording" if boosted else ""
        return _hit(
            self.spec, strength, f"{n} distinct services offered{extra}", list(names.values())
        )


class UntraceablePayment:
    """The advert was paid for in a way that hides who paid, or by someone else."""

    def __init__(self, spec: IndicatorSpec) -> None:
        self.spec = spec

    def detect(self, ctx: AdvertContext) -> Hit | None:
        if ctx.advert.labels.get(self.spec.id) or ctx.advert.labels.get("paid_by_other"):
            return _hit(
                self.spec,
                1.0,
                "The operator marked the advert as paid untraceably or by someone else",
                [Evidence(kind="field", field="labels")],
            )
        for where, method in (
            ("payment_method", ctx.advert.payment_method),
            ("account.payment_method", ctx.account.payment_method if ctx.account else None),
        ):
            key = (method or "").strip().casefold().replace(" ", "_").replace("-", "_")
            if key in UNTRACEABLE_PAYMENTS:
                return _hit(
                    self.spec,
                    1.0,
                    f"Advert paid by {key.replace('_', ' ')}, which leaves no trace of the payer",
                    [Evidence(kind="field", field=where)],
                )
        return None


class MessagingOnlyContact(PhraseDetector):
    """Contact only by messaging app, or a number that refuses calls or texts."""

    def detect(self, ctx: AdvertContext) -> Hit | None:
        evidence = self.find(ctx)
        ex = ctx.extraction
        if evidence:
            return _hit(self.spec, 1.0, "Contact only through a messaging app", evidence)
        if ex.handles and not ex.phones and not ex.emails and not ctx.advert.phones:
            return _hit(
                self.spec,
                0.5,
                "The only contact given is a messaging handle",
                [_span("handles", h.start, h.end) for h in ex.handles],
            )
        return None


class ReviewDistress:
    """Client reviews that describe fear, a handler, substances or no shared language."""

    def __init__(self, spec: IndicatorSpec) -> None:
        self.spec = spec

    def detect(self, ctx: AdvertContext) -> Hit | None:
        evidence: list[Evidence] = []
        reviews_hit = 0
        for i, review in enumerate(ctx.advert.reviews):
            found: list[Evidence] = []
            for language in ctx.languages:
                plist = phrase_lists(language).get(self.spec.id)
                if plist is not None:
                    found.extend(scan(plist, review, f"reviews[{i}]"))
            if found:
                reviews_hit += 1
                evidence.extend(found)
        if not evidence:
            return None
        return _hit(
            self.spec,
            0.5 * reviews_hit,
            f"{reviews_hit} client review{'s' if reviews_hit > 1 else ''} describe"
            f"{'' if reviews_hit > 1 else 's'} fear, a handler, substances or no shared language",
            evidence,
        )


@dataclass(frozen=True, slots=True)
class EmojiTable:
    pattern: re.Pattern[str]
    #: No code is plain ASCII, so a plain-ASCII text (most adverts) cannot hold one.
    all_non_ascii: bool
    #: Code point (without variation selector) -> (group, meaning).
    codes: dict[str, tuple[str, str]]
    groups: dict[str, float]


@cache
def emoji_table() -> EmojiTable:
    raw: dict[str, Any] = yaml.safe_load(
        resources.files("asw_guard.indicators").joinpath("data/emoji.yaml").read_text("utf-8")
    )
    codes = {k: (v["group"], v["meaning"]) for k, v in raw["codes"].items()}
    # One alternation, longest first; an optional variation selector belongs to the span.
    alts = "|".join(re.escape(c) for c in sorted(codes, key=len, reverse=True))
    return EmojiTable(
        pattern=re.compile(f"(?:{alts})\ufe0f?"),
        all_non_ascii=not any(c.isascii() for c in codes),
        codes=codes,
        groups={k: float(v) for k, v in raw["groups"].items()},
    )


class EmojiCodes:
    """Emoji from the code list, weighted by what they are read as (youth codes most)."""

    def __init__(self, spec: IndicatorSpec) -> None:
        self.spec = spec

    def detect(self, ctx: AdvertContext) -> Hit | None:
        table = emoji_table()
        evidence: list[Evidence] = []
        strength = 0.0
        groups: set[str] = set()
        for field_name, text in ctx.texts.items():
            if table.all_non_ascii and text.isascii():
                continue
            for m in table.pattern.finditer(text):
                group, meaning = table.codes[m.group().rstrip("\ufe0f")]
                groups.add(group)
                strength = max(strength, table.groups[group])
                evidence.append(text_span(field_name, m.start(), m.end(), meaning))
        if not evidence:
            return None
        return _hit(
            self.spec,
            strength,
            f"Emoji used as codes ({', '.join(sorted(groups))})",
            evidence,
        )


class NoVideoVerification(PhraseDetector):
    """Refuses a video call or identity check; or the operator says the person refused one."""

    def detect(self, ctx: AdvertContext) -> Hit | None:
        if ctx.advert.labels.get(self.spec.id):
            return _hit(
                self.spec,
                1.0,
                "The operator recorded a refused video or identity check",
                [Evidence(kind="field", field=f"labels.{self.spec.id}")],
            )
        return super().detect(ctx)
