import random

from hypothesis import given, settings
from hypothesis import strategies as st

from asw_guard.linking.keys import KeyedHasher
from asw_guard.linking.text import (
    THRESHOLD,
    NearDuplicateIndex,
    mask_slots,
    rare_token_keys,
    rare_tokens,
    text_fingerprint,
    text_similarity,
)
from benchmarks.linking import brute_force_pairs, index_pairs, synthetic_adverts

HASHER = KeyedHasher(b"test-secret")

TEMPLATE = (
    "Hi gentlemen, I'm {name}, {age} years old, new in {city}. Sweet and friendly lady, "
    "relaxing massage and good time. Price {price} per hour. Call me on {phone} or "
    "email {email}, see www.{site}.com for photos."
)

names = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=2, max_size=10).map(str.title)
fills = st.fixed_dictionaries(
    {
        "name": names,
        "age": st.integers(18, 60),
        "city": names,
        "price": st.integers(20, 900).map(lambda p: f"£{p}"),
        "phone": st.integers(0, 10**9 - 1).map(lambda n: f"07{n // 10**6:03d} {n % 10**6:06d}"),
        "email": st.tuples(names, st.integers(0, 999)).map(lambda t: f"{t[0].lower()}{t[1]}@x.com"),
        "site": names.map(str.lower),
    }
)


@settings(max_examples=60)
@given(fills, fills)
def test_slot_changes_do_not_change_the_masked_sequence(a: dict, b: dict) -> None:
    assert mask_slots(TEMPLATE.format(**a)) == mask_slots(TEMPLATE.format(**b))


@given(st.text(max_size=300))
def test_masked_words_never_carry_digits_and_never_fail(text: str) -> None:
    for word in mask_slots(text):
        assert not any(c.isascii() and c.isdigit() for c in word)
        assert word == word.lower()


@settings(max_examples=30)
@given(fills, fills)
def test_template_copies_are_found_by_the_index(a: dict, b: dict) -> None:
    index = NearDuplicateIndex()
    index.add("first", text_fingerprint(TEMPLATE.format(**a), HASHER))
    hits = index.query(text_fingerprint(TEMPLATE.format(**b), HASHER))
    assert hits == [("first", 1.0)]


def test_names_after_introductions_and_capitalised_words_are_masked() -> None:
    words = mask_slots("my name is jess. I am new in Leeds, im Kira 23yo, £150/hr")
    assert words.count("<name>") == 2
    assert "<cap>" in words and "<age>" in words and "<price>" in words
    assert "new" in words  # "I am new" is not a name


def test_fingerprints_are_keyed() -> None:
    text = TEMPLATE.format(
        name="Anna",
        age=22,
        city="Leeds",
        price="£100",
        phone="07700 900123",
        email="a@b.com",
        site="anna",
    )
    a = text_fingerprint(text, HASHER)
    b = text_fingerprint(text, b"another-secret")
    assert a.tokens != b.tokens
    assert set(a.band_keys).isdisjoint(b.band_keys)
    assert a == text_fingerprint(text, HASHER)


def test_unrelated_and_short_texts_do_not_match() -> None:
    index = NearDuplicateIndex()
    index.add(
        "x",
        text_fingerprint(
            "Relaxing massage in a clean private flat near the station, "
            "parking available, towels and drinks offered.",
            HASHER,
        ),
    )
    other = text_fingerprint(
        "Party girl for fun nights out, outcall only to hotels, "
        "no withheld numbers please, book early.",
        HASHER,
    )
    assert index.query(other) == []
    assert text_fingerprint("call me 07700900123", HASHER).band_keys == ()


def test_similarity_is_symmetric_and_bounded() -> None:
    rng = random.Random(1)
    for _ in range(50):
        a = tuple(rng.randrange(20) for _ in range(rng.randrange(1, 30)))
        b = tuple(rng.randrange(20) for _ in range(rng.randrange(1, 30)))
        assert text_similarity(a, b) == text_similarity(b, a)
        assert 0.0 <= text_similarity(a, b) <= 1.0
    assert text_similarity((1, 2, 3), (1, 2, 3)) == 1.0


def test_recall_and_precision_against_brute_force() -> None:
    fps = [text_fingerprint(t, HASHER) for t in synthetic_adverts(3000, seed=3)]
    truth = brute_force_pairs([fp.tokens for fp in fps], THRESHOLD)
    found, _ = index_pairs(fps, THRESHOLD)
    assert len(truth) > 1000
    assert len(found & truth) / len(truth) >= 0.95
    assert len(found & truth) / len(found) >= 0.95


def test_rare_tokens_are_shared_misspellings_not_names() -> None:
    a = rare_tokens("Hi I'm Anna, verry discrete and beautifull lady, availble all day in Leeds")
    b = rare_tokens("My name is Kira, verry discrete and beautifull, availble tonight")
    assert {"verry", "beautifull", "availble"} <= a & b
    assert "anna" not in a and "kira" not in b and "leeds" not in a
    assert rare_tokens("Lovely girls waiting, booked massages and texting welcome") == frozenset()
    assert rare_token_keys("verry", HASHER) != rare_token_keys("verry", b"x")


def test_a_crowded_band_key_yields_only_its_newest_adverts() -> None:
    text = TEMPLATE.format(
        name="Anna",
        age=22,
        city="Leeds",
        price="£100",
        phone="07700 900123",
        email="a@b.com",
        site="anna",
    )
    fp = text_fingerprint(text, HASHER)
    index = NearDuplicateIndex(limit_per_key=2)
    for i in range(5):
        index.add(f"a{i}", fp)
    assert index.candidates(fp) == {"a3", "a4"}
    assert [advert for advert, _ in index.query(fp, exclude="a4")] == ["a3"]
