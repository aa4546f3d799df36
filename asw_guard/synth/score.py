"""Scoring a run of the guard over a synthetic market against its planted truth."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from math import comb

from asw_guard.models import Action, Band, Decision
from asw_guard.synth.market import Market

#: Actions that stop an advert going live until a person or the advertiser acts.
STOPPING = frozenset({Action.HOLD, Action.REFER, Action.REJECT, Action.REQUIRE_VERIFICATION})


@dataclass
class NetworkResult:
    network_id: str
    sophistication: str
    adverts: int
    at_medium: int
    stopped: int
    #: Adverts the network had posted before its first stopped advert (all of them if none).
    before_first_stop: int


@dataclass
class MarketScore:
    adverts: int
    by_action: Counter[str]
    by_kind: Counter[str]
    stopped_by_kind: Counter[str]
    networks: list[NetworkResult]
    #: Precision and recall of "is a network advert" at each band and above.
    per_band: dict[str, tuple[float, float]]
    #: Adjusted Rand index of the clusters the guard formed against the planted networks,
    #: over network adverts.
    cluster_ari: float | None = None
    top_reasons_on_independents: list[tuple[str, int]] = field(default_factory=list)

    def share_stopped(self, *kinds: str) -> float:
        n = sum(self.by_kind[k] for k in kinds)
        return sum(self.stopped_by_kind[k] for k in kinds) / n if n else 0.0

    @property
    def networks_found(self) -> int:
        return sum(1 for n in self.networks if n.stopped)

    def recall_at(self, band: Band) -> float:
        return self.per_band[band.value][1]


def adjusted_rand_index(truth: Mapping[str, str], predicted: Mapping[str, str]) -> float:
    """ARI of two labellings of the same items (1 = identical partitions, ~0 = chance)."""
    items = [i for i in truth if i in predicted]
    n = len(items)
    if n < 2:
        return 1.0
    pairs = Counter((truth[i], predicted[i]) for i in items)
    a = Counter(truth[i] for i in items)
    b = Counter(predicted[i] for i in items)
    index = sum(comb(c, 2) for c in pairs.values())
    sum_a = sum(comb(c, 2) for c in a.values())
    sum_b = sum(comb(c, 2) for c in b.values())
    expected = sum_a * sum_b / comb(n, 2)
    maximum = (sum_a + sum_b) / 2
    return 1.0 if maximum == expected else (index - expected) / (maximum - expected)


def score_market(
    market: Market,
    decisions: Iterable[Decision],
    clusters: Mapping[str, str] | None = None,
) -> MarketScore:
    """Compare decisions (in posting order) with the truth. `clusters` maps advert id to the
    cluster the store finally put it in, for the adjusted Rand index."""
    latest: dict[str, Decision] = {}
    for d in decisions:
        latest[d.advert_id] = d
    by_action: Counter[str] = Counter(d.action.value for d in latest.values())
    by_kind: Counter[str] = Counter()
    stopped_by_kind: Counter[str] = Counter()
    reasons_on_independents: Counter[str] = Counter()
    for ad_id, d in latest.items():
        kind = market.truth[ad_id].kind
        by_kind[kind] += 1
        if d.action in STOPPING:
            stopped_by_kind[kind] += 1
        if kind in ("independent", "touring"):
            reasons_on_independents.update(r.indicator for r in d.reasons)

    per_band: dict[str, tuple[float, float]] = {}
    positives = sum(1 for a in latest if market.truth[a].kind == "network")
    for band in Band:
        chosen = [a for a, d in latest.items() if d.band.rank >= band.rank]
        hits = sum(1 for a in chosen if market.truth[a].kind == "network")
        precision = hits / len(chosen) if chosen else 1.0
        recall = hits / positives if positives else 1.0
        per_band[band.value] = (round(precision, 4), round(recall, 4))

    networks = []
    for net in market.networks:
        ids = [a for a in net.advert_ids if a in latest]
        order = sorted(ids, key=lambda a: latest[a].created_at)
        first = next((i for i, a in enumerate(order) if latest[a].action in STOPPING), len(order))
        networks.append(
            NetworkResult(
                network_id=net.network_id,
                sophistication=net.sophistication,
                adverts=len(ids),
                at_medium=sum(1 for a in ids if latest[a].band.rank >= Band.MEDIUM.rank),
                stopped=sum(1 for a in ids if latest[a].action in STOPPING),
                before_first_stop=first,
            )
        )

    ari = None
    if clusters is not None:
        truth = {
            a: t.network_id
            for a, t in market.truth.items()
            if t.network_id is not None and a in clusters
        }
        ari = round(adjusted_rand_index(truth, clusters), 4)
    return MarketScore(
        adverts=len(latest),
        by_action=by_action,
        by_kind=by_kind,
        stopped_by_kind=stopped_by_kind,
        networks=networks,
        per_band=per_band,
        cluster_ari=ari,
        top_reasons_on_independents=reasons_on_independents.most_common(5),
    )
