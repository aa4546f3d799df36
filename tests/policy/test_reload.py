"""Reloading a running guard's policy: a good file takes over, a broken one changes nothing."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from asw_guard import Action, Guard
from asw_guard.errors import PolicyError
from asw_guard.policy import load_policy

from ..conftest import TEST_KEY

TEEN = {"account_id": "acc", "body": "Teen, call 07700 900140."}


def _write(path: Path, text: str, mtime: int) -> None:
    path.write_text(text)
    # Explicit mtimes: two writes within one filesystem tick must still look different.
    os.utime(path, (mtime, mtime))


def test_reload_swaps_the_policy(guard: Guard) -> None:
    assert guard.check({"id": "a1", **TEEN}).action is Action.FLAG
    loaded = guard.reload_policy("strict")
    assert guard.policy is loaded
    decision = guard.check({"id": "a2", **TEEN})
    assert decision.action is Action.HOLD
    assert decision.policy_id == "strict"
    assert decision.policy_hash == loaded.content_hash


def test_a_broken_file_keeps_the_old_policy(guard: Guard, tmp_path: Path) -> None:
    before = guard.policy
    bad = tmp_path / "bad.yaml"
    bad.write_text('id: t\nversion: "1"\nrulez: []\n')
    with pytest.raises(PolicyError, match=r"bad.yaml:3: rulez: unknown key \(did you mean 'rules'"):
        guard.reload_policy(bad)
    assert guard.policy is before
    assert guard.check({"id": "a1", **TEEN}).policy_id == "uk-default"


def test_reload_if_changed(db_path: Path, tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    text = (Path(__file__).parents[2] / "policies" / "observe-only.yaml").read_text()
    _write(path, text, 1_000_000)
    with Guard.open(f"sqlite:///{db_path}", policy=path, hmac_key=TEST_KEY) as guard:
        assert guard.reload_if_changed() is False
        _write(path, text.replace("id: observe-only", "id: observe-two"), 1_000_100)
        assert guard.reload_if_changed() is True
        assert guard.policy.policy.id == "observe-two"
        _write(path, "id: [broken\n", 1_000_200)
        with pytest.raises(PolicyError, match="not valid YAML"):
            guard.reload_if_changed()
        assert guard.policy.policy.id == "observe-two"
        # The same broken version is reported once, not on every call.
        assert guard.reload_if_changed() is False


def test_ready_policies_are_not_watched(guard: Guard) -> None:
    assert guard.reload_if_changed() is False


def test_reload_while_checking_from_threads(guard: Guard) -> None:
    hashes = {load_policy(n).content_hash for n in ("uk-default", "strict")}
    errors: list[BaseException] = []

    def worker(n: int) -> None:
        try:
            for i in range(15):
                d = guard.check({"id": f"t{n}-{i}", **TEEN})
                assert d.policy_hash in hashes
                assert d.action is (Action.HOLD if d.policy_id == "strict" else Action.FLAG)
        except BaseException as exc:  # collected for the main thread to report
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(3)]
    for t in threads:
        t.start()
    for name in ("strict", "uk-default", "strict"):
        guard.reload_policy(name)
    for t in threads:
        t.join()
    assert not errors
