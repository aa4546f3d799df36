"""Network detectors over `ctx.links`, including link types other sources will produce."""

from __future__ import annotations

import pytest

from asw_guard.models import Location
from asw_guard.normalise.models import AgeMatch, Extraction

from .helpers import ME, context, detect, link


def test_shared_contact_distinct_people() -> None:
    hit = detect("shared_contact_distinct_people", context(links=[link("phone")]))
    assert hit is not None
    assert hit.evidence[0].advert_ids == ["ad-2"]
    assert (
        detect("shared_contact_distinct_people", context(links=[link("phone", alias_key=ME)]))
        is None
    )


@pytest.mark.parametrize(
    ("indicator", "link_type"),
    [
        ("shared_template_text", "text"),
        ("shared_writing_errors", "rare_token"),
        ("sequential_numbers", "close_number"),
        ("rotating_at_address", "address"),
        ("reused_images", "photo"),
    ],
)
def test_linked_distinct_people(indicator: str, link_type: str) -> None:
    hit = detect(
        indicator, context(links=[link(link_type), link(link_type, "ad-3", alias_key=b"x")])
    )
    assert hit is not None
    assert hit.evidence[0].link_type == link_type
    assert hit.evidence[0].advert_ids == ["ad-2", "ad-3"]
    # The same person, in the same account: nothing to see.
    same = link(link_type, account_id="acc-1", alias_key=ME)
    assert detect(indicator, context(links=[same])) is None
    # Other link types do not trigger it.
    assert detect(indicator, context(links=[link("ip")])) is None


def test_reused_images_across_accounts_without_aliases() -> None:
    hit = detect("reused_images", context(alias_key=None, links=[link("photo", alias_key=None)]))
    assert hit is not None and "2 accounts" in hit.explanation


def test_inconsistent_age_within_the_advert() -> None:
    body = "Mia, 22, call me."
    ages = Extraction(ages=[AgeMatch(start=5, end=7, value=22)])
    hit = detect("inconsistent_age", context(body, extraction=ages, advertised_age=30))
    assert hit is not None
    text = [e for e in hit.evidence if e.kind == "text"]
    assert [body[e.start : e.end] for e in text if e.start is not None] == ["22"]
    assert detect("inconsistent_age", context(body, extraction=ages, advertised_age=23)) is None


def test_inconsistent_age_across_links() -> None:
    links = [link("phone", alias_key=ME, age=19)]
    hit = detect("inconsistent_age", context(advertised_age=27, links=links))
    assert hit is not None and hit.evidence[-1].kind == "link"
    assert detect("inconsistent_age", context(advertised_age=20, links=links)) is None


def test_inconsistent_alias() -> None:
    hit = detect("inconsistent_alias", context(advertised_age=25, links=[link("phone", age=26)]))
    assert hit is not None
    # Names and ages both differ: different people, which is another indicator's signal.
    assert (
        detect("inconsistent_alias", context(advertised_age=25, links=[link("phone", age=34)]))
        is None
    )


def test_account_controls_many() -> None:
    own = [link("phone", f"ad-{i}", account_id="acc-1", alias_key=bytes([i])) for i in range(3)]
    hit = detect("account_controls_many", context(links=own))
    assert hit is not None and "4 different people" in hit.explanation
    assert detect("account_controls_many", context(links=own[:1])) is None


def test_multi_city() -> None:
    links = [link("phone", city="Leeds"), link("phone", "ad-3", city="York")]
    hit = detect("multi_city", context(links=links, location=Location(city="Hull")))
    assert hit is not None and "3 cities" in hit.explanation
    same = [link("phone", city="hull ")]
    assert detect("multi_city", context(links=same, location=Location(city="Hull"))) is None


def test_verified_profile_swap() -> None:
    links = [link("photo")]
    assert detect("verified_profile_swap", context(links=links, verified=True)) is not None
    assert detect("verified_profile_swap", context(links=links, verified=False)) is None
    assert (
        detect("verified_profile_swap", context(links=[link("photo", alias_key=ME)], verified=True))
        is None
    )
