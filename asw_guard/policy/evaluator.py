"""Evaluating a policy's rules against the facts of one check.

Precedence: every rule whose condition holds fires; the most severe action among them wins
(allow < flag < require_verification < hold < reject < refer). When none fires, the policy's
`default_action` applies. All fired rules are recorded, not only the winner.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from asw_guard.models import Action, Band
from asw_guard.policy.schema import Condition, Policy


@dataclass(frozen=True, slots=True)
class PolicyFacts:
    """What rules may ask about one check."""

    score: float
    band: Band
    indicators: frozenset[str]
    categories: frozenset[str]
    advertised_age: int | None = None
    verified: bool | None = None
    extra: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class PolicyOutcome:
    action: Action
    rules_fired: list[str]


class PolicyEvaluator(Protocol):
    def evaluate(self, facts: PolicyFacts) -> PolicyOutcome: ...


def holds(cond: Condition, facts: PolicyFacts) -> bool:
    """Whether every key of the condition is true of the facts."""
    if cond.all is not None and not all(holds(c, facts) for c in cond.all):
        return False
    if cond.any is not None and not any(holds(c, facts) for c in cond.any):
        return False
    if cond.not_ is not None and holds(cond.not_, facts):
        return False
    if cond.band_at_least is not None and facts.band.rank < cond.band_at_least.rank:
        return False
    if cond.score_at_least is not None and facts.score < cond.score_at_least:
        return False
    if cond.indicator is not None:
        wanted = {cond.indicator} if isinstance(cond.indicator, str) else set(cond.indicator)
        if not wanted & facts.indicators:
            return False
    if cond.categories_at_least is not None and len(facts.categories) < cond.categories_at_least:
        return False
    if cond.advertised_age_below is not None and not (
        facts.advertised_age is not None and facts.advertised_age < cond.advertised_age_below
    ):
        return False
    return not (cond.verified is not None and facts.verified is not cond.verified)


class RuleEvaluator:
    """The rule evaluator for a loaded policy."""

    def __init__(self, policy: Policy) -> None:
        self.policy = policy

    def evaluate(self, facts: PolicyFacts) -> PolicyOutcome:
        fired = [rule for rule in self.policy.rules if holds(rule.when, facts)]
        if not fired:
            return PolicyOutcome(self.policy.default_action, [])
        action = max((r.action for r in fired), key=lambda a: a.severity)
        return PolicyOutcome(action, [r.id for r in fired])
