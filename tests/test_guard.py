"""The Guard facade end to end on a real SQLite file."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest

from asw_guard import Action, Guard, InvalidAdvert
from asw_guard.errors import ConfigError

from .conftest import TEST_KEY


def advert(i: int, phone: str = "07700 900123", **extra: object) -> dict[str, object]:
    return {
        "id": f"ad-{i}",
        "account_id": f"acc-{i}",
        "alias": ["Anna", "Bella", "Cleo", "Dana"][i % 4],
        "body": f"Hello gentlemen, call me on {phone} for a relaxing time.",
        **extra,
    }


def test_check_stores_an_explained_decision(guard: Guard, db_path: Path) -> None:
    decision = guard.check(advert(1))
    assert decision.advert_id == "ad-1"
    assert decision.policy_id == "uk-default"
    assert decision.policy_hash.startswith("sha256:")
    assert decision.timings.total_ms > 0
    assert guard.decision("ad-1") == decision
    with sqlite3.connect(db_path) as con:
        assert con.execute("SELECT count(*) FROM decisions").fetchone() == (1,)


def test_same_version_twice_writes_nothing_new(guard: Guard, db_path: Path) -> None:
    first = guard.check(advert(1))
    again = guard.check(advert(1))
    assert again.decision_id == first.decision_id
    newer = guard.check(advert(1, version=2))
    assert newer.decision_id != first.decision_id
    assert guard.decision("ad-1") == newer
    assert guard.decision("ad-1", version=1) == first
    with sqlite3.connect(db_path) as con:
        assert con.execute("SELECT count(*) FROM decisions").fetchone() == (2,)


def test_shared_phone_across_accounts_links_and_raises_the_score(guard: Guard) -> None:
    alone = guard.check(advert(0))
    linked = [guard.check(advert(i)) for i in range(1, 4)]
    assert linked[-1].score > alone.score
    assert any(r.indicator == "shared_contact_distinct_people" for r in linked[-1].reasons)
    cluster = guard.cluster("ad-3")
    assert cluster is not None
    assert set(cluster.advert_ids) == {"ad-0", "ad-1", "ad-2", "ad-3"}
    assert cluster.distinct_aliases == 4


def test_different_phones_do_not_link(guard: Guard) -> None:
    guard.check(advert(0, phone="07700 900111"))
    d = guard.check(advert(1, phone="07700 900222"))
    assert not any(r.category == "network" for r in d.reasons)


def test_preview_stores_nothing(guard: Guard) -> None:
    d = guard.preview(advert(1))
    assert d.action in set(Action)
    assert guard.decision("ad-1") is None


def test_async_twin(guard: Guard) -> None:
    d = asyncio.run(guard.acheck(advert(5)))
    assert guard.decision("ad-5") == d


def test_check_many_returns_one_decision_per_advert(guard: Guard) -> None:
    out = list(guard.check_many(advert(i, phone=f"07700 900{i:03d}") for i in range(50)))
    assert [d.advert_id for d in out] == [f"ad-{i}" for i in range(50)]
    assert sum(guard.store.count_decisions().values()) == 50


def test_bad_input_lists_every_problem_and_stores_nothing(guard: Guard) -> None:
    with pytest.raises(InvalidAdvert) as info:
        guard.check({"account_id": 5, "body": "x", "advertised_age": "19"})
    fields = {p.field for p in info.value.problems}
    assert {"id", "account_id", "advertised_age"} <= fields
    assert sum(guard.store.count_decisions().values()) == 0


def test_a_different_key_is_refused(db_path: Path) -> None:
    with Guard.open(f"sqlite:///{db_path}", hmac_key=TEST_KEY) as g:
        g.check(advert(1))
    with pytest.raises(ConfigError, match="different HMAC key"):
        Guard.open(f"sqlite:///{db_path}", hmac_key=b"another key of enough length!!!!")


def test_events_are_hash_chained(guard: Guard) -> None:
    for i in range(3):
        guard.check(advert(i))
    assert guard.store.verify_events() >= 3


def test_check_many_commits_what_came_before_an_invalid_advert(guard: Guard) -> None:
    items: list[object] = [advert(i, phone=f"07700 900{i:03d}") for i in range(10)]
    items.insert(5, {"id": "broken"})
    seen = []
    with pytest.raises(InvalidAdvert) as info:
        for d in guard.check_many(items, batch_size=4):  # type: ignore[arg-type]
            seen.append(d.advert_id)
    assert info.value.advert_id == "broken"
    assert seen == [f"ad-{i}" for i in range(5)]
    assert all(guard.decision(f"ad-{i}") is not None for i in range(5))
    assert guard.decision("ad-5") is None


def test_internal_failure_falls_back_to_the_policy_and_stores_nothing(
    guard: Guard, monkeypatch: pytest.MonkeyPatch
) -> None:
    def boom(*_: object, **__: object) -> None:
        raise RuntimeError("detector bug")

    monkeypatch.setattr(guard._pipeline, "run", boom)
    d = guard.check(advert(1))
    assert d.action == Action.HOLD  # uk-default: on_error hold
    assert d.warnings and "internal error" in d.warnings[0]
    assert guard.decision("ad-1") is None  # re-checked for real next time


def test_market_prices_are_learned_kept_across_restarts_and_untouched_by_preview(
    db_path: Path,
) -> None:
    def priced(i: int, amount: float) -> dict[str, object]:
        return {
            "id": f"p-{i}",
            "account_id": f"acc-{i}",
            "location": {"city": "Leeds"},
            "prices": [{"amount": amount, "currency": "GBP", "minutes": 60}],
            "body": "Relaxed and friendly, book ahead please.",
        }

    with Guard.open(f"sqlite:///{db_path}", hmac_key=TEST_KEY) as g:
        for i in range(40):
            g.check(priced(i, 300.0 + i))
        book = g._price_book
        assert book is not None and book.count("GBP", "Leeds") == 40
        g.preview(priced(99, 20.0))
        assert book.count("GBP", "Leeds") == 40
    with Guard.open(f"sqlite:///{db_path}", hmac_key=TEST_KEY) as g:
        assert g._price_book is not None and g._price_book.count("GBP", "Leeds") == 40
        d = g.check(priced(100, 90.0))  # cheap for this market, though not for the prior
        assert "low_price" in {r.indicator for r in d.reasons}
