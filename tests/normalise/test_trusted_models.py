"""`extract` builds its models without validating them: checked against validating them."""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from asw_guard.normalise import Extraction, _urls_not_contacts, extract, measures, models
from asw_guard.normalise.contacts import find_emails, find_handles, find_urls
from asw_guard.normalise.phones import find_phones
from asw_guard.normalise.text import normalise
from benchmarks.extraction import load_corpus, synthetic_advert

_settings = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _validated(text: str, region: str = "GB") -> Extraction:
    """The result as validation builds it from the same fields."""
    norm = normalise(text)
    incall, outcall = measures.find_call_modes(norm)
    emails = find_emails(text, normalised=norm)
    handles = find_handles(text, normalised=norm)
    urls = find_urls(text, normalised=norm)
    return Extraction.model_validate(
        {
            "phones": find_phones(text, region, normalised=norm),
            "emails": emails,
            "handles": handles,
            "urls": _urls_not_contacts(urls, emails, handles),
            "prices": measures.price_rows(norm),
            "ages": measures.age_rows(norm),
            "weights": measures.weight_rows(norm),
            "heights": measures.height_rows(norm),
            "availability": measures.availability_rows(norm),
            "incall": incall,
            "outcall": outcall,
        }
    )


def _same_model(got: BaseModel, want: BaseModel) -> None:
    assert type(got) is type(want)
    assert got.__dict__ == want.__dict__
    assert list(got.__dict__) == list(want.__dict__)
    assert got.model_fields_set == want.model_fields_set
    assert got.__pydantic_extra__ == want.__pydantic_extra__
    assert got.__pydantic_private__ == want.__pydantic_private__
    for name, value in want.__dict__.items():
        mine = got.__dict__[name]
        # Same types, not only equal values: 24 == 24.0, but one dumps as "24".
        assert type(mine) is type(value), name
        if isinstance(value, list):
            assert len(mine) == len(value)
            for a, b in zip(mine, value, strict=True):
                if isinstance(b, BaseModel):
                    assert isinstance(a, BaseModel)
                    _same_model(a, b)
                else:
                    assert type(a) is type(b)


def _check_items(text: str, region: str = "GB") -> None:
    """The contact finders build their items without validating: each equals the model that
    validation makes of its fields."""
    norm = normalise(text)
    items: list[BaseModel] = [
        *find_phones(text, region, normalised=norm),
        *find_emails(text, normalised=norm),
        *find_handles(text, normalised=norm),
        *find_urls(text, normalised=norm),
    ]
    for item in items:
        want = type(item).model_validate(dict(item.__dict__))
        assert item == want
        assert item.model_dump_json() == want.model_dump_json()
        assert repr(item) == repr(want)
        _same_model(item, want)


def _check(text: str) -> None:
    got, want = extract(text), _validated(text)
    assert got == want
    assert got.model_dump_json() == want.model_dump_json()
    assert repr(got) == repr(want)
    _same_model(got, want)
    _check_items(text)


_TEXTS = (
    "",
    "Available 24/7, 24hrs, 7 days a week, Mon-Fri 10am-10pm, every day, 22:00-06:00",
    "5'6\", 1.65m, 168cm, 5 ft 4, 9st 4lbs, 55kg, 120 lbs, weigh 130 pounds",
    "30min 80 / 1hr 150 / overnight 900, half an hour 60, £100 per hour, 200 roses, 150 eur",
    "I am 23, aged 19, 21yo, 18+. Incall only. Call 07700 900123, anna at gmail dot com",
    "Snap: lily_x, t.me/lily_x, @lily.rose, https://www.lily.co.uk/about, lily.co.uk",
    "07700 900123, O7 7OO 9OO 123, +44 (0) 7700 900124, 0800 123 4567, anna.b+x@gmail.com",
)


def test_trusted_models_equal_validated_ones_on_the_corpus() -> None:
    for case in load_corpus():
        _check(str(case["text"]))
    for text in _TEXTS:
        _check(text)


def test_trusted_models_equal_validated_ones_on_generated_adverts() -> None:
    rng = random.Random(11)
    for _ in range(300):
        _check(synthetic_advert(rng))


_advert_text = st.lists(
    st.sampled_from(
        [
            "24/7", "24 hours", "7 days", "mon-fri", "10am-2am", "22:00-06:00", "every day",
            "5'6\"", "1.65m", "168cm", "55kg", "9st 4", "120 lbs", "£80", "80 roses", "30min",
            "1hr", "150", "overnight", "21yo", "i am 23", "incall", "outcall only", " ", ", ",
            "07700 900123", "anna@gmail.com", "snap: lily_x", "www.x.com", "é", "٣", "x",
        ]
    ),
    max_size=25,
).map("".join)  # fmt: skip


@_settings
@given(st.one_of(_advert_text, st.text(max_size=80)))
def test_trusted_models_equal_validated_ones(text: str) -> None:
    _check(text)


def test_extract_returns_frozen_models() -> None:
    ex = extract("£80 30min, 5'6\", 55kg, 21yo, 24/7, call 07700 900123")
    assert ex.prices and ex.heights and ex.weights and ex.ages and ex.availability
    for item in (ex, ex.prices[0], ex.heights[0], ex.ages[0], ex.availability[0]):
        with pytest.raises(ValidationError):
            item.start = 1  # type: ignore[misc,union-attr]
    assert isinstance(ex.heights[0].cm, float)
    assert ex.availability[0].hours_per_day == 24.0
    assert isinstance(ex.availability[0].hours_per_day, float)


def test_trusted_is_validation_for_typed_fields() -> None:
    row = {"start": 1, "end": 4, "cm": 168.0}
    assert models.trusted(models.HeightMatch, dict(row)) == models.HeightMatch.model_validate(row)


def test_trusted_sets_what_construction_sets() -> None:
    fields = {"start": 0, "end": 3, "url": "x.com"}
    made = models.trusted(models.UrlMatch, fields)
    assert made.__dict__ is fields
    assert made.model_fields_set == {"start", "end", "url"}
    assert made.__pydantic_extra__ is None and made.__pydantic_private__ is None
    _same_model(made, models.UrlMatch.model_construct(**fields))
    # trusted makes the instance with object.__new__, which is what these classes use.
    for cls in (
        models.Extraction,
        models.PhoneMatch,
        models.EmailMatch,
        models.HandleMatch,
        models.UrlMatch,
        models.PriceMatch,
        models.AgeMatch,
        models.WeightMatch,
        models.HeightMatch,
        models.AvailabilityMatch,
    ):
        assert cls.__new__ is object.__new__
