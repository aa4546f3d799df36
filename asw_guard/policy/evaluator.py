"""Evaluating a policy's rules against the facts of one check.

Precedence, in order:

1. Every rule whose condition holds fires, and every fired rule is recorded in the decision.
2. Only the fired rules of the highest `priority` decide the action. This is how a person's
   earlier decision on the cluster outranks the automatic rules (ready policies give human-decision
   rules priority 50) and how a possible minor outranks even that (priority 90).
3. Among those, the most severe action wins: allow < flag < require_verification < hold < reject
   < refer.
4. When no rule fires, the policy's `default_action` applies.

Conditions are compiled once into plain closures when the policy loads: evaluation is on the
posting path and has a budget of tens of microseconds.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Protocol

from asw_guard.models import Action, Band
from asw_guard.policy.schema import Condition, Policy

_EMPTY: Mapping[str, int] = {}


@dataclass(frozen=True, slots=True)
class PolicyFacts:
    """What rules may ask about one check. `None` means the fact is unknown."""

    score: float
    band: Band
    indicators: frozenset[str]
    categories: frozenset[str]
    advertised_age: int | None = None
    verified: bool | None = None
    account_age_days: int | None = None
    payment_method: str | None = None
    #: The cluster: this advert plus the adverts strong links join it to directly (one hop).
    cluster_size: int | None = None
    cluster_aliases: int | None = None
    cluster_cities: int | None = None
    cluster_accounts: int | None = None
    #: window (as written in the policy, e.g. "24h") -> identifier kind -> distinct adverts.
    identifier_counts: Mapping[str, Mapping[str, int]] | None = None
    #: The latest decision a person made on this advert's cluster: "released" or "removed".
    human_decision: str | None = None
    #: Whether this advert brings evidence the person had not seen when deciding.
    new_evidence: bool | None = None
    extra: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class PolicyOutcome:
    action: Action
    rules_fired: list[str]


class PolicyEvaluator(Protocol):
    def evaluate(self, facts: PolicyFacts) -> PolicyOutcome: ...


Test = Callable[[PolicyFacts], bool]


def _as_set(value: str | list[str]) -> frozenset[str]:
    return frozenset([value] if isinstance(value, str) else value)


def compile_condition(cond: Condition) -> Test:
    """One closure per key given; the condition holds when all of them do."""
    tests: list[Test] = []
    _logic_and_signals(cond, tests.append)
    _advert_and_market(cond, tests.append)
    if not tests:
        return lambda f: True
    if len(tests) == 1:
        return tests[0]
    return _all_of(tests)


# Plain loops rather than all()/any() over a generator: rules are evaluated on every check,
# and the generator costs more than the tests it runs.
def _all_of(tests: list[Test]) -> Test:
    def test(f: PolicyFacts) -> bool:
        for t in tests:  # noqa: SIM110 (a loop on purpose, see above)
            if not t(f):
                return False
        return True

    return test


def _any_of(tests: list[Test]) -> Test:
    def test(f: PolicyFacts) -> bool:
        for t in tests:  # noqa: SIM110 (a loop on purpose, see above)
            if t(f):
                return True
        return False

    return test


def _logic_and_signals(cond: Condition, add: Callable[[Test], None]) -> None:
    if cond.all is not None:
        add(_all_of([compile_condition(c) for c in cond.all]))
    if cond.any is not None:
        add(_any_of([compile_condition(c) for c in cond.any]))
    if cond.not_ is not None:
        neg = compile_condition(cond.not_)
        add(lambda f: not neg(f))
    if (band_min := cond.band_at_least) is not None:
        rank_min = band_min.rank
        add(lambda f: f.band.rank >= rank_min)
    if (band_max := cond.band_below) is not None:
        rank_max = band_max.rank
        add(lambda f: f.band.rank < rank_max)
    if (s_min := cond.score_at_least) is not None:
        add(lambda f: f.score >= s_min)
    if (s_max := cond.score_below) is not None:
        add(lambda f: f.score < s_max)
    if cond.indicator is not None:
        any_of = _as_set(cond.indicator)
        add(lambda f: not any_of.isdisjoint(f.indicators))
    if cond.indicators_all is not None:
        all_of = frozenset(cond.indicators_all)
        add(lambda f: all_of <= f.indicators)
    if (n_ind := cond.indicators_at_least) is not None:
        add(lambda f: len(f.indicators) >= n_ind)
    if cond.category is not None:
        cats = _as_set(cond.category)
        add(lambda f: not cats.isdisjoint(f.categories))
    if (n_cat := cond.categories_at_least) is not None:
        add(lambda f: len(f.categories) >= n_cat)


def _advert_and_market(cond: Condition, add: Callable[[Test], None]) -> None:
    if (age := cond.advertised_age_below) is not None:
        add(lambda f: f.advertised_age is not None and f.advertised_age < age)
    if (verified := cond.verified) is not None:
        add(lambda f: f.verified is verified)
    if (days := cond.account_age_days_below) is not None:
        add(lambda f: f.account_age_days is not None and f.account_age_days < days)
    if cond.payment_method is not None:
        methods = frozenset(m.casefold() for m in _as_set(cond.payment_method))
        add(lambda f: f.payment_method is not None and f.payment_method.casefold() in methods)
    if (cl := cond.cluster) is not None:
        if (size := cl.size_at_least) is not None:
            add(lambda f: f.cluster_size is not None and f.cluster_size >= size)
        if (aliases := cl.distinct_aliases_at_least) is not None:
            add(lambda f: f.cluster_aliases is not None and f.cluster_aliases >= aliases)
        if (cities := cl.distinct_cities_at_least) is not None:
            add(lambda f: f.cluster_cities is not None and f.cluster_cities >= cities)
        if (accounts := cl.distinct_accounts_at_least) is not None:
            add(lambda f: f.cluster_accounts is not None and f.cluster_accounts >= accounts)
    if (counter := cond.identifier_count) is not None:
        window, kind, least = counter.window, counter.kind, counter.at_least

        def counted(f: PolicyFacts) -> bool:
            if f.identifier_counts is None:
                return False
            return f.identifier_counts.get(window, _EMPTY).get(kind, 0) >= least

        add(counted)
    if (outcome := cond.human_decision) is not None:
        add(lambda f: f.human_decision == outcome)
    if (new := cond.new_evidence) is not None:
        add(lambda f: f.new_evidence is new)


def holds(cond: Condition, facts: PolicyFacts) -> bool:
    """Whether every key of the condition is true of the facts (uncompiled, for one-offs)."""
    return compile_condition(cond)(facts)


class RuleEvaluator:
    """The rule evaluator for a loaded policy."""

    def __init__(self, policy: Policy) -> None:
        self.policy = policy
        self._rules = [
            (
                rule.id,
                rule.priority,
                rule.action.severity,
                rule.action,
                compile_condition(rule.when),
            )
            for rule in policy.rules
        ]
        self._default = policy.default_action

    def evaluate(self, facts: PolicyFacts) -> PolicyOutcome:
        fired_ids: list[str] = []
        best: tuple[int, int] = (-1, -1)
        action = self._default
        for rule_id, priority, severity, rule_action, test in self._rules:
            if test(facts):
                fired_ids.append(rule_id)
                if (priority, severity) > best:
                    best = (priority, severity)
                    action = rule_action
        return PolicyOutcome(action, fired_ids)
