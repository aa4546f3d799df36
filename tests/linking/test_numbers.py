from hypothesis import given
from hypothesis import strategies as st

from asw_guard.linking.keys import KeyedHasher
from asw_guard.linking.numbers import (
    CloseNumberIndex,
    close_number_keys,
    key_distance,
    numeric_distance,
)

HASHER = KeyedHasher(b"test-secret")
BASE = 447700900000


@given(st.integers(0, 99_999), st.integers(0, 50))
def test_numbers_within_50_share_a_key_and_give_the_exact_distance(offset: int, gap: int) -> None:
    a, b = f"+{BASE + offset}", f"+{BASE + offset + gap}"
    distances = [
        d
        for ka in close_number_keys(a, HASHER)
        for kb in close_number_keys(b, HASHER)
        if (d := key_distance(ka, kb)) is not None
    ]
    assert distances
    assert set(distances) == {gap}
    assert numeric_distance(a, b) == gap


@given(st.integers(0, 99_999), st.integers(101, 10_000))
def test_distant_numbers_share_no_key(offset: int, gap: int) -> None:
    a = {k.key for k in close_number_keys(f"+{BASE + offset}", HASHER)}
    b = {k.key for k in close_number_keys(f"+{BASE + offset + gap}", HASHER)}
    assert not a & b


def test_keys_depend_on_the_secret_and_hide_the_number() -> None:
    number = "+447700900123"
    ours = close_number_keys(number, HASHER)
    theirs = close_number_keys(number, b"other-secret")
    assert {k.key for k in ours}.isdisjoint({k.key for k in theirs})
    for key in ours:
        assert b"7700900" not in key.key
        assert 0 <= key.tail < 100


def test_index_finds_sequential_numbers_nearest_first() -> None:
    index = CloseNumberIndex(HASHER, max_distance=10)
    index.add("a1", "+447700900150")
    index.add("a2", "+447700900153")
    index.add("a3", "+447700900149")
    index.add("far", "+447700900400")
    index.add("same", "+447700900151")
    assert index.query("+447700900151", exclude="same") == [("a1", 1), ("a2", 2), ("a3", 2)]
