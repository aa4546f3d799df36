"""The `Extraction` result: everything read out of one advert's text, each item with its span.

This is a public, stable API: operators and tests call `asw_guard.extract` directly.
"""

from __future__ import annotations

from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict

PhoneKind = Literal["mobile", "fixed", "voip", "premium", "personal", "toll_free", "pager", "other"]


class _Item(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    #: Offsets into the original (un-normalised) text: text[start:end] is what was read.
    start: int
    end: int


class PhoneMatch(_Item):
    e164: str
    region: str | None
    kind: PhoneKind
    valid: bool
    #: Written to defeat machine reading: spelled digits, letters for digits, split by symbols.
    obfuscated: bool = False


class EmailMatch(_Item):
    canonical: str
    obfuscated: bool = False


class HandleMatch(_Item):
    platform: str | None
    handle: str


class UrlMatch(_Item):
    url: str


class PriceMatch(_Item):
    amount: float
    currency: str | None
    minutes: int | None
    per_hour: float | None
    #: Written in a code unit ("200 roses") instead of a currency.
    coded: bool = False
    #: The code unit when coded ("roses", "kisses").
    unit: str | None = None


class AgeMatch(_Item):
    value: int


class WeightMatch(_Item):
    kg: float


class HeightMatch(_Item):
    cm: float


class AvailabilityMatch(_Item):
    hours_per_day: float | None = None
    days_per_week: int | None = None
    always: bool = False


class Extraction(BaseModel):
    """Everything read out of one text by `asw_guard.extract(text, region=...)`.

    - `phones`: E.164, region, kind, validity (a field, not a filter: unallocated but possible
      numbers are kept) and whether the number was written obfuscated; first occurrence of each.
    - `emails`: canonical form for linking (lower case; Gmail dots and plus tags removed).
    - `handles`: messaging handles and links (wa.me, t.me, "Snapchat: …", "@…"), `platform`
      None when no platform was named near an "@handle".
    - `urls`: web addresses as written (email domains and handles excluded).
    - `prices`: amount, currency (None for coded units such as "roses"), minutes and per-hour
      figure when a duration is written next to the price.
    - `ages`, `weights` (kg), `heights` (cm), `availability` (24/7, hours a day, days a week).
    - `incall`/`outcall`: True offered, False refused or excluded by "only", None not said.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    phones: list[PhoneMatch] = []
    emails: list[EmailMatch] = []
    handles: list[HandleMatch] = []
    urls: list[UrlMatch] = []
    prices: list[PriceMatch] = []
    ages: list[AgeMatch] = []
    weights: list[WeightMatch] = []
    heights: list[HeightMatch] = []
    availability: list[AvailabilityMatch] = []
    incall: bool | None = None
    outcall: bool | None = None


_M = TypeVar("_M", bound=BaseModel)
_new = object.__new__
# The setters of the slots every model instance holds. Called directly they spare the look-up by
# name that object.__setattr__ makes for each: a third of the cost of `trusted`.
_set_dict = BaseModel.__dict__["__dict__"].__set__
_set_fields_set = BaseModel.__dict__["__pydantic_fields_set__"].__set__
_set_extra = BaseModel.__dict__["__pydantic_extra__"].__set__
_set_private = BaseModel.__dict__["__pydantic_private__"].__set__


def trusted(cls: type[_M], fields: dict[str, Any]) -> _M:
    """What `cls.model_validate(fields)` returns, for fields that name every field of cls in
    its order, each value already what validation makes of it (a float field holds a float,
    not an int; a model field an instance of that model). The instance is built as
    `model_construct` builds it, without its look-up of aliases and defaults for each field,
    which costs more than validating: extract builds a dozen of these for every advert."""
    return trusted_all(cls, [fields])[0]


def trusted_all(cls: type[_M], rows: list[dict[str, Any]]) -> list[_M]:
    """[trusted(cls, row) for row in rows], in one loop: a dozen rows an advert, and a call
    for each costs about as much as the work it does."""
    out: list[_M] = []
    for fields in rows:
        model: _M = _new(cls)
        _set_dict(model, fields)
        _set_fields_set(model, set(fields))
        _set_extra(model, None)
        _set_private(model, None)
        out.append(model)
    return out
