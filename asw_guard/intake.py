"""Reading an operator's input (a model, a mapping or JSON text) into an `Advert`, with field
errors a person can act on."""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from pydantic import ValidationError

from asw_guard.errors import FieldProblem, InvalidAdvert
from asw_guard.models import Advert

AdvertInput = Advert | Mapping[str, Any] | str | bytes


def _field_path(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif not part.startswith(("function-", "tagged-union")):
            out += f".{part}" if out else part
    return out


def problems_of(exc: ValidationError) -> list[FieldProblem]:
    """pydantic's errors as field paths a person reads (`images[2].data`), one per problem."""
    problems = []
    for err in exc.errors(include_url=False, include_input=False):
        msg = err["msg"].removeprefix("Value error, ")
        if err["type"] == "json_invalid":
            msg = f"not valid JSON ({err.get('ctx', {}).get('error', 'parse error')})"
        problems.append(FieldProblem(_field_path(tuple(err["loc"])), msg))
    return problems


def _json_default(value: object) -> object:
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not a JSON value")


def _invalid_unicode(value: object, path: str = "") -> list[FieldProblem]:
    """Lone surrogates in a Python mapping: the JSON round trip would only say "bad escape"."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as exc:
            return [FieldProblem(path, f"invalid Unicode at position {exc.start}")]
        return []
    if isinstance(value, Mapping):
        return [
            p
            for k, v in value.items()
            for p in _invalid_unicode(v, f"{path}.{k}" if path else str(k))
        ]
    if isinstance(value, list | tuple):
        return [p for i, v in enumerate(value) for p in _invalid_unicode(v, f"{path}[{i}]")]
    return []


def _advert_id_of(data: Mapping[str, Any] | str | bytes) -> str | None:
    """The advert's id if one can be read, so an error can say which advert it is about."""
    if not isinstance(data, Mapping):
        try:
            data = json.loads(data)
        except ValueError:
            return None
        if not isinstance(data, Mapping):
            return None
    value = data.get("id")
    return value if isinstance(value, str) and 0 < len(value) <= 200 else None


def parse_advert(data: AdvertInput) -> Advert:
    """An `Advert` from a model, a mapping or JSON text; raises `InvalidAdvert` on bad input.

    A mapping is validated as its JSON form would be (timestamps as ISO text, image bytes as
    bytes or base64), and as strictly: "19" is not an age.
    """
    if isinstance(data, Advert):
        return data
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InvalidAdvert([FieldProblem("", f"not valid UTF-8 (byte {exc.start})")]) from None
    if isinstance(data, Mapping) and (bad := _invalid_unicode(data)):
        raise InvalidAdvert(bad, advert_id=_advert_id_of(data))
    try:
        text = json.dumps(data, default=_json_default) if isinstance(data, Mapping) else data
        return Advert.model_validate_json(text)
    except ValidationError as exc:
        raise InvalidAdvert(problems_of(exc), advert_id=_advert_id_of(data)) from None
    except (TypeError, ValueError) as exc:
        raise InvalidAdvert([FieldProblem("", f"not an advert: {exc}")]) from None
