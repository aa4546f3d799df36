"""The check pipeline: plain stages from an advert to a decision and what to store.

prepare (extract, identifiers, features, phrases) -> links -> indicators -> risk -> policy ->
decision. Each stage is a small function over the values before it, timed, and none of them
writes: writing is the store's single transaction, so `Guard.preview` runs exactly this code.
`prepare` needs only the advert, so a backfill runs it in worker processes (asw_guard.workers).
"""

from __future__ import annotations

import time
import unicodedata
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from types import EllipsisType

from asw_guard._version import __version__
from asw_guard.indicators import AdvertContext, IndicatorRegistry
from asw_guard.indicators.phrases import phrase_bank, text_phrases
from asw_guard.linking import (
    STRONG_KINDS,
    KeyedHasher,
    Link,
    LinkIndex,
    LinkQuery,
    advert_identifiers,
)
from asw_guard.linking.features import Benign, Features, advert_features
from asw_guard.linking.identifiers import Identifier
from asw_guard.linking.suppress import SuppressionList
from asw_guard.models import (
    Account,
    Action,
    Advert,
    Band,
    Decision,
    DecisionStatus,
    Evidence,
    StageTimings,
)
from asw_guard.normalise import Extraction, extract, parse_phone
from asw_guard.normalise.contacts import find_emails
from asw_guard.policy import LoadedPolicy, PolicyFacts, RuleEvaluator
from asw_guard.policy.schema import parse_window
from asw_guard.risk import Assessment, assess
from asw_guard.store.base import AdvertFacts, CheckRecord, IdentifierKey, Store


@dataclass(frozen=True, slots=True)
class CheckResult:
    decision: Decision
    record: CheckRecord


class _Clock:
    """Milliseconds per stage, for the decision's timings."""

    def __init__(self) -> None:
        self.start = self.last = time.perf_counter()
        self.stages: dict[str, float] = {}
        #: Time spent on this check before it reached this process (a worker's preparing).
        self.elsewhere_ms = 0.0

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.stages[stage] = round((now - self.last) * 1000, 4)
        self.last = now

    def timings(self) -> StageTimings:
        return StageTimings(
            total_ms=round((time.perf_counter() - self.start) * 1000 + self.elsewhere_ms, 4),
            stages=self.stages,
        )


def read_advert(advert: Advert, region: str) -> Extraction:
    """The body and title read, plus the contacts the operator gave as fields."""
    body = extract(advert.body, region=region)
    title = extract(advert.title, region=region) if advert.title else Extraction()
    # Spans are offsets into the body; a title's or a field's contact has none there, and
    # span 0-0 marks "from another field" so evidence never points at the wrong words.
    unplaced = {"start": 0, "end": 0}
    phones = list(body.phones) + [p.model_copy(update=unplaced) for p in title.phones]
    emails = list(body.emails) + [e.model_copy(update=unplaced) for e in title.emails]
    for raw in advert.phones:
        match = parse_phone(raw, region)
        if match is not None:
            phones.append(match.model_copy(update=unplaced))
    for raw in advert.emails:
        emails.extend(e.model_copy(update=unplaced) for e in find_emails(raw))
    if len(phones) == len(body.phones) and len(emails) == len(body.emails):
        # Nothing was added to what the body gave: the body's reading is the whole answer.
        return body
    return body.model_copy(update={"phones": phones, "emails": emails})


@dataclass(frozen=True, slots=True)
class Preparation:
    """The settings the advert-only half of a check runs under; plain, picklable values."""

    region: str
    languages: tuple[str, ...]
    hasher: KeyedHasher
    benign: Benign


@dataclass(frozen=True, slots=True)
class Prepared:
    """What a check reads from the advert alone, before the store or any learned state is
    asked: the extraction, identifier keys, similarity features and phrase evidence. A pure
    function of the advert and its `Preparation`, so a backfill computes it in worker
    processes while the main process links and decides."""

    advert: Advert
    extraction: Extraction
    identifiers: tuple[Identifier, ...]
    keys: tuple[IdentifierKey, ...]
    features: Features
    alias_key: bytes | None
    #: The market languages its phrases were scanned in.
    languages: tuple[str, ...]
    phrases: dict[str, list[Evidence]]
    #: Milliseconds per preparing stage, for the decision's timings.
    stages: dict[str, float]


def prepare(advert: Advert, how: Preparation) -> Prepared:
    """The advert-only half of a check (see `Prepared`)."""
    clock = _Clock()
    extraction = read_advert(advert, how.region)
    clock.lap("extract")
    identifiers = tuple(advert_identifiers(advert, extraction))
    keys = tuple(how.hasher.key(i.kind, i.value) for i in identifiers)
    features = advert_features(advert, extraction, how.hasher, how.benign)
    clock.lap("features")
    phrases = text_phrases(advert.texts(), how.languages)
    clock.lap("phrases")
    return Prepared(
        advert=advert,
        extraction=extraction,
        identifiers=identifiers,
        keys=keys,
        features=features,
        alias_key=alias_key(how.hasher, advert.alias),
        languages=how.languages,
        phrases=phrases,
        stages=clock.stages,
    )


def alias_key(hasher: KeyedHasher, alias: str | None) -> bytes | None:
    if not alias or not alias.strip():
        return None
    folded = unicodedata.normalize("NFKC", alias).casefold().strip()
    return hasher.digest("alias", " ".join(folded.split()))


class Pipeline:
    """One policy, one registry, one link index: turns an advert into a `CheckResult`."""

    def __init__(
        self,
        *,
        registry: IndicatorRegistry,
        links: LinkIndex,
        hasher: KeyedHasher,
        policy: LoadedPolicy,
        store: Store | None = None,
        suppressions: SuppressionList | None = None,
    ) -> None:
        self.registry = registry
        #: Benign phrases and photos are removed before features are computed.
        self.suppressions = suppressions
        #: For the policy's time-window counters; without a store they are unknown (None).
        self.store = store
        self._windows = {w: parse_window(w) for w in policy.policy.windows()}
        self.links = links
        self.hasher = hasher
        self.policy = policy
        self.evaluator = RuleEvaluator(policy.policy)
        self._specs = {s.id: s for s in registry.specs()}
        settings = policy.policy.indicators
        self._weights = {k: v.weight for k, v in settings.items() if v.weight is not None}
        self._enabled = frozenset(
            s.id
            for s in registry.specs()
            if (
                settings[s.id].enabled
                if s.id in settings and settings[s.id].enabled is not None
                else s.enabled_by_default
            )
        )
        bands = policy.policy.bands
        self._bands = {
            Band.MEDIUM: bands.medium,
            Band.HIGH: bands.high,
            Band.CRITICAL: bands.critical,
        }
        # Constants of this policy and registry, worked out once rather than on every check.
        self._checklist = tuple(
            (s.id, s.title) for s in self._specs.values() if s.scope == "checklist"
        )
        self._messages = {a: policy.policy.messages.for_action(a) for a in Action}
        self._languages = tuple(policy.policy.market.languages)
        self._snapshot_days = timedelta(days=policy.policy.retention.snapshot_days)
        # Compile the market's phrase lists now, so the first check does not pay for it.
        for language in self._languages:
            phrase_bank(language)

    def prepare(self, advert: Advert) -> Prepared:
        """The advert-only half of a check, under this pipeline's policy and suppressions."""
        return prepare(advert, self.preparation())

    def preparation(self) -> Preparation:
        """What `prepare` needs from this pipeline: plain values another process can hold."""
        return Preparation(
            region=self.policy.policy.market.phone_region,
            languages=self._languages,
            hasher=self.hasher,
            benign=self.suppressions.benign if self.suppressions is not None else Benign(),
        )

    def run(
        self,
        advert: Advert,
        account: Account | None = None,
        *,
        record: bool = True,
        prepared: Prepared | None = None,
    ) -> CheckResult:
        """Decide one advert. `record=False` (a preview) leaves learned market statistics as
        they are; nothing here writes to the store either way. `prepared` is the advert's
        `prepare` result when it was computed elsewhere (a backfill's worker process)."""
        clock = _Clock()
        if prepared is None:
            prepared = self.prepare(advert)
        else:
            # Prepared in another process: its stages count towards the total too.
            clock.elsewhere_ms = sum(prepared.stages.values())
        clock.stages.update(prepared.stages)
        clock.last = time.perf_counter()
        market = self.policy.policy.market
        extraction = prepared.extraction
        query = LinkQuery(
            advert=advert,
            identifiers=prepared.identifiers,
            keys=list(prepared.keys),
            features=prepared.features,
        )
        links = self.links.find(query)
        clock.lap("link")

        ctx = AdvertContext(
            advert=advert,
            extraction=extraction,
            texts=advert.texts(),
            links=links,
            alias_key=prepared.alias_key,
            region=market.phone_region,
            languages=self._languages,
            currency=market.currency,
            account=account,
            extra={"record_prices": record},
            phrases=prepared.phrases if prepared.languages == self._languages else None,
        )
        hits = self.registry.run(ctx, self._enabled)
        clock.lap("indicators")

        assessment = assess(hits, self._specs, self._weights, self._bands)
        clock.lap("risk")

        fired = frozenset(h.indicator for h in hits)
        outcome = self.evaluator.evaluate(
            self.facts(
                advert, account, assessment, fired, links, list(query.keys), own_alias=ctx.alias_key
            )
        )
        clock.lap("policy")
        return self._result(
            advert, ctx, query, links, assessment, outcome.action, outcome.rules_fired, clock
        )

    def facts(
        self,
        advert: Advert,
        account: Account | None,
        assessment: Assessment,
        indicators: frozenset[str],
        links: list[Link],
        keys: list[IdentifierKey],
        *,
        own_alias: bytes | EllipsisType | None = ...,
    ) -> PolicyFacts:
        """What the policy's rules may ask about this check. `own_alias` is the advert's alias
        key when the caller has it already (the pipeline does); otherwise it is computed."""
        verified = advert.verified
        if verified is None and account is not None:
            verified = account.verified
        reference = advert.posted_at or datetime.now(UTC)
        account_age = None
        if account is not None and account.created_at is not None:
            created = account.created_at
            if created.tzinfo is None:
                created = created.replace(tzinfo=UTC)
            ref = reference if reference.tzinfo is not None else reference.replace(tzinfo=UTC)
            account_age = max(0, (ref - created).days)
        payment = advert.payment_method or (account.payment_method if account else None)
        # The cluster as the link index sees it now: this advert plus the strongly linked ones.
        strong = [lk for lk in links if lk.type in STRONG_KINDS]
        if isinstance(own_alias, EllipsisType):
            own_alias = alias_key(self.hasher, advert.alias)
        own_city = advert.location.city if advert.location else None
        counts: dict[str, dict[str, int]] | None = None
        if self._windows and self.store is not None:
            own_kinds = {k.kind for k in keys}
            counts = {}
            for label, width in self._windows.items():
                found = self.store.identifier_counts(
                    keys, reference - width, exclude_advert=advert.id
                )
                # This advert counts too: "on 5 adverts" includes the one being posted.
                counts[label] = {kind: found.get(kind, 0) + 1 for kind in own_kinds}
        return PolicyFacts(
            score=assessment.score,
            band=assessment.band,
            indicators=indicators,
            categories=assessment.categories,
            advertised_age=advert.advertised_age,
            verified=verified,
            account_age_days=account_age,
            payment_method=payment,
            cluster_size=len({lk.advert_id for lk in strong} | {advert.id}),
            cluster_aliases=len(
                {lk.alias_key for lk in strong if lk.alias_key}
                | ({own_alias} if own_alias else set())
            ),
            cluster_cities=len(
                {lk.city.casefold() for lk in strong if lk.city}
                | ({own_city.casefold()} if own_city else set())
            ),
            cluster_accounts=len({lk.account_id for lk in strong} | {advert.account_id}),
            identifier_counts=counts,
            # Not recorded by the store yet: review decisions land with the review queue.
            human_decision=None,
            new_evidence=None,
        )

    def _result(
        self,
        advert: Advert,
        ctx: AdvertContext,
        query: LinkQuery,
        links: list[Link],
        assessment: Assessment,
        action: Action,
        rules_fired: list[str],
        clock: _Clock,
    ) -> CheckResult:
        policy = self.policy.policy
        now = datetime.now(UTC)
        review = action.needs_review
        checklist: list[str] = []
        if review:
            fired = {r.indicator for r in assessment.reasons}
            checklist = [title for ind_id, title in self._checklist if ind_id not in fired]
        strong_links = [lk for lk in links if lk.strength == "strong"]
        strong = sorted({lk.advert_id for lk in strong_links})
        clusters = [lk.cluster_id for lk in strong_links]
        decision = Decision(
            decision_id=uuid.uuid4().hex,
            advert_id=advert.id,
            advert_version=advert.version,
            account_id=advert.account_id,
            action=action,
            status=DecisionStatus.PENDING_REVIEW if review else DecisionStatus.FINAL,
            score=assessment.score,
            band=assessment.band,
            reasons=assessment.reasons,
            rules_fired=rules_fired,
            advertiser_message=self._messages[action],
            checklist=checklist,
            cluster_id=max(set(clusters), key=clusters.count) if clusters else None,
            policy_id=policy.id,
            policy_version=policy.version,
            policy_hash=self.policy.content_hash,
            warnings=list(query.features.warnings) if query.features else [],
            timings=clock.timings(),
            created_at=now,
            engine_version=__version__,
        )
        snapshot = None
        expires = None
        if review:
            # Raw content is kept only while a person may need it, and without image bytes.
            snapshot = advert.model_dump_json(exclude={"images": {"__all__": {"data"}}})
            expires = now + self._snapshot_days
        record = CheckRecord(
            decision=decision,
            facts=AdvertFacts(
                advert_id=advert.id,
                account_id=advert.account_id,
                version=advert.version,
                alias_key=ctx.alias_key,
                age=advert.advertised_age,
                city=advert.location.city if advert.location else None,
                posted_at=advert.posted_at,
            ),
            identifiers=query.keys,
            strong_links=strong,
            links=sorted({(lk.advert_id, lk.type, lk.strength) for lk in links}),
            signatures=query.features.signatures() if query.features else {},
            similarity_keys=query.features.similarity_keys() if query.features else (),
            text_bands=query.features.text_bands if query.features else (),
            photo_hashes=[p.hashes for p in query.features.photos] if query.features else (),
            rare_tokens=query.features.rare_keys if query.features else (),
            quarantine=list(query.quarantine),
            snapshot=snapshot,
            snapshot_expires_at=expires,
        )
        return CheckResult(decision, record)
