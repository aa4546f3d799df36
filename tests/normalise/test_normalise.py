"""Normalisation, phones and the other extractors on the forms the task names."""

from __future__ import annotations

import pytest

from asw_guard.normalise import (
    canonical_email,
    extract,
    find_emails,
    normalise,
    parse_phone,
)


@pytest.mark.parametrize(
    ("raw", "want"),
    [
        ("𝟕𝟕", "77"),
        ("７７", "77"),
        ("①②", "12"),
        ("7️⃣", "7"),
        ("➊➋", "12"),
        ("a\u200bb\u200dc\ufeffd", "abcd"),
        ("аnnа", "anna"),  # Cyrillic а
        ("Αθήνα", "Aθήva"),  # Greek look-alikes fold (Α, ν, α); θ and ή stay
        ("O7 seven", "07 7"),
        ("twenty-one", "21"),
        ("douăzeci și unu", "21"),
        ("dziewiętnaście", "19"),
        ("diecinueve", "19"),
        ("dezanove", "19"),
        ("double seven", "77"),
        ("I am here", "I am here"),
        ("Hello world", "Hello world"),
    ],
)
def test_normalise(raw: str, want: str) -> None:
    assert normalise(raw).text == want


def test_offsets_map_back_to_the_original() -> None:
    raw = "call ０７７００ nine 0 0 1 2 3 now"
    norm = normalise(raw)
    ex = extract(raw)
    assert [p.e164 for p in ex.phones] == ["+447700900123"]
    phone = ex.phones[0]
    assert raw[phone.start : phone.end] == "０７７００ nine 0 0 1 2 3"
    start = norm.text.index("now")
    assert norm.span(start, start + 3) == (raw.index("now"), raw.index("now") + 3)


@pytest.mark.parametrize(
    "raw",
    ["O7 seven 00 9OO 123", "+44 (0)7700-900123", "0 7 7 0 0 9 0 0 1 2 3", "07700 900123"],
)
def test_task_phone_forms(raw: str) -> None:
    (phone,) = extract(raw).phones
    assert phone.e164 == "+447700900123"
    assert phone.region == "GB"
    assert phone.kind == "mobile"
    assert phone.valid is False  # Ofcom drama range: possible, never allocated
    assert phone.obfuscated is (raw not in ("+44 (0)7700-900123", "07700 900123"))


def test_parse_phone_field() -> None:
    match = parse_phone("O7700 9OO 123", "GB")
    assert match is not None
    assert match.e164 == "+447700900123"
    assert match.obfuscated
    assert parse_phone("£150", "GB") is None
    assert parse_phone("", "GB") is None


def test_phone_kinds() -> None:
    found = {p.e164: p for p in extract("01632 960123 and +1 202 555 0143").phones}
    assert found["+441632960123"].kind == "fixed"
    assert found["+12025550143"].region == "US"


def test_canonical_email_both_signatures() -> None:
    assert canonical_email("A.Nna+x@GMAIL.com") == "anna@gmail.com"
    assert canonical_email("A.Nna+x", "googlemail.com") == "anna@gmail.com"
    assert canonical_email("Kate@Proton.Me") == "kate@proton.me"


def test_obfuscated_email_flag() -> None:
    (plain,) = find_emails("kate@gmail.com")
    (hidden,) = find_emails("kate at gmail dot com")
    assert not plain.obfuscated
    assert hidden.obfuscated
    assert plain.canonical == hidden.canonical


def test_extraction_spans_are_in_the_original_text() -> None:
    raw = "Ｍｉａ， ｎｉｎｅｔｅｅｎ ｙｏ，  £１２０ １ｈｒ， ｓｎａｐ： ｍｉａ＿ｘ"
    ex = extract(raw)
    assert [a.value for a in ex.ages] == [19]
    assert raw[ex.ages[0].start : ex.ages[0].end] == "ｎｉｎｅｔｅｅｎ ｙｏ"
    (price,) = ex.prices
    assert (price.amount, price.currency, price.minutes, price.per_hour) == (120, "GBP", 60, 120)
    assert [h.handle for h in ex.handles] == ["mia_x"]


def test_language_is_a_data_file() -> None:
    from importlib import resources

    names = {p.name for p in resources.files("asw_guard.normalise").joinpath("data").iterdir()}
    assert {"en.yaml", "ro.yaml", "pl.yaml", "es.yaml", "pt.yaml"} <= names
