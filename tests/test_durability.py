"""Killed mid-write: SIGKILL during a long `check_many` loses nothing and duplicates nothing."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

from asw_guard import Guard
from asw_guard.store.sqlite import _Checkpointer
from asw_guard.synth import generate_market

from .conftest import TEST_KEY
from .helpers import CLI, cli_env


def decided(db: Path) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as con:
            return int(con.execute("SELECT count(*) FROM decisions").fetchone()[0])
    except sqlite3.OperationalError:
        return 0


def children_of(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(p) for p in (task / "children").read_text().split()]
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_sigkill_mid_backfill_then_resume(tmp_path: Path) -> None:
    market = generate_market(3_000, seed=11)
    src = market.write(tmp_path / "market")
    db = tmp_path / "guard.db"
    child = subprocess.Popen(
        [*CLI, "check", str(src), "--store", f"sqlite:///{db}", "-o", str(tmp_path / "out1")],
        env=cli_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while decided(db) < 300 and time.monotonic() < deadline and child.poll() is None:
        time.sleep(0.02)
    # A long file gets a worker process reading ahead; it must not outlive its killed parent.
    workers = children_of(child.pid)
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)
    killed_at = decided(db)
    assert workers, "the backfill should have started a worker process"
    deadline = time.monotonic() + 30
    while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(alive(pid) for pid in workers), "a worker outlived its killed parent"
    assert 300 <= killed_at < 3_000, "the kill should land in the middle of the run"

    with sqlite3.connect(db) as con:
        assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        # A decision exists only with everything written in its transaction.
        n_decisions = con.execute("SELECT count(*) FROM decisions").fetchone()[0]
        n_adverts = con.execute("SELECT count(*) FROM adverts").fetchone()[0]
        decided_adverts = con.execute("SELECT count(DISTINCT advert_id) FROM decisions").fetchone()[
            0
        ]
        n_events = con.execute(
            "SELECT count(*) FROM events WHERE kind = 'decision.created'"
        ).fetchone()[0]
        orphans = con.execute(
            "SELECT count(*) FROM identifiers WHERE advert_id NOT IN "
            "(SELECT advert_id FROM decisions)"
        ).fetchone()[0]
    assert n_decisions == n_events
    assert n_adverts == decided_adverts  # edits are new decisions of the same advert
    assert orphans == 0

    rerun = subprocess.run(
        [*CLI, "check", str(src), "--store", f"sqlite:///{db}", "-o", str(tmp_path / "out2")],
        env=cli_env(),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert rerun.returncode == 0, rerun.stderr
    with sqlite3.connect(db) as con:
        rows = con.execute("SELECT advert_id, advert_version FROM decisions").fetchall()
    assert len(rows) == len(set(rows)) == len(market.adverts)
    # Decisions written before the kill are returned unchanged on the second run.
    # (The killed run's output may end in a half-written line: only whole lines count.)
    whole = (tmp_path / "out1").read_text().split("\n")[:-1]

    def key(line: str) -> tuple[str, int]:
        d = json.loads(line)
        return d["advert_id"], d["advert_version"]

    before = {key(x): x for x in whole}
    after = {key(x): x for x in (tmp_path / "out2").read_text().splitlines()}
    assert before and all(after[k] == v for k, v in before.items())
    with Guard.open(f"sqlite:///{db}", hmac_key=TEST_KEY) as guard:
        assert guard.store.verify_events() >= len(market.adverts)
        created = [e for e in guard.store.events() if e.kind == "decision.created"]
        assert len(created) == len(market.adverts)


def test_the_write_ahead_log_stays_bounded_through_a_long_backfill(tmp_path: Path) -> None:
    # A writer that never pauses must still get its log copied back and restarted: the
    # checkpoint thread alone cannot restart it (a commit always lands while it copies), and a
    # design without the commit's own checkpoint as a backstop let it grow to gigabytes.
    db = tmp_path / "guard.db"
    wal = tmp_path / "guard.db-wal"
    biggest = 0
    with Guard.open(f"sqlite:///{db}", hmac_key=TEST_KEY) as guard:
        for i, _ in enumerate(guard.check_many(generate_market(2_000, seed=5).adverts)):
            if i % 100 == 0 and wal.exists():
                biggest = max(biggest, wal.stat().st_size)
    assert 0 < biggest < 16 * 1024 * 1024


def test_single_checks_are_copied_into_the_database_file_off_the_posting_path(
    tmp_path: Path,
) -> None:
    db = tmp_path / "guard.db"
    adverts = generate_market(200, seed=2).adverts[:40]
    with Guard.open(f"sqlite:///{db}", hmac_key=TEST_KEY) as guard:
        # No copying inside the commits at all: whatever reaches the file was copied by the
        # store's checkpoint thread.
        guard.store._db.execute("PRAGMA wal_autocheckpoint=0")  # type: ignore[attr-defined]
        for advert in adverts:
            guard.check(advert)
        in_file = 0
        deadline = time.monotonic() + 20
        # The thread wakes every few commits, so the last few may still be in the log only.
        expected = len(adverts) - _Checkpointer.EVERY
        while in_file < expected and time.monotonic() < deadline:
            # The file alone, without its log: what a checkpoint has written back.
            copy = tmp_path / "file-only.db"
            copy.write_bytes(db.read_bytes())
            with sqlite3.connect(copy) as con:
                in_file = int(con.execute("SELECT count(*) FROM decisions").fetchone()[0])
            copy.unlink()
            time.sleep(0.2)
    assert in_file >= expected


def test_closing_the_store_stops_its_checkpoint_thread(tmp_path: Path) -> None:
    import threading

    with Guard.open(f"sqlite:///{tmp_path / 'guard.db'}", hmac_key=TEST_KEY) as guard:
        guard.check(generate_market(100, seed=1).adverts[0])
        assert any(t.name == "asw-guard-checkpoint" for t in threading.enumerate())
    assert not any(t.name == "asw-guard-checkpoint" for t in threading.enumerate())
