"""The SQLite store: schema versions, the append-only record, clusters, and no raw identifiers."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from asw_guard import Guard
from asw_guard.errors import StoreError
from asw_guard.store import SQLiteStore, open_store

from .conftest import TEST_KEY


def test_new_file_is_migrated_to_the_newest_schema_in_wal_mode(db_path: Path) -> None:
    store = SQLiteStore(db_path)
    try:
        assert store.schema_version >= 2
        with sqlite3.connect(db_path) as con:
            assert con.execute("PRAGMA journal_mode").fetchone() == ("wal",)
            tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master")}
        assert {"decisions", "identifiers", "events", "links", "signatures"} <= tables
    finally:
        store.close()


def test_a_newer_schema_is_refused(db_path: Path) -> None:
    SQLiteStore(db_path).close()
    with sqlite3.connect(db_path) as con:
        con.execute("PRAGMA user_version = 999")
    with pytest.raises(StoreError, match="newer than this asw-guard knows"):
        SQLiteStore(db_path)


def test_events_refuse_edits_and_deletions(guard: Guard, db_path: Path) -> None:
    guard.check({"id": "a", "account_id": "b", "body": "hello"})
    with sqlite3.connect(db_path) as con:
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            con.execute("UPDATE events SET actor = 'someone else'")
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            con.execute("DELETE FROM events")


def test_tampering_breaks_the_chain(guard: Guard, db_path: Path) -> None:
    for i in range(3):
        guard.check({"id": f"a{i}", "account_id": "b", "body": "hello"})
    with sqlite3.connect(db_path) as con:
        con.execute("DROP TRIGGER events_no_update")
        con.execute("UPDATE events SET payload = '{}' WHERE seq = 2")
    with pytest.raises(StoreError, match="2"):
        guard.store.verify_events()


def test_cluster_summary_names_the_links_that_join_it(guard: Guard) -> None:
    for i, alias in enumerate(["Anna", "Bella", "Cleo"]):
        guard.check(
            {
                "id": f"ad-{i}",
                "account_id": f"acc-{i}",
                "alias": alias,
                "advertised_age": 19 + i,
                "location": {"city": ["Leeds", "York", "Hull"][i]},
                "body": "Call 07700 900555 today.",
            }
        )
    summary = guard.cluster("ad-0")
    assert summary is not None
    assert summary.size == 3
    assert summary.account_ids == ["acc-0", "acc-1", "acc-2"]
    assert summary.ages == [19, 20, 21]
    assert summary.cities == ["Hull", "Leeds", "York"]
    assert {(e.type, e.strength) for e in summary.links} == {("phone", "strong")}
    assert guard.cluster("nope") is None


def test_open_store_urls(tmp_path: Path) -> None:
    s = open_store(f"sqlite:///{tmp_path / 'x.db'}?synchronous=full")
    s.close()
    with pytest.raises(Exception, match="no store for 'mongodb'"):
        open_store("mongodb://localhost/db")


def test_the_database_holds_no_raw_identifiers(tmp_path: Path) -> None:
    db = tmp_path / "guard.db"
    phone, email, alias = "07700 900777", "juniper.example@example.com", "Juniperine"
    with Guard.open(f"sqlite:///{db}", hmac_key=TEST_KEY) as guard:
        for i in range(3):
            d = guard.check(
                {
                    "id": f"ad-{i}",
                    "account_id": "acc-1",
                    "alias": alias,
                    "body": "Hello, friendly and relaxed.",
                    "phones": [phone],
                    "emails": [email],
                    "payment_token": "tok-secret-payment-9f3a",
                    "device_token": "dev-secret-device-77b1",
                }
            )
            assert d.action.value in ("allow", "flag")
        assert guard.store.snapshot("ad-0", 1) is None
    blob = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.name.startswith("guard.db"))
    for raw in (
        b"7700900777",
        b"07700 900777",
        email.encode(),
        b"juniper",
        alias.encode(),
        b"tok-secret-payment",
        b"dev-secret-device",
    ):
        assert raw not in blob, raw


def test_retention_is_enforced_without_being_asked(tmp_path: Path) -> None:
    db = tmp_path / "guard.db"
    held = {
        "id": "minor-1",
        "account_id": "acc-1",
        "advertised_age": 16,
        "body": "Sweet schoolgirl, call 07700 900321",
    }
    with Guard.open(f"sqlite:///{db}", hmac_key=TEST_KEY) as guard:
        d = guard.check(held)
        assert d.action.needs_review
        assert guard.store.snapshot("minor-1", 1) is not None
    with sqlite3.connect(db) as con:
        con.execute("UPDATE snapshots SET expires_at = '2000-01-01T00:00:00+00:00'")
    with Guard.open(f"sqlite:///{db}", hmac_key=TEST_KEY) as guard:
        guard.check({"id": "other", "account_id": "acc-2", "body": "hello"})
        assert guard.store.snapshot("minor-1", 1) is None
        assert guard.decision("minor-1") == d  # the decision itself is kept
