"""Network detectors: signals that exist only across linked adverts."""

from __future__ import annotations

from asw_guard.indicators.base import AdvertContext, Hit, IndicatorSpec
from asw_guard.linking import CONTACT_KINDS
from asw_guard.models import Evidence

_NOUN = {"phone": "phone number", "email": "email address", "handle": "messaging handle"}


class SharedContactDistinctPeople:
    """One phone, email or handle on adverts for different people.

    Different people are told apart by alias (a keyed hash of it). A number shared openly within
    one account, as a consensual agency does, counts half as much as one shared across accounts.
    """

    def __init__(self, spec: IndicatorSpec) -> None:
        self.spec = spec

    def detect(self, ctx: AdvertContext) -> Hit | None:
        best: Hit | None = None
        for kind in sorted(CONTACT_KINDS):
            links = [lk for lk in ctx.links if lk.type == kind]
            if not links:
                continue
            aliases = {lk.alias_key for lk in links if lk.alias_key is not None}
            if ctx.alias_key is not None:
                aliases.add(ctx.alias_key)
            people = len(aliases)
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
                        advert_ids=adverts[:50],
                        account_ids=sorted(accounts)[:50],
                    ),
                ),
            )
            if best is None or hit.strength > best.strength:
                best = hit
        return best
