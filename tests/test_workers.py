"""Backfills with worker processes: the same decisions, in order, whatever happens to a worker.

(That worker-prepared decisions equal in-process ones on a whole market is the golden test's
second case; here are the ways a backfill can go wrong.)
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import signal
import time
from pathlib import Path
from typing import Any

import pytest

from asw_guard import Guard
from asw_guard.errors import InvalidAdvert
from asw_guard.intake import parse_advert
from asw_guard.linking.features import Benign
from asw_guard.linking.images import PhotoHash
from asw_guard.linking.keys import KeyedHasher
from asw_guard.pipeline import Preparation, prepare
from asw_guard.store.base import CheckRecord
from asw_guard.synth import generate_market

from .conftest import TEST_KEY
from .test_guard import advert


def summary(guard: Guard, adverts: list[Any], **kwargs: Any) -> list[tuple[str, str, float]]:
    return [(d.advert_id, d.action.value, d.score) for d in guard.check_many(adverts, **kwargs)]


@pytest.fixture(scope="module")
def market() -> list[dict[str, Any]]:
    return generate_market(400, seed=21).adverts


@pytest.fixture(scope="module")
def in_process(market: list[dict[str, Any]], tmp_path_factory: pytest.TempPathFactory) -> Any:
    db = tmp_path_factory.mktemp("ref") / "ref.db"
    with Guard.open(f"sqlite:///{db}", hmac_key=TEST_KEY) as guard:
        return summary(guard, market, batch_size=16)


def test_a_prepared_advert_crosses_between_processes_intact(
    market: list[dict[str, Any]],
) -> None:
    how = Preparation(
        region="GB",
        languages=("en", "ro"),
        hasher=KeyedHasher(TEST_KEY),
        benign=Benign(phrases=("verified",), photos=(PhotoHash((1, 2, 3)),)),
    )
    for ad in market[:50]:
        prepared = prepare(parse_advert(ad), how)
        back = pickle.loads(pickle.dumps(prepared))
        assert back == prepared
    again = pickle.loads(pickle.dumps(how))
    assert (again.region, again.languages, again.benign) == (how.region, how.languages, how.benign)
    assert again.hasher.key("phone", "+447700900123") == how.hasher.key("phone", "+447700900123")


def test_a_killed_worker_loses_no_decision(
    market: list[dict[str, Any]], in_process: Any, db_path: Path
) -> None:
    with Guard.open(f"sqlite:///{db_path}", hmac_key=TEST_KEY) as guard:
        out = []
        for i, d in enumerate(guard.check_many(market, batch_size=16, workers=1)):
            out.append((d.advert_id, d.action.value, d.score))
            if i == 20:
                for child in multiprocessing.active_children():
                    os.kill(child.pid or 0, signal.SIGKILL)
        assert out == in_process
        # The next backfill starts a fresh pool.
        more = [advert(i, phone=f"07700 900{i:03d}") for i in range(40)]
        assert len(list(guard.check_many(more, batch_size=8, workers=1))) == 40


def test_an_invalid_advert_stops_the_run_after_what_came_before(db_path: Path) -> None:
    items: list[object] = [advert(i, phone=f"07700 900{i:03d}") for i in range(30)]
    items.insert(13, {"id": "broken"})
    seen = []
    with Guard.open(f"sqlite:///{db_path}", hmac_key=TEST_KEY) as guard:
        with pytest.raises(InvalidAdvert) as info:
            for d in guard.check_many(items, batch_size=4, workers=1):  # type: ignore[arg-type]
                seen.append(d.advert_id)
        assert info.value.advert_id == "broken"
        assert seen == [f"ad-{i}" for i in range(13)]
        assert guard.decision("ad-13") is None


def test_on_invalid_reports_each_bad_input_with_its_position_and_goes_on(db_path: Path) -> None:
    items: list[object] = [advert(i, phone=f"07700 900{i:03d}") for i in range(20)]
    items.insert(3, b"\xff not utf-8")
    items.insert(9, {"id": "no-body"})
    items.append("[1, 2]")
    bad: list[tuple[int, str]] = []
    with Guard.open(f"sqlite:///{db_path}", hmac_key=TEST_KEY) as guard:
        decided = [
            d.advert_id
            for d in guard.check_many(
                items,  # type: ignore[arg-type]
                batch_size=4,
                workers=1,
                on_invalid=lambda pos, err: bad.append((pos, str(err))),
            )
        ]
    assert decided == [f"ad-{i}" for i in range(20)]
    assert [pos for pos, _ in bad] == [3, 9, 22]
    assert "UTF-8" in bad[0][1] and "body" in bad[1][1]


def test_a_suppression_added_mid_run_applies_to_adverts_already_read_ahead(
    db_path: Path,
) -> None:
    # The same boilerplate on every advert: once suppressed, it must stop linking them,
    # including adverts a worker prepared before the suppression.
    text = (
        "Welcome to our friendly agency website, every companion here is verified and "
        "booked through reception during opening hours for your comfort and discretion"
    )
    ads = [advert(i, body=f"{text}. Ask for room {i}.") for i in range(60)]
    links: dict[str, set[str]] = {}
    with Guard.open(f"sqlite:///{db_path}", hmac_key=TEST_KEY) as guard:
        save = guard.store.save_check

        def recording(record: CheckRecord) -> Any:
            links[record.decision.advert_id] = {t for _, t, _ in record.links}
            return save(record)

        guard.store.save_check = recording  # type: ignore[method-assign]
        for i, _ in enumerate(guard.check_many(ads, batch_size=4, workers=1)):
            if i == 7:
                guard.suppress("phrase", text, actor="test")
    assert any(links[f"ad-{i}"] for i in range(1, 8)), "the boilerplate links before"
    assert not any(links[f"ad-{i}"] for i in range(8, 60))


def test_closing_the_guard_stops_its_workers(db_path: Path) -> None:
    with Guard.open(f"sqlite:///{db_path}", hmac_key=TEST_KEY) as guard:
        list(guard.check_many([advert(i) for i in range(10)], batch_size=2, workers=1))
        assert multiprocessing.active_children()
    deadline = time.monotonic() + 10
    while multiprocessing.active_children() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not multiprocessing.active_children()
