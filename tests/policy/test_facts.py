"""The facts the pipeline gives policies: counters, cluster, account, and what is stored."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from asw_guard import Action, Guard
from asw_guard.intake import parse_advert
from asw_guard.linking import LinkQuery, advert_identifiers
from asw_guard.models import Account, Band
from asw_guard.pipeline import read_advert
from asw_guard.policy import load_policy, parse_policy
from asw_guard.risk import Assessment
from asw_guard.store.base import IdentifierKey

from ..conftest import TEST_KEY

T0 = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def ad(
    i: int, *, hours: float = 0, phone: str = "07700 900150", **extra: object
) -> dict[str, object]:
    return {
        "id": f"ad-{i}",
        "account_id": extra.pop("account_id", f"acc-{i}"),
        "body": f"Call me on {phone}.",
        "posted_at": (T0 + timedelta(hours=hours)).isoformat(),
        **extra,
    }


def test_identifier_counts_distinct_adverts_per_kind_since(guard: Guard) -> None:
    for i, hours in enumerate([0, 1, 30]):
        guard.check(ad(i, hours=hours))
    store = guard.store
    key = guard._pipeline.hasher.key("phone", "+447700900150")
    other = IdentifierKey("email", b"nothing-like-it")
    assert store.identifier_counts([key, other], T0 - timedelta(hours=1)) == {"phone": 3}
    assert store.identifier_counts([key], T0 + timedelta(minutes=30)) == {"phone": 2}
    assert store.identifier_counts([key], T0, exclude_advert="ad-0") == {"phone": 2}
    assert store.identifier_counts([], T0) == {}


def test_identifier_count_rule_uses_the_window_before_posting(db_path: Path) -> None:
    policy = parse_policy(
        'id: t\nversion: "1"\nrules:\n  - id: burst\n'
        "    when: {identifier_count: {kind: phone, window: 24h, at_least: 3}}\n"
        "    action: hold\n"
    )
    with Guard.open(f"sqlite:///{db_path}", policy=policy, hmac_key=TEST_KEY) as guard:
        same = {"account_id": "acc-1", "alias": "Kim"}
        assert guard.check(ad(1, hours=0, **same)).action is Action.ALLOW
        assert guard.check(ad(2, hours=30, **same)).action is Action.ALLOW  # first is 30h old
        assert guard.check(ad(3, hours=31, **same)).action is Action.ALLOW  # 2 in the window
        held = guard.check(ad(4, hours=32, **same))
        assert held.action is Action.HOLD
        assert held.rules_fired == ["burst"]


def test_cluster_and_account_facts(guard: Guard) -> None:
    pipeline = guard._pipeline
    cities = ["London", "Leeds", "Leeds"]
    for i, (alias, city) in enumerate(zip(["Anna", "Bella", "anna"], cities, strict=True)):
        guard.check(ad(i, alias=alias, location={"city": city}, account_id=f"acc-{i % 2}"))
    advert = parse_advert(ad(9, alias="Cleo", location={"city": "york"}, account_id="acc-9"))
    identifiers = advert_identifiers(advert, read_advert(advert, "GB"))
    keys = [pipeline.hasher.key(i.kind, i.value) for i in identifiers]
    links = pipeline.links.find(LinkQuery(advert=advert, identifiers=identifiers, keys=keys))
    account = Account(id="acc-9", created_at=T0 - timedelta(days=3), payment_method="crypto")
    nothing = Assessment(score=0.0, band=Band.LOW, reasons=[], categories=frozenset())
    facts = pipeline.facts(advert, account, nothing, frozenset(), links, keys)
    assert facts.cluster_size == 4
    assert facts.cluster_aliases == 3  # Anna and anna are one alias
    assert facts.cluster_cities == 3  # London, Leeds, York
    assert facts.cluster_accounts == 3
    assert facts.account_age_days == 3
    assert facts.payment_method == "crypto"
    # uk-default counts phones over 24h: the three stored adverts and this one.
    assert facts.identifier_counts == {"24h": {"phone": 4}}
    assert facts.human_decision is None
    assert facts.new_evidence is None


def test_decisions_carry_advertiser_message_apart_from_reasons(guard: Guard) -> None:
    decision = guard.check({"id": "m1", "account_id": "a", "advertised_age": 16, "body": "Hi"})
    assert decision.action is Action.REFER
    messages = load_policy("uk-default").policy.messages
    assert decision.advertiser_message == messages.refer == messages.hold
    assert "possible-minor" in decision.rules_fired
    assert "possible-minor" not in decision.advertiser_message
    assert guard.decision("m1") == decision
