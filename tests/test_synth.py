"""The synthetic marketplace: seeded, labelled, and shaped as the demo promises."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from asw_guard.guard import parse_advert
from asw_guard.synth import Market, generate_market
from asw_guard.synth.score import adjusted_rand_index


def test_same_seed_same_market_other_seed_other_market() -> None:
    a, b, c = (
        generate_market(800, seed=3),
        generate_market(800, seed=3),
        generate_market(800, seed=4),
    )
    assert a.adverts == b.adverts
    assert a.adverts != c.adverts


def test_default_market_shape() -> None:
    m = generate_market(5_000, seed=7)
    assert len({ad["id"] for ad in m.adverts}) == 5_000
    edits = [ad for ad in m.adverts if ad.get("version") == 2]
    assert 0 < len(edits) < 0.1 * 5_000
    kinds = Counter(t.kind for t in m.truth.values())
    assert kinds["independent"] + kinds["touring"] > 0.8 * 5_000
    assert kinds["touring"] > 0 and kinds["agency"] > 0
    assert len({ad["location"]["city"] for ad in m.adverts}) >= 5
    levels = Counter(n.sophistication for n in m.networks)
    assert len(m.networks) >= 3 and set(levels) == {"crude", "organised", "adaptive"}
    assert set(m.truth) == {ad["id"] for ad in m.adverts}
    for ad in m.adverts[:500]:
        parse_advert(ad)  # every generated advert is valid input
    assert [ad["posted_at"] for ad in m.adverts] == sorted(ad["posted_at"] for ad in m.adverts)


def test_networks_share_what_the_sources_describe() -> None:
    m = generate_market(3_000, seed=1)
    for net in m.networks:
        ads = [ad for ad in m.adverts if ad["id"] in set(net.advert_ids)]
        assert len({ad["account_id"] for ad in ads}) >= 2
        if net.sophistication == "adaptive":
            assert len({ad["payment_token"] for ad in ads}) == 1
        if net.sophistication == "organised":
            assert len({ad["location"]["address_key"] for ad in ads}) == 1


def test_write_and_read_round_trip(tmp_path: Path) -> None:
    m = generate_market(300, seed=2)
    m.write(tmp_path)
    back = Market.read(tmp_path)
    assert back.adverts == m.adverts and back.truth == m.truth and back.networks == m.networks


def test_adjusted_rand_index() -> None:
    truth = {"a": "x", "b": "x", "c": "y", "d": "y"}
    assert adjusted_rand_index(truth, {"a": 1, "b": 1, "c": 2, "d": 2}) == 1.0  # type: ignore[dict-item]
    assert adjusted_rand_index(truth, {"a": "p", "b": "q", "c": "p", "d": "q"}) < 0


def test_real_photographs_are_reposted_by_networks_and_never_shared_by_independents() -> None:
    import base64

    from asw_guard import image_hash, images_match

    m = generate_market(300, seed=5, real_photos=True)
    ads = {ad["id"]: ad for ad in m.adverts if ad.get("version", 1) == 1}
    net = m.networks[0]
    hashes = [image_hash(base64.b64decode(ads[a]["images"][0]["data"])) for a in net.advert_ids]
    assert sum(images_match(hashes[0], h) for h in hashes[1:]) >= 1  # the same photo re-posted
    one_per_account = {
        ad["account_id"]: ad for ad in ads.values() if m.truth[ad["id"]].kind == "independent"
    }
    independents = [
        image_hash(base64.b64decode(ad["images"][0]["data"]))
        for ad in list(one_per_account.values())[:100]
    ]
    pairs = [(a, b) for i, a in enumerate(independents) for b in independents[i + 1 :]]
    assert not any(images_match(a, b) for a, b in pairs)
