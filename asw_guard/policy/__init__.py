"""Operator policies: the YAML schema, the loader and the rule evaluator."""

from asw_guard.policy.evaluator import PolicyEvaluator, PolicyFacts, PolicyOutcome, RuleEvaluator
from asw_guard.policy.loader import READY_POLICIES, LoadedPolicy, load_policy, parse_policy
from asw_guard.policy.schema import Condition, Policy, Rule

__all__ = [
    "READY_POLICIES",
    "Condition",
    "LoadedPolicy",
    "Policy",
    "PolicyEvaluator",
    "PolicyFacts",
    "PolicyOutcome",
    "Rule",
    "RuleEvaluator",
    "load_policy",
    "parse_policy",
]
