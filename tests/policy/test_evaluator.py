"""The rule language, key by key, and the documented precedence."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from asw_guard.models import Action, Band
from asw_guard.policy import PolicyFacts, RuleEvaluator, load_policy, parse_policy
from asw_guard.policy.evaluator import holds
from asw_guard.policy.schema import Condition

BASE = PolicyFacts(score=0.0, band=Band.LOW, indicators=frozenset(), categories=frozenset())


def facts(**changes: Any) -> PolicyFacts:
    return dataclasses.replace(BASE, **changes)


def cond(**keys: Any) -> Condition:
    return Condition.model_validate(keys)


@pytest.mark.parametrize(
    ("keys", "true_of", "false_of"),
    [
        ({"band_at_least": "high"}, {"band": Band.CRITICAL}, {"band": Band.MEDIUM}),
        ({"band_below": "high"}, {"band": Band.MEDIUM}, {"band": Band.HIGH}),
        ({"score_at_least": 40}, {"score": 40.0}, {"score": 39.9}),
        ({"score_below": 40}, {"score": 39.9}, {"score": 40.0}),
        ({"indicator": "a"}, {"indicators": frozenset({"a", "b"})}, {"indicators": frozenset("b")}),
        ({"indicator": ["a", "c"]}, {"indicators": frozenset("c")}, {"indicators": frozenset("b")}),
        (
            {"indicators_all": ["a", "b"]},
            {"indicators": frozenset("abc")},
            {"indicators": frozenset("a")},
        ),
        (
            {"indicators_at_least": 2},
            {"indicators": frozenset("ab")},
            {"indicators": frozenset("a")},
        ),
        ({"category": "movement"}, {"categories": frozenset({"movement"})}, {}),
        (
            {"categories_at_least": 2},
            {"categories": frozenset({"x", "y"})},
            {"categories": frozenset("x")},
        ),
        ({"advertised_age_below": 18}, {"advertised_age": 17}, {"advertised_age": 18}),
        ({"verified": True}, {"verified": True}, {"verified": None}),
        ({"verified": False}, {"verified": False}, {"verified": None}),
        ({"account_age_days_below": 7}, {"account_age_days": 6}, {"account_age_days": 7}),
        (
            {"payment_method": ["Crypto", "gift card"]},
            {"payment_method": "crypto"},
            {"payment_method": "card"},
        ),
        ({"cluster": {"size_at_least": 3}}, {"cluster_size": 3}, {"cluster_size": 2}),
        (
            {"cluster": {"distinct_aliases_at_least": 2}},
            {"cluster_aliases": 2},
            {"cluster_aliases": 1},
        ),
        (
            {"cluster": {"distinct_cities_at_least": 2}},
            {"cluster_cities": 2},
            {"cluster_cities": None},
        ),
        (
            {"cluster": {"distinct_accounts_at_least": 2}},
            {"cluster_accounts": 2},
            {"cluster_accounts": 1},
        ),
        (
            {"identifier_count": {"kind": "phone", "window": "24h", "at_least": 5}},
            {"identifier_counts": {"24h": {"phone": 5}}},
            {"identifier_counts": {"24h": {"phone": 4}, "7d": {"phone": 9}}},
        ),
        (
            {"human_decision": "removed"},
            {"human_decision": "removed"},
            {"human_decision": "released"},
        ),
        ({"new_evidence": False}, {"new_evidence": False}, {"new_evidence": None}),
        ({"not": {"verified": True}}, {"verified": None}, {"verified": True}),
        (
            {"any": [{"score_at_least": 50}, {"verified": False}]},
            {"verified": False},
            {"score": 49.0},
        ),
        (
            {"all": [{"score_at_least": 10}, {"verified": False}]},
            {"score": 10.0, "verified": False},
            {"score": 10.0},
        ),
        ({}, {}, None),
    ],
)
def test_each_key(
    keys: dict[str, Any], true_of: dict[str, Any], false_of: dict[str, Any] | None
) -> None:
    c = cond(**keys)
    assert holds(c, facts(**true_of))
    if false_of is not None:
        assert not holds(c, facts(**false_of))


def test_unknown_facts_never_satisfy_a_key() -> None:
    unknown = facts()
    for keys in (
        {"advertised_age_below": 18},
        {"account_age_days_below": 30},
        {"payment_method": "crypto"},
        {"cluster": {"size_at_least": 1}},
        {"identifier_count": {"kind": "phone", "window": "24h", "at_least": 1}},
        {"human_decision": "released"},
    ):
        assert not holds(cond(**keys), unknown), keys


def test_keys_of_one_condition_all_must_hold() -> None:
    c = cond(band_at_least="medium", categories_at_least=2)
    assert not holds(c, facts(band=Band.HIGH, categories=frozenset({"x"})))
    assert holds(c, facts(band=Band.HIGH, categories=frozenset({"x", "y"})))


POLICY = """\
id: t
version: "1"
default_action: flag
rules:
  - id: high
    when: {band_at_least: high}
    action: hold
  - id: medium
    when: {band_at_least: medium}
    action: require_verification
  - id: released
    priority: 50
    when: {human_decision: released, new_evidence: false}
    action: allow
  - id: removed
    priority: 50
    when: {human_decision: removed}
    action: reject
  - id: minor
    priority: 90
    when: {advertised_age_below: 18}
    action: refer
"""


@pytest.fixture
def evaluator() -> RuleEvaluator:
    return RuleEvaluator(parse_policy(POLICY).policy)


def test_default_action_when_nothing_fires(evaluator: RuleEvaluator) -> None:
    outcome = evaluator.evaluate(facts())
    assert outcome.action is Action.FLAG
    assert outcome.rules_fired == []


def test_most_severe_action_wins_and_every_fired_rule_is_recorded(evaluator: RuleEvaluator) -> None:
    outcome = evaluator.evaluate(facts(band=Band.CRITICAL))
    assert outcome.action is Action.HOLD
    assert outcome.rules_fired == ["high", "medium"]


def test_a_release_by_a_person_outranks_automatic_rules(evaluator: RuleEvaluator) -> None:
    released = facts(band=Band.CRITICAL, human_decision="released", new_evidence=False)
    outcome = evaluator.evaluate(released)
    assert outcome.action is Action.ALLOW
    assert outcome.rules_fired == ["high", "medium", "released"]


def test_a_release_does_not_stand_against_new_evidence(evaluator: RuleEvaluator) -> None:
    outcome = evaluator.evaluate(
        facts(band=Band.CRITICAL, human_decision="released", new_evidence=True)
    )
    assert outcome.action is Action.HOLD


def test_a_removal_by_a_person_outranks_a_low_score(evaluator: RuleEvaluator) -> None:
    assert evaluator.evaluate(facts(human_decision="removed")).action is Action.REJECT


def test_a_possible_minor_outranks_a_release(evaluator: RuleEvaluator) -> None:
    outcome = evaluator.evaluate(
        facts(advertised_age=16, human_decision="released", new_evidence=False)
    )
    assert outcome.action is Action.REFER


def test_ready_policies_honour_earlier_human_decisions() -> None:
    uk = RuleEvaluator(load_policy("uk-default").policy)
    strong = facts(
        score=80.0, band=Band.CRITICAL, indicators=frozenset("ab"), categories=frozenset("xy")
    )
    assert uk.evaluate(strong).action is Action.HOLD
    assert (
        uk.evaluate(
            dataclasses.replace(strong, human_decision="released", new_evidence=False)
        ).action
        is Action.ALLOW
    )
    assert (
        uk.evaluate(
            dataclasses.replace(strong, human_decision="released", new_evidence=True)
        ).action
        is Action.HOLD
    )
    assert uk.evaluate(facts(human_decision="removed")).action is Action.HOLD
    strict = RuleEvaluator(load_policy("strict").policy)
    assert strict.evaluate(facts(human_decision="removed")).action is Action.REJECT
