"""The in-memory similarity index: exact against brute force, and kept in step with the store's
key log across edits, rolled-back batches, other processes and the upgrade from schema 3."""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from asw_guard import Guard
from asw_guard.linking.features import pack_tokens
from asw_guard.linking.images import PhotoHash
from asw_guard.linking.keys import KeyedHasher
from asw_guard.linking.numbers import close_number_keys
from asw_guard.linking.text import text_fingerprint
from asw_guard.store import SQLiteStore
from asw_guard.store.memindex import (
    DensePostings,
    Postings,
    SimilarityIndex,
    band_number,
    band_numbers,
)
from asw_guard.store.sqlite import _migrations

from .conftest import TEST_KEY

TEMPLATE = (
    "Hi gentlemen, I am {name}, new in town and waiting for you in my clean private flat near "
    "the station. Sweet, friendly and discreet, I like to take my time and make you relax."
)


class SmallPostings(Postings):
    MERGE_AT = 7
    MID_AT = 16


class SmallDensePostings(DensePostings):
    MERGE_AT = 7
    MID_AT = 16

    def __init__(self) -> None:
        super().__init__(key_space=13)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 12), st.integers(0, 10**6)), max_size=60),
    st.lists(st.integers(0, 14), min_size=1, max_size=6),
    st.one_of(st.none(), st.integers(1, 5)),
    st.sampled_from([SmallPostings, SmallDensePostings]),
)
def test_postings_return_the_newest_values_per_key_like_a_list_of_lists(
    pairs: list[tuple[int, int]],
    query: list[int],
    limit: int | None,
    kind: type[Postings],
) -> None:
    # Keys 13 and 14 are outside the dense key space: asked for, they hold nothing.
    postings = kind()
    half = len(pairs) // 3
    bulk = pairs[:half]
    postings.load(
        np.array([k for k, _ in bulk], dtype=np.uint64),
        np.array([v % 2**31 for _, v in bulk], dtype=np.int32),
    )
    reference: dict[int, list[int]] = {}
    for k, v in bulk:
        reference.setdefault(k, []).append(v % 2**31)
    for k, v in pairs[half:]:
        postings.add([(k, v % 2**31)])  # merges along the way, into both tiers
        reference.setdefault(k, []).append(v % 2**31)
    got = postings.get_many(query, limit).tolist()
    expected: list[int] = []
    for k in query:
        values = reference.get(k, [])
        expected += values if limit is None else values[-limit:]
    assert sorted(got) == sorted(expected)
    # Every value once per time its key is asked for, told apart by the key's position.
    values, which = postings.get_each(np.array(query, dtype=np.uint64), limit)
    assert sorted(zip(which.tolist(), values.tolist(), strict=True)) == sorted(
        (i, v)
        for i, k in enumerate(query)
        for v in (reference.get(k, []) if limit is None else reference.get(k, [])[-limit:])
    )


def test_photo_matches_are_exactly_the_brute_force_matches() -> None:
    rng = random.Random(5)
    index = SimilarityIndex()
    stored: dict[str, list[int]] = {}
    for i in range(400):
        base = rng.getrandbits(64)
        hashes = [base] + [base ^ (1 << rng.randrange(64)) for _ in range(2)]
        stored[f"ad{i}"] = hashes
        index.add(i + 1, f"ad{i}", [], hashes)
    for _ in range(200):
        # One to four query hashes, each 0-10 bits from a stored one: near copies within 7
        # must all be found with their smallest distance, further ones never.
        queries = []
        for _ in range(rng.randint(1, 4)):
            q = rng.choice(list(stored.values()))[0]
            for bit in rng.sample(range(64), rng.randrange(11)):
                q ^= 1 << bit
            queries.append(q)
        got = index.photo_matches(queries, max_distance=7, exclude="nobody")
        distances = {
            a: min((q ^ h).bit_count() for q in queries for h in hs) for a, hs in stored.items()
        }
        assert got == {a: d for a, d in distances.items() if d <= 7}


def test_text_candidates_rank_by_shared_bands_and_forget_edited_versions() -> None:
    index = SimilarityIndex()
    index.add(1, "a", [1, 2, 3, 4], [])
    index.add(2, "b", [1, 2, 9, 9], [])
    index.add(3, "c", [1, 7, 8, 9], [])
    assert index.text_candidates([1, 2, 3, 4], exclude="x", limit_per_key=10, top=10) == [
        "a",
        "b",
        "c",
    ]
    assert index.text_candidates([1, 2, 3], exclude="a", limit_per_key=10, top=1) == ["b"]
    index.add(4, "a", [50, 51], [])  # an edit: its earlier bands no longer find it
    assert index.text_candidates([3, 4], exclude="x", limit_per_key=10, top=10) == []
    assert index.text_candidates([50], exclude="x", limit_per_key=10, top=10) == ["a"]


def test_token_arrays_are_kept_for_the_current_version_only() -> None:
    index = SimilarityIndex()
    index.add(1, "a", [1], [], [], b"v1v1")
    index.add(2, "b", [1], [], [], None)
    assert index.tokens(["a", "b", "c"]) == {"a": b"v1v1"}
    index.add(3, "a", [2], [], [], b"v2v2")  # an edit
    assert index.tokens(["a"]) == {"a": b"v2v2"}
    # The combined lookup a check uses is the candidates' token arrays, current versions only.
    index.add(4, "c", [2], [], [], b"c1c1")
    combined = index.text_candidate_tokens([1, 2], exclude="x", limit_per_key=10, top=10)
    candidates = index.text_candidates([1, 2], exclude="x", limit_per_key=10, top=10)
    assert combined == index.tokens(candidates) == {"a": b"v2v2", "c": b"c1c1"}


def test_rare_candidates_need_enough_shared_tokens_and_ignore_common_ones() -> None:
    index = SimilarityIndex()
    index.add(1, "a", [], [], [10, 11, 12])
    index.add(2, "b", [], [], [10, 11])
    index.add(3, "c", [], [], [12, 99])
    for i in range(4, 9):
        index.add(i, f"filler{i}", [], [], [99])
    found = index.rare_candidates([10, 11, 12], exclude="x", min_shared=2, common_at=5)
    assert sorted(found) == ["a", "b"]
    # 99 is on six adverts: vocabulary, so sharing it and 12 is not enough.
    assert index.rare_candidates([12, 99], exclude="x", min_shared=2, common_at=5) == []


def _rare_candidates_key_by_key(
    index: SimilarityIndex, keys: list[int], exclude: str, min_shared: int, common_at: int
) -> list[str]:
    """The definition, one key at a time."""
    kept = []
    for k in keys:
        values = index._rare.get_many([k], 2 * common_at)
        values = values[index._alive_except(values, exclude)]
        if len(values) < common_at:
            kept.append(values)
    if len(kept) < min_shared:
        return []
    numbers, counts = np.unique(np.concatenate(kept), return_counts=True)
    return [index._ids[i] for i in numbers[counts >= min_shared].tolist()]


@settings(max_examples=80, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 15), st.lists(st.integers(0, 9), max_size=6)), max_size=40),
    st.lists(st.integers(0, 11), min_size=1, max_size=6),
    st.integers(0, 16),
    st.integers(1, 3),
    st.integers(1, 4),
)
def test_rare_candidates_are_the_key_by_key_definition(
    adverts: list[tuple[int, list[int]]],
    query: list[int],
    exclude: int,
    min_shared: int,
    common_at: int,
) -> None:
    # Few advert ids, so some are edited: their earlier keys stay but no longer count.
    index = SimilarityIndex()
    for seq, (ad, rare) in enumerate(adverts, start=1):
        index.add(seq, f"ad{ad}", [], [], rare)
    got = index.rare_candidates(
        query, exclude=f"ad{exclude}", min_shared=min_shared, common_at=common_at
    )
    assert got == _rare_candidates_key_by_key(index, query, f"ad{exclude}", min_shared, common_at)


def _advert(i: int, account: str, name: str, photo: str | None = None) -> dict[str, object]:
    ad: dict[str, object] = {
        "id": f"ad-{i}",
        "account_id": account,
        "body": TEMPLATE.format(name=name),
    }
    if photo is not None:
        ad["images"] = [{"phash": photo}]
    return ad


def test_two_processes_on_one_store_see_each_others_adverts(db_path: Path) -> None:
    url = f"sqlite:///{db_path}"
    photo = "8f3a5c7e9b1d2f40"
    with Guard.open(url, hmac_key=TEST_KEY) as one, Guard.open(url, hmac_key=TEST_KEY) as two:
        one.check(_advert(1, "acc-1", "Anna"))  # builds one's index
        two.check(_advert(2, "acc-2", "Bella", photo))  # written by the other connection
        one.check(_advert(3, "acc-3", "Cleo", photo))
    with sqlite3.connect(db_path) as con:
        links = set(con.execute("SELECT other_id, type FROM links WHERE advert_id = 'ad-3'"))
    assert {("ad-2", "photo"), ("ad-2", "text"), ("ad-1", "text")} <= links


def test_a_rolled_back_batch_leaves_no_gap_in_the_index(db_path: Path) -> None:
    store = SQLiteStore(db_path)
    try:
        store.text_candidates([b"\x00" * 9], exclude_advert="x", limit_per_key=5, top=5)
        try:
            with store.batch():
                store._db.execute("INSERT INTO keylog (advert_id, bands) VALUES ('gone', NULL)")
                store.text_candidates([b"\x00" * 9], exclude_advert="x", limit_per_key=5, top=5)
                raise RuntimeError("the batch fails")
        except RuntimeError:
            pass
        # The rolled-back row's number is used again by the next advert, which must be seen.
        band = b"\x01" + bytes(8)
        with store.batch():
            store._db.execute(
                "INSERT INTO keylog (advert_id, bands) VALUES ('kept', ?)",
                (band_number(band).to_bytes(8, "little"),),
            )
        assert store.text_candidates([band], exclude_advert="x", limit_per_key=5, top=5) == ["kept"]
    finally:
        store.close()


def test_a_schema_3_store_keeps_its_text_and_photo_links_after_the_upgrade(
    db_path: Path,
) -> None:
    con = sqlite3.connect(db_path, isolation_level=None)
    for number, _name, sql in _migrations():
        if number <= 3:
            con.executescript(sql)
    con.execute("PRAGMA user_version = 3")
    fp = text_fingerprint(TEMPLATE.format(name="Anna"), KeyedHasher(TEST_KEY))
    photo = PhotoHash((0x0123456789ABCDEF, 0x1111222233334444))
    con.execute(
        "INSERT INTO adverts (advert_id, account_id, version, cluster_id) "
        "VALUES ('old', 'acc', 1, 'c1')"
    )
    con.executemany(
        "INSERT INTO simkeys (kind, key, advert_id) VALUES ('text_band', ?, 'old')",
        [(k,) for k in fp.band_keys],
    )
    rare = [bytes([i]) * 8 for i in (1, 2)]
    con.executemany(
        "INSERT INTO simkeys (kind, key, advert_id) VALUES ('rare_token', ?, 'old')",
        [(k,) for k in rare],
    )
    con.execute(
        "INSERT INTO signatures (advert_id, kind, data) VALUES ('old', 'photos', ?)",
        # The schema-3 layout: a count byte, then that many 8-byte big-endian hashes.
        (bytes([len(photo.hashes)]) + b"".join(h.to_bytes(8, "big") for h in photo.hashes),),
    )
    tokens = pack_tokens(fp.tokens)
    con.execute(
        "INSERT INTO signatures (advert_id, kind, data) VALUES ('old', 'text_tokens', ?)",
        (tokens,),
    )
    close = close_number_keys("+447700900150", KeyedHasher(TEST_KEY))
    con.executemany(
        "INSERT INTO simkeys (kind, key, advert_id, extra) VALUES ('close_number', ?, 'old', ?)",
        [(k.key, k.tail) for k in close],
    )
    con.close()

    store = SQLiteStore(db_path)
    try:
        assert store.schema_version >= 4
        assert store.text_candidates(
            fp.band_keys, exclude_advert="new", limit_per_key=10, top=10
        ) == ["old"]
        assert store.photo_matches(
            [0x0123456789ABCDEF ^ 0b101], max_distance=7, exclude_advert="new"
        ) == {"old": 2}
        assert store.rare_candidates(rare, exclude_advert="new", min_shared=2, common_at=100) == [
            "old"
        ]
        assert store.signatures(["old", "new"], "text_tokens") == {"old": tokens}
        near = close_number_keys("+447700900153", KeyedHasher(TEST_KEY))
        hits = store.find_similar("close_number", [k.key for k in near], exclude_advert="new")
        assert sorted((h.advert_id, h.extra) for h in hits) == sorted(
            ("old", k.tail) for k in close
        )
        # Everything moved: nothing is left in the tables the key log replaced.
        assert store._db.execute("SELECT COUNT(*) FROM simkeys").fetchone() == (0,)
        assert store._db.execute("SELECT COUNT(*) FROM signatures").fetchone() == (0,)
    finally:
        store.close()


def test_token_signatures_follow_an_edit_made_by_another_process(db_path: Path) -> None:
    url = f"sqlite:///{db_path}"
    with Guard.open(url, hmac_key=TEST_KEY) as one, Guard.open(url, hmac_key=TEST_KEY) as two:
        two.check(_advert(1, "acc-1", "Anna"))
        before = one.store.signatures(["ad-1"], "text_tokens")
        edited = {**_advert(1, "acc-1", "Anna"), "version": 2, "body": "Completely new words " * 5}
        two.check(edited)
        after = one.store.signatures(["ad-1"], "text_tokens")
    with sqlite3.connect(db_path) as con:
        (stored,) = con.execute("SELECT tokens FROM keylog WHERE advert_id = 'ad-1'").fetchone()
    assert after == {"ad-1": stored}
    assert before != after


def test_close_numbers_follow_edits_and_skip_the_advert_itself() -> None:
    index = SimilarityIndex()
    index.add(1, "a", [], [], close=[7, 50, 8, 0])
    index.add(2, "b", [], [], close=[7, 53])
    index.add(3, "c", [], [], close=[9, 1])
    assert sorted(index.close_matches([7], exclude="x")) == [(0, "a", 50), (0, "b", 53)]
    assert index.close_matches([8, 7], exclude="b") == [(0, "a", 0), (1, "a", 50)]
    index.add(4, "a", [], [], close=[9, 2])  # an edit: "a" has a new number
    assert index.close_matches([7], exclude="x") == [(0, "b", 53)]
    assert sorted(index.close_matches([9], exclude="c")) == [(0, "a", 2)]


@given(st.lists(st.binary(min_size=8, max_size=10), max_size=40))
def test_band_numbers_in_one_pass_equal_one_by_one(keys: list[bytes]) -> None:
    # Band keys are 9 bytes; anything else takes the one-by-one path.
    nine = [k.ljust(9, b"\x00")[:9] for k in keys]
    assert band_numbers(nine) == [band_number(k) for k in nine]
    assert band_numbers(keys) == [band_number(k) for k in keys]
