"""Bad input gets an `InvalidAdvert` naming the field and the problem, and stores nothing."""

from __future__ import annotations

import base64
import json
import sqlite3
from pathlib import Path

import pytest

from asw_guard import Guard, InvalidAdvert

GOOD = {"id": "ad-1", "account_id": "acc-1", "body": "Hello, call 07700 900123."}


def problems(guard: Guard, data: object) -> dict[str, str]:
    with pytest.raises(InvalidAdvert) as info:
        guard.check(data)  # type: ignore[arg-type]
    return {p.field: p.problem for p in info.value.problems}


def table_counts(db: Path) -> tuple[int, int, int]:
    with sqlite3.connect(db) as con:
        return tuple(  # type: ignore[return-value]
            con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("decisions", "adverts", "events")
        )


@pytest.mark.parametrize(
    ("data", "field", "words"),
    [
        ({"account_id": "a", "body": "x"}, "id", "required"),
        ({**GOOD, "id": ""}, "id", "at least 1"),
        ({**GOOD, "account_id": 12}, "account_id", "string"),
        ({**GOOD, "advertised_age": "19"}, "advertised_age", "integer"),
        ({**GOOD, "phones": "07700 900123"}, "phones", "array"),
        ({**GOOD, "posted_at": "last tuesday"}, "posted_at", "datetime"),
        ({**GOOD, "body": "x" * 10_000_000}, "body", "at most"),
        ({**GOOD, "body": "bad \ud800 surrogate"}, "body", "Unicode"),
        ({**GOOD, "images": [{"data": b"not an image at all"}]}, "images[0]", "not a JPEG"),
        ({**GOOD, "images": [{"data": "!!!not base64!!!"}]}, "images[0].data", "base64"),
        ({**GOOD, "images": [{"phash": "xyz"}]}, "images[0].phash", "pattern"),
        ({**GOOD, "location": {"country": "Britain"}}, "location.country", "pattern"),
        ({**GOOD, "surprise": 1}, "surprise", "not permitted"),
    ],
)
def test_each_problem_names_its_field(
    guard: Guard, db_path: Path, data: dict[str, object], field: str, words: str
) -> None:
    guard.check(GOOD)
    before = table_counts(db_path)
    found = problems(guard, data)
    assert field in found, found
    assert words.lower() in found[field].lower()
    assert table_counts(db_path) == before


def test_json_text_and_bytes_are_accepted_and_rejected_alike(guard: Guard) -> None:
    assert guard.check(json.dumps(GOOD)).advert_id == "ad-1"
    with pytest.raises(InvalidAdvert) as info:
        guard.check(b'{"id": "x", "account_id": "a"}')
    assert info.value.advert_id == "x"
    assert [p.field for p in info.value.problems] == ["body"]
    with pytest.raises(InvalidAdvert, match="not valid JSON"):
        guard.check("{not json")


def test_image_bytes_may_come_as_bytes_or_base64(guard: Guard) -> None:
    png = base64.b64decode(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
    )
    a = guard.check({**GOOD, "id": "img-1", "images": [{"data": png}]})
    b = guard.check({**GOOD, "id": "img-2", "images": [{"data": base64.b64encode(png).decode()}]})
    assert a.advert_id == "img-1" and b.advert_id == "img-2"


def test_every_problem_is_listed_at_once(guard: Guard) -> None:
    found = problems(guard, {"account_id": 1, "body": 2, "version": 0})
    assert {"id", "account_id", "body", "version"} <= set(found)
