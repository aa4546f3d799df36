"""Every link source at work inside `Guard.check`, on a real SQLite store."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

import asw_guard
from asw_guard import Guard
from asw_guard.errors import ConfigError

TEMPLATE = (
    "Meet {name}, a lovely {age}-year-old who has just arrived in {city}. She is attentive, "
    "discreet and available day and night at a private apartment near the station. Our girls "
    "offer a full menu from £{price}. Call {phone} to book {name} today, no withheld numbers."
)


def templated(i: int, phone: str) -> dict[str, object]:
    name = ["Anna", "Bella", "Cleo", "Dora", "Edda", "Fay"][i % 6]
    return {
        "id": f"t-{i}",
        "account_id": f"acc-{i}",
        "alias": name,
        "advertised_age": 19 + i % 3,
        "location": {"city": ["Leeds", "York"][i % 2]},
        "body": TEMPLATE.format(name=name, age=19 + i % 3, city="Leeds", price=40 + i, phone=phone),
    }


def photo(seed: int, size: int = 256) -> bytes:
    """A photo-like picture: smooth gradients and blobs, different for each seed."""
    img = Image.new("RGB", (size, size))
    px = img.load()
    assert px is not None
    for y in range(size):
        for x in range(size):
            px[x, y] = (
                (x * (seed + 3) + y * 7) % 256,
                (y * (seed + 5) + (x * y) // (seed + 11)) % 256,
                ((x - size // 2) ** 2 + (y - seed * 9) ** 2) // (seed + 40) % 256,
            )
    out = io.BytesIO()
    img.save(out, "JPEG", quality=90)
    return out.getvalue()


def cropped(data: bytes, fraction: float = 0.1) -> bytes:
    img = Image.open(io.BytesIO(data))
    w, h = img.size
    dx, dy = int(w * fraction / 2), int(h * fraction / 2)
    out = io.BytesIO()
    img.crop((dx, dy, w - dx, h - dy)).save(out, "JPEG", quality=60)
    return out.getvalue()


def types_of(guard: Guard, advert_id: str) -> set[tuple[str, str]]:
    summary = guard.cluster(advert_id)
    assert summary is not None
    return {(e.type, e.strength) for e in summary.links if e.advert_id == advert_id}


def test_one_template_across_accounts_with_fresh_numbers(guard: Guard) -> None:
    decisions = [guard.check(templated(i, f"07700 900{100 + 37 * i}")) for i in range(5)]
    last = decisions[-1]
    assert "shared_template_text" in {r.indicator for r in last.reasons}
    assert any(e.type == "text" for e in guard.cluster("t-4").links)  # type: ignore[union-attr]
    # Text links are weak: the accounts are not merged into one cluster by wording alone.
    assert guard.cluster("t-4").size == 1  # type: ignore[union-attr]


def test_sequential_numbers_link_as_close_numbers(guard: Guard) -> None:
    bodies = ["Hi I'm Rosa, call {}", "Warm welcome from Maya, ring {}", "Lina here: {}"]
    for i, body in enumerate(bodies):
        guard.check(
            {"id": f"s-{i}", "account_id": f"a-{i}", "alias": body.split()[2], "body":
             body.format(f"07700 900{450 + i}")}
        )  # fmt: skip
    assert ("close_number", "weak") in types_of(guard, "s-2")


def test_the_same_photo_cropped_on_another_account_joins_the_cluster(guard: Guard) -> None:
    original = photo(1)
    a = guard.check(
        {"id": "p-1", "account_id": "x", "body": "Hello", "images": [{"data": original}]}
    )
    b = guard.check(
        {
            "id": "p-2",
            "account_id": "y",
            "body": "Hi there",
            "images": [{"data": cropped(original)}],
        }
    )
    c = guard.check(
        {"id": "p-3", "account_id": "z", "body": "Good day", "images": [{"data": photo(9)}]}
    )
    assert a.cluster_id != c.cluster_id
    assert guard.cluster("p-2").advert_ids == ["p-1", "p-2"]  # type: ignore[union-attr]
    assert ("photo", "strong") in types_of(guard, "p-2")
    assert b.cluster_id == guard.cluster("p-1").cluster_id  # type: ignore[union-attr]


def test_public_photo_functions_agree_with_the_index() -> None:
    original = photo(2)
    assert asw_guard.images_match(original, cropped(original))
    assert not asw_guard.images_match(original, photo(7))
    h = asw_guard.image_hash(original)
    assert asw_guard.image_distance(h, original) == 0
    assert asw_guard.images_match(asw_guard.PhotoHash.from_hex(h.hex), original)


def test_a_corrupt_image_is_a_warning_and_the_rest_is_checked(guard: Guard) -> None:
    truncated = photo(3)[:300]
    d = guard.check(
        {"id": "bad-img", "account_id": "a", "body": "Call 07700 900777",
         "images": [{"data": truncated}, {"data": photo(4)}]}
    )  # fmt: skip
    assert any(w.startswith("images[0]:") for w in d.warnings)
    assert guard.decision("bad-img") is not None


def test_hostile_huge_image_is_refused_per_image(guard: Guard) -> None:
    out = io.BytesIO()
    Image.new("L", (20_000, 20_000)).save(out, "PNG")  # a few KB compressed, 400 Mpx decoded
    d = guard.check(
        {"id": "bomb", "account_id": "a", "body": "hi", "images": [{"data": out.getvalue()}]}
    )
    assert d.warnings and "images[0]" in d.warnings[0]


def test_a_suppressed_switchboard_number_never_links(guard: Guard) -> None:
    guard.suppress("phone", "+44 7700 900999", note="site switchboard", actor="ops@example")
    for i in range(3):
        guard.check(
            {"id": f"sw-{i}", "account_id": f"a-{i}", "alias": f"N{i}", "body": "Call 07700900999"}
        )
    assert guard.cluster("sw-2").size == 1  # type: ignore[union-attr]
    events = [e for e in guard.store.events() if e.kind == "link.suppressed"]
    assert events and events[0].actor == "ops@example"


def test_a_suppressed_phrase_and_photo_never_link(guard: Guard) -> None:
    boiler = (
        "This profile is verified by the site team. Please read our safety rules before "
        "booking and report anything that worries you to the moderators straight away."
    )
    stock = photo(5)
    guard.suppress("phrase", boiler, actor="ops")
    guard.suppress("photo", stock, actor="ops")
    for i in range(3):
        guard.check(
            {"id": f"b-{i}", "account_id": f"a-{i}", "body": f"{boiler} Name {i}.",
             "images": [{"data": stock}]}
        )  # fmt: skip
    assert types_of(guard, "b-2") == set()


def test_a_flooding_identifier_is_quarantined_until_confirmed(db_path: Path) -> None:
    from .conftest import TEST_KEY

    with Guard.open(f"sqlite:///{db_path}", hmac_key=TEST_KEY) as guard:
        guard._suppressions.flood_accounts = 4
        for i in range(6):
            guard.check(
                {"id": f"f-{i}", "account_id": f"a-{i}", "alias": f"N{i}",
                 "body": "Call 07700 900888"}
            )  # fmt: skip
        assert len(guard.quarantined()) == 1
        assert guard.cluster("f-5").size < 6  # type: ignore[union-attr]
        guard.confirm("phone", "07700 900888", note="checked: one controller", actor="rev-1")
        assert guard.quarantined() == []
        guard.check({"id": "f-9", "account_id": "a-9", "alias": "N9", "body": "Call 07700 900888"})
        assert guard.cluster("f-9").size >= 5  # type: ignore[union-attr]


def test_unknown_suppression_kind_is_a_clear_error(guard: Guard) -> None:
    with pytest.raises(ConfigError, match="unknown kind"):
        guard.suppress("fax", "123", actor="x")


def test_identifier_activity_over_time_windows(guard: Guard) -> None:
    from datetime import UTC, datetime, timedelta

    now = datetime(2026, 9, 1, 12, tzinfo=UTC)
    for i, hours in enumerate([0.5, 5, 30, 24 * 40]):
        guard.check(
            {"id": f"w-{i}", "account_id": f"a-{i % 3}", "alias": f"N{i}",
             "location": {"city": ["Leeds", "York"][i % 2]}, "body": "Call 07700 900345",
             "posted_at": (now - timedelta(hours=hours)).isoformat()}
        )  # fmt: skip
    act = guard.activity("phone", "+447700900345", now=now)
    assert (act["1h"].adverts, act["24h"].adverts, act["30d"].adverts) == (1, 2, 3)
    assert act["30d"].accounts == 3 and act["30d"].aliases == 3 and act["30d"].cities == 2
