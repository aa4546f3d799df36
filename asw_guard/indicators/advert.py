"""Per-advert detectors that read fields or extraction results rather than phrase lists."""

from __future__ import annotations

from asw_guard.indicators.base import AdvertContext, Hit, IndicatorSpec
from asw_guard.indicators.phrases import PhraseDetector
from asw_guard.models import Evidence

ADULT_AGE = 18


class YouthLanguage(PhraseDetector):
    """Youth wording in the text, or an advertised age under 18 (decisive on its own)."""

    def detect(self, ctx: AdvertContext) -> Hit | None:
        age = ctx.advert.advertised_age
        ages = [a.value for a in ctx.extraction.ages]
        if (age is not None and age < ADULT_AGE) or any(a < ADULT_AGE for a in ages):
            shown = age if age is not None and age < ADULT_AGE else min(ages)
            return Hit(
                indicator=self.spec.id,
                strength=1.0,
                explanation=f"Advertised age {shown} is under 18: possible minor",
                evidence=(Evidence(kind="field", field="advertised_age", note="under 18"),),
            )
        return super().detect(ctx)


class ObfuscatedContact:
    """A contact written to defeat machine reading, one of the few validated predictors."""

    def __init__(self, spec: IndicatorSpec) -> None:
        self.spec = spec

    def detect(self, ctx: AdvertContext) -> Hit | None:
        spans = [p for p in ctx.extraction.phones if p.obfuscated]
        spans += [e for e in ctx.extraction.emails if e.obfuscated]  # type: ignore[misc]
        if not spans:
            return None
        return Hit(
            indicator=self.spec.id,
            strength=1.0,
            explanation="A contact number or email is written to dodge machine reading",
            evidence=tuple(
                Evidence(kind="text", field="body", start=s.start, end=s.end) for s in spans[:5]
            ),
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
        return None
