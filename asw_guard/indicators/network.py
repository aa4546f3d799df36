"""Network detectors: signals that exist only across linked adverts.

Each reads `ctx.links` (what joins this advert to others, and the linked adverts' alias key, age,
city and account), limited to the link types its catalogue entry lists (`link_types`). Types:

- "phone", "email", "handle": identifier links, from the link index today.
- "address": the operator's address key, from the link index today.
- "text", "rare_token", "photo", "close_number": near-duplicate wording, shared rare tokens,
  similar photos and numerically close numbers. Detectors for them are registered now and stay
  silent until a link source produces links of those types.
"""

from __future__ import annotations

from collections.abc import Sequence

from asw_guard.indicators.base import AdvertContext, Hit, IndicatorSpec, link_types
from asw_guard.indicators.phrases import weak_suffix
from asw_guard.linking import Link
from asw_guard.models import Evidence

_NOUN = {
    "phone": "phone number",
    "email": "email address",
    "handle": "messaging handle",
    "address": "address",
    "text": "wording",
    "rare_token": "unusual spellings and phrasing",
    "photo": "photos",
    "close_number": "numerically close contact numbers",
    "payment": "payment card or token",
    "device": "device",
}
#: Ages this far apart are not a birthday or a rounding: they are different claims.
AGE_GAP = 3
MAX_IDS = 50


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _link_evidence(links: Sequence[Link], link_type: str, note: str | None = None) -> Evidence:
    return Evidence(
        kind="link",
        link_type=link_type,
        advert_ids=sorted({lk.advert_id for lk in links})[:MAX_IDS],
        account_ids=sorted({lk.account_id for lk in links})[:MAX_IDS],
        note=note,
    )


def _people(links: Sequence[Link], ctx: AdvertContext) -> int:
    """Distinct people across the links and this advert, told apart by alias key."""
    aliases = {lk.alias_key for lk in links if lk.alias_key is not None}
    if ctx.alias_key is not None:
        aliases.add(ctx.alias_key)
    return len(aliases)


def _own_age(ctx: AdvertContext) -> int | None:
    if ctx.advert.advertised_age is not None:
        return ctx.advert.advertised_age
    ages = ctx.extraction.ages
    return ages[0].value if ages else None


class SharedContactDistinctPeople:
    """One phone, email or handle (or payment token, or device) on adverts for different people.

    Different people are told apart by alias (a keyed hash of it). A number shared openly within
    one account, as a consensual agency does, counts half as much as one shared across accounts.
    """

    def __init__(self, spec: IndicatorSpec) -> None:
        self.spec = spec

    def detect(self, ctx: AdvertContext) -> Hit | None:
        best: Hit | None = None
        present = link_types(ctx)
        for kind in self.spec.link_types:
            if kind not in present:
                continue
            links = [lk for lk in ctx.links if lk.type == kind]
            if not links:
                continue
            people = _people(links, ctx)
            if people < 2:
                continue
            accounts = {lk.account_id for lk in links} | {ctx.advert.account_id}
            strength = min(1.0, (people - 1) / 3) * (1.0 if len(accounts) > 1 else 0.5)
            adverts = sorted({lk.advert_id for lk in links})
            hit = Hit(
                indicator=self.spec.id,
                strength=strength,
                explanation=(
                    f"The same {_NOUN[kind]} is on {len(adverts)} other advert"
                    f"{'s' if len(adverts) > 1 else ''} for {people} different names "
                    f"across {len(accounts)} account{'s' if len(accounts) > 1 else ''}"
                ),
                evidence=(
                    Evidence(
                        kind="link",
                        link_type=kind,
                        advert_ids=adverts[:MAX_IDS],
                        account_ids=sorted(accounts)[:MAX_IDS],
                    ),
                ),
            )
            if best is None or hit.strength > best.strength:
                best = hit
        return best


class LinkedDistinctPeople:
    """Adverts joined by one kind of link (wording, photos, address...) show different people.

    The generic shape behind several catalogue rows: the link type says what is shared, and the
    number of different people behind the shared thing says how much it means.
    """

    def __init__(
        self,
        spec: IndicatorSpec,
        *,
        min_people: int = 2,
        across_accounts: bool = False,
        other_accounts_only: bool = False,
    ) -> None:
        self.spec = spec
        self.other_accounts_only = other_accounts_only
        self.types = frozenset(spec.link_types)
        self.min_people = min_people
        #: Also fire when the people cannot be told apart but the accounts differ (photos).
        self.across_accounts = across_accounts

    def detect(self, ctx: AdvertContext) -> Hit | None:
        if self.types.isdisjoint(link_types(ctx)):
            return None
        links = [lk for lk in ctx.links if lk.type in self.types]
        if self.other_accounts_only:
            # One account re-using its own wording for its own people is an agency or an
            # advertiser re-posting; "account controls many" weighs that. A template is
            # evidence of a hidden controller when it crosses accounts.
            links = [lk for lk in links if lk.account_id != ctx.advert.account_id]
        if not links:
            return None
        link_type = links[0].type
        people = _people(links, ctx)
        accounts = {lk.account_id for lk in links} | {ctx.advert.account_id}
        if people >= self.min_people:
            strength = min(1.0, 0.4 + 0.2 * (people - self.min_people))
            who = f"{people} different names"
        elif self.across_accounts and len(accounts) > 1:
            strength = 0.5
            who = _plural(len(accounts), "account")
        else:
            return None
        n = len({lk.advert_id for lk in links})
        return Hit(
            indicator=self.spec.id,
            strength=strength,
            explanation=(
                f"{self.spec.title}: the same {_NOUN.get(link_type, link_type)} on "
                f"{_plural(n, 'other advert')} for {who}{weak_suffix(self.spec)}"
            ),
            evidence=(_link_evidence(links, link_type),),
        )


class InconsistentAge:
    """Ages that disagree within the advert, or with adverts sharing its contact or photos."""

    def __init__(self, spec: IndicatorSpec) -> None:
        self.spec = spec

    def detect(self, ctx: AdvertContext) -> Hit | None:
        evidence: list[Evidence] = []
        reasons: list[str] = []
        stated = ctx.advert.advertised_age
        text_ages = ctx.extraction.ages
        values = [a.value for a in text_ages] + ([stated] if stated is not None else [])
        if values and max(values) - min(values) >= AGE_GAP:
            reasons.append(f"the advert gives ages from {min(values)} to {max(values)}")
            if stated is not None:
                evidence.append(Evidence(kind="field", field="advertised_age"))
            evidence.extend(
                Evidence(kind="text", field="body", start=a.start, end=a.end) for a in text_ages
            )
        own = _own_age(ctx)
        if own is not None:
            # Same alias, or no alias to tell people apart: a different age is a different claim.
            off = [
                lk
                for lk in ctx.links
                if lk.type in self.spec.link_types
                and lk.age is not None
                and abs(lk.age - own) >= AGE_GAP
                and (lk.alias_key is None or lk.alias_key == ctx.alias_key)
            ]
            if off:
                ages = sorted({lk.age for lk in off if lk.age is not None})
                reasons.append(
                    f"{_plural(len({lk.advert_id for lk in off}), 'linked advert')} under the "
                    f"same name give age {', '.join(map(str, ages))} against {own}"
                )
                evidence.append(_link_evidence(off, off[0].type))
        if not reasons:
            return None
        return Hit(
            indicator=self.spec.id,
            strength=1.0 if len(reasons) > 1 else 0.7,
            explanation="Inconsistent age: " + "; ".join(reasons),
            evidence=tuple(evidence[:10]),
        )


class InconsistentAlias:
    """One person (same contact or photos, compatible age) under several names."""

    def __init__(self, spec: IndicatorSpec) -> None:
        self.spec = spec

    def detect(self, ctx: AdvertContext) -> Hit | None:
        if ctx.alias_key is None:
            return None
        if link_types(ctx).isdisjoint(self.spec.link_types):
            return None
        own = _own_age(ctx)
        # Different names with clearly different ages are different people: that is
        # shared_contact_distinct_people's signal, not this one.
        renamed = [
            lk
            for lk in ctx.links
            if lk.type in self.spec.link_types
            and lk.alias_key is not None
            and lk.alias_key != ctx.alias_key
            and (own is None or lk.age is None or abs(lk.age - own) < AGE_GAP)
        ]
        if not renamed:
            return None
        names = len({lk.alias_key for lk in renamed}) + 1
        return Hit(
            indicator=self.spec.id,
            strength=min(1.0, 0.3 * (names - 1) + 0.2),
            explanation=(
                f"Linked adverts with a compatible age use {names} different names"
                f"{weak_suffix(self.spec)}"
            ),
            evidence=(_link_evidence(renamed, renamed[0].type),),
        )


class AccountControlsMany:
    """One account posting for many different people (counted over the linked adverts it owns)."""

    MIN_PEOPLE = 3

    def __init__(self, spec: IndicatorSpec) -> None:
        self.spec = spec

    def detect(self, ctx: AdvertContext) -> Hit | None:
        own = [
            lk
            for lk in ctx.links
            if lk.account_id == ctx.advert.account_id and lk.type in self.spec.link_types
        ]
        people = _people(own, ctx)
        extra = ctx.extra.get("account_people")
        # An operator that counts people per account itself can pass the figure in.
        if isinstance(extra, int) and extra > people:
            people = extra
        if people < self.MIN_PEOPLE:
            return None
        return Hit(
            indicator=self.spec.id,
            strength=min(1.0, 0.4 + 0.15 * (people - self.MIN_PEOPLE)),
            explanation=f"This account posts adverts for {people} different people",
            evidence=(_link_evidence(own, "account", note=f"{people} people"),) if own else (),
        )


class MultiCity:
    """The same contact, photos or wording advertised in several cities."""

    def __init__(self, spec: IndicatorSpec) -> None:
        self.spec = spec

    def detect(self, ctx: AdvertContext) -> Hit | None:
        if link_types(ctx).isdisjoint(self.spec.link_types):
            return None
        links = [lk for lk in ctx.links if lk.type in self.spec.link_types and lk.city]
        own = ctx.advert.location.city if ctx.advert.location else None
        cities = {" ".join(c.casefold().split()) for c in [own, *(lk.city for lk in links)] if c}
        if len(cities) < 2:
            return None
        return Hit(
            indicator=self.spec.id,
            strength=min(1.0, 0.3 * (len(cities) - 1)),
            explanation=(
                f"The same contact, photos or wording appear in {len(cities)} cities"
                f"{weak_suffix(self.spec)}"
            ),
            evidence=(_link_evidence(links, links[0].type, note=f"{len(cities)} cities"),),
        )


class VerifiedProfileSwap:
    """A verified profile whose photos match adverts for a different person."""

    def __init__(self, spec: IndicatorSpec) -> None:
        self.spec = spec

    def detect(self, ctx: AdvertContext) -> Hit | None:
        verified = ctx.advert.verified
        if verified is None and ctx.account is not None:
            verified = ctx.account.verified
        if not verified or ctx.alias_key is None:
            return None
        if link_types(ctx).isdisjoint(self.spec.link_types):
            return None
        other = [
            lk
            for lk in ctx.links
            if lk.type in self.spec.link_types
            and lk.alias_key is not None
            and lk.alias_key != ctx.alias_key
        ]
        if not other:
            return None
        return Hit(
            indicator=self.spec.id,
            strength=1.0,
            explanation=(
                "A verified profile shows photos that also appear on "
                f"{_plural(len({lk.advert_id for lk in other}), 'advert')} under another name"
            ),
            evidence=(_link_evidence(other, "photo"),),
        )
