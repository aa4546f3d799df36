"""The ready policies: their shipped cases pass, and their promises hold."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from asw_guard.indicators import load_specs
from asw_guard.models import Action, Band
from asw_guard.policy import READY_POLICIES, PolicyFacts, RuleEvaluator, load_policy
from asw_guard.policy.cases import case_files, run_cases
from asw_guard.risk import band_for

ROOT = Path(__file__).parents[2]
CASES = ROOT / "policies" / "cases"


@pytest.mark.parametrize("name", READY_POLICIES)
def test_shipped_cases_pass(name: str) -> None:
    assert case_files(CASES / name), f"no cases shipped for {name}"
    failures = [
        f"{r.name}: {'; '.join(r.failures)}"
        for r in run_cases(load_policy(name), CASES / name)
        if not r.passed
    ]
    assert not failures, "\n".join(failures)


def test_observe_only_never_blocks() -> None:
    policy = load_policy("observe-only").policy
    allowed = {Action.ALLOW, Action.FLAG}
    assert policy.default_action in allowed
    assert policy.on_error == "allow"
    assert {rule.action for rule in policy.rules} <= allowed


@pytest.mark.parametrize("indicator", sorted(load_specs()))
def test_one_weak_indicator_alone_never_holds_under_uk_default(indicator: str) -> None:
    policy = load_policy("uk-default").policy
    spec = load_specs()[indicator]
    weight = policy.indicators[indicator].weight if indicator in policy.indicators else None
    score = 100.0 * (weight if weight is not None else spec.default_weight)
    bands = {
        "medium": policy.bands.medium,
        "high": policy.bands.high,
        "critical": policy.bands.critical,
    }
    band = band_for(score, {Band(k): v for k, v in bands.items()})
    # Alone: one indicator, its one category, an advert on its own (a cluster of one).
    facts = PolicyFacts(
        score=score,
        band=band,
        indicators=frozenset({indicator}),
        categories=frozenset({spec.category}),
        cluster_size=1,
        cluster_aliases=1,
        cluster_cities=1,
        cluster_accounts=1,
    )
    action = RuleEvaluator(policy).evaluate(facts).action
    assert action.severity < Action.HOLD.severity, (indicator, action)


_SECRET_WORDS = re.compile(
    r"\d|score|risk|indicator|threshold|link|cluster|band|rule|traffick|exploit|flag", re.I
)


@pytest.mark.parametrize("name", READY_POLICIES)
def test_advertiser_messages_reveal_nothing(name: str) -> None:
    loaded = load_policy(name)
    specs = load_specs()
    secrets = {s.id.casefold() for s in specs.values()}
    secrets |= {s.title.casefold() for s in specs.values()}
    secrets |= {r.id.casefold() for r in loaded.policy.rules}
    for action in Action:
        message = loaded.policy.messages.for_action(action)
        assert message.strip()
        assert not _SECRET_WORDS.search(message), (action, message)
        assert not any(s in message.casefold() for s in secrets), (action, message)
    # A flag must read like an allow, and a referral like a hold: either would tip someone off.
    messages = loaded.policy.messages
    assert messages.flag == messages.allow
    assert messages.refer == messages.hold


@pytest.mark.parametrize("name", READY_POLICIES)
def test_each_ready_policy_is_documented(name: str) -> None:
    readme = (ROOT / "policies" / "README.md").read_text(encoding="utf-8")
    assert f"## {name}" in readme
