"""Shadow mode: what a candidate policy would decide beside the live one, before anyone switches.

Three sources of traffic:

- `LiveShadow`: live traffic. Wrap the running guard for the trial; every advert is decided by
  the candidate (not stored, never acted on) and then checked by the live policy as usual. The
  tally is `LiveShadow.report`, and each difference is logged as `policy.shadow`.

- `diff_adverts`: a file of adverts (JSON Lines) replayed in order into a temporary store under
  the live policy. Before each advert is stored, the candidate decides it on the *same* store
  state, so both policies see exactly the same history (links, counters). This is the faithful
  comparison.
- `diff_store`: the adverts kept in a store's review snapshots, decided again by the candidate
  and compared with the decision stored for them. Only adverts with a snapshot can be replayed
  (the store keeps raw content only for held, referred or verification cases), and links are
  found against the store as it is now, not as it was when the advert arrived. The report counts
  the adverts it could not replay.
"""

from __future__ import annotations

import json
import secrets
import tempfile
import threading
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from asw_guard.errors import GuardError, InvalidAdvert, PolicyError
from asw_guard.guard import Guard
from asw_guard.indicators import default_registry
from asw_guard.intake import AdvertInput, parse_advert
from asw_guard.linking import IdentifierLinks, KeyedHasher, LinkIndex
from asw_guard.logs import get_logger
from asw_guard.models import Account, Action, Advert, Decision
from asw_guard.pipeline import Pipeline
from asw_guard.policy.loader import LoadedPolicy
from asw_guard.store import Store, open_store

log = get_logger("asw_guard.shadow")


@dataclass
class DiffReport:
    live: str
    candidate: str
    source: str
    compared: int = 0
    #: Adverts that could not be compared (no snapshot, unreadable), with why.
    skipped: int = 0
    transitions: Counter[tuple[Action, Action]] = field(default_factory=Counter)
    examples: dict[tuple[Action, Action], list[str]] = field(default_factory=dict)
    max_examples: int = 3

    @property
    def changed(self) -> int:
        return sum(n for (a, b), n in self.transitions.items() if a != b)

    def add(self, advert_id: str, live: Action, candidate: Action) -> None:
        self.compared += 1
        self.transitions[(live, candidate)] += 1
        if live != candidate:
            ids = self.examples.setdefault((live, candidate), [])
            if len(ids) < self.max_examples:
                ids.append(advert_id)

    def lines(self) -> list[str]:
        """The report as a person reads it: changes first, the biggest first."""
        out = [
            f"live {self.live} vs candidate {self.candidate} on {self.source}",
            f"{self.compared} adverts compared, {self.changed} would change action"
            + (f", {self.skipped} skipped" if self.skipped else ""),
        ]
        changes = [(k, n) for k, n in self.transitions.items() if k[0] != k[1]]
        for (live, cand), n in sorted(changes, key=lambda kv: (-kv[1], kv[0])):
            direction = "stricter" if cand.severity > live.severity else "more lenient"
            examples = ", ".join(self.examples.get((live, cand), []))
            out.append(f"  {live.value} -> {cand.value}: {n} ({direction}; e.g. {examples})")
        return out

    def as_dict(self) -> dict[str, object]:
        return {
            "live": self.live,
            "candidate": self.candidate,
            "source": self.source,
            "compared": self.compared,
            "changed": self.changed,
            "skipped": self.skipped,
            "transitions": [
                {
                    "from": a.value,
                    "to": b.value,
                    "count": n,
                    "examples": self.examples.get((a, b), []),
                }
                for (a, b), n in sorted(self.transitions.items())
            ],
        }


def _pipeline(store: Store, policy: LoadedPolicy, hasher: KeyedHasher) -> Pipeline:
    return Pipeline(
        registry=default_registry(),
        links=LinkIndex([IdentifierLinks(store)]),
        hasher=hasher,
        policy=policy,
        store=store,
    )


def read_jsonl(path: Path) -> Iterator[Advert]:
    """Adverts from a JSON Lines file; a bad line is an error naming the line."""
    try:
        with path.open(encoding="utf-8") as handle:
            for number, line in enumerate(handle, 1):
                if not line.strip():
                    continue
                try:
                    yield parse_advert(line)
                except InvalidAdvert as exc:
                    raise PolicyError(f"{path}:{number}: not an advert: {exc}") from None
    except OSError as exc:
        raise PolicyError(f"{path}: cannot read adverts: {exc.strerror}") from None


def diff_adverts(
    live: LoadedPolicy, candidate: LoadedPolicy, adverts: Iterable[Advert], source: str
) -> DiffReport:
    """Replay adverts in order under the live policy; the candidate decides each beforehand."""
    report = DiffReport(live.policy.id, candidate.policy.id, source)
    key = secrets.token_bytes(32)
    with tempfile.TemporaryDirectory(prefix="asw-guard-shadow-") as tmp:
        url = f"sqlite:///{Path(tmp) / 'shadow.db'}"
        with Guard.open(url, policy=live, hmac_key=key) as guard:
            shadow = _pipeline(guard.store, candidate, KeyedHasher(key))
            for advert in adverts:
                proposed = shadow.run(advert, record=False).decision.action
                actual = guard.check(advert).action
                report.add(advert.id, actual, proposed)
    return report


def diff_store(store_url: str, candidate: LoadedPolicy, hmac_key: bytes) -> DiffReport:
    """The candidate on every advert with a review snapshot, against the stored decision."""
    store = open_store(store_url)
    try:
        shadow = _pipeline(store, candidate, KeyedHasher(hmac_key))
        seen: set[str] = set()
        live_ids: set[str] = set()
        report = DiffReport(
            "stored decisions", candidate.policy.id, store_url.split("?", maxsplit=1)[0]
        )
        for event in store.events():
            if event.kind != "decision.created" or event.advert_id is None:
                continue
            if event.advert_id in seen:
                continue
            seen.add(event.advert_id)
            decision = store.get_decision(event.advert_id)
            if decision is None:
                report.skipped += 1
                continue
            live_ids.add(f"{decision.policy_id} {decision.policy_version}")
            raw = store.snapshot(decision.advert_id, decision.advert_version)
            if raw is None:
                report.skipped += 1
                continue
            try:
                data = json.loads(raw)
                # Snapshots keep no image bytes: keep only images that still have a hash.
                data["images"] = [i for i in data.get("images", []) if i.get("phash")]
                advert = Advert.model_validate_json(json.dumps(data))
                proposed = shadow.run(advert, record=False).decision.action
            except (GuardError, ValueError):
                report.skipped += 1
                continue
            report.add(decision.advert_id, decision.action, proposed)
        if live_ids:
            report.live = ", ".join(sorted(live_ids))
        return report
    finally:
        store.close()


class LiveShadow:
    """A candidate policy beside the live one on real traffic::

        shadow = LiveShadow(guard, load_policy("candidate.yaml"))
        decision = shadow.check(advert)  # the live decision, exactly as guard.check gives it
        print("\n".join(shadow.report.lines()))

    The candidate decides first, on the same store state the live check sees, and nothing of
    its decision is stored or returned. A failure of the candidate never affects the live check.
    """

    def __init__(self, guard: Guard, candidate: LoadedPolicy) -> None:
        self.guard = guard
        # The guard's own pipeline factory: same store, key and registry as the live policy.
        self._pipeline = guard._build(candidate)
        self._lock = threading.Lock()
        self.report = DiffReport(guard.policy.policy.id, candidate.policy.id, "live traffic")

    def check(self, advert: AdvertInput, account: Account | None = None) -> Decision:
        ad = parse_advert(advert)
        proposed: Action | None = None
        if self.guard.decision(ad.id, ad.version) is None:  # a repeat is not new traffic
            try:
                proposed = self._pipeline.run(ad, account, record=False).decision.action
            except Exception:
                log.exception("policy.shadow_failed", advert_id=ad.id)
        decision = self.guard.check(ad, account)
        if proposed is not None:
            with self._lock:
                self.report.add(ad.id, decision.action, proposed)
            if proposed != decision.action:
                log.info(
                    "policy.shadow",
                    advert_id=ad.id,
                    live=decision.action.value,
                    candidate=proposed.value,
                )
        return decision
