"""Phone numbers in free text and fields, normalised to E.164 with `phonenumbers`."""

from __future__ import annotations

import re

import phonenumbers
from phonenumbers import PhoneNumberType

from asw_guard.normalise.models import PhoneKind, PhoneMatch

# A run of digits with the separators adverts use between them; bounded so it cannot backtrack.
_CANDIDATE = re.compile(r"(?<![\w+])\+?\(?\d[\d\s().\-/]{8,22}\d(?!\w)")

_KIND: dict[int, PhoneKind] = {
    PhoneNumberType.MOBILE: "mobile",
    PhoneNumberType.FIXED_LINE: "fixed",
    PhoneNumberType.FIXED_LINE_OR_MOBILE: "mobile",
    PhoneNumberType.VOIP: "voip",
    PhoneNumberType.PREMIUM_RATE: "premium",
    PhoneNumberType.PERSONAL_NUMBER: "personal",
    PhoneNumberType.TOLL_FREE: "toll_free",
    PhoneNumberType.PAGER: "pager",
}


def parse_phone(raw: str, region: str = "GB", *, start: int = 0) -> PhoneMatch | None:
    """One phone number from a field or a candidate span, or None when it is not a number."""
    digits = sum(c.isdigit() for c in raw)
    if digits < 9 or digits > 15:
        return None
    try:
        num = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        return None
    # Possible but unallocated numbers (e.g. Ofcom's drama range) still link: validity is a field.
    if not phonenumbers.is_possible_number(num):
        return None
    valid = phonenumbers.is_valid_number(num)
    kind = _KIND.get(phonenumbers.number_type(num), "other") if valid else _guess_kind(num)
    return PhoneMatch(
        e164=phonenumbers.format_number(num, phonenumbers.PhoneNumberFormat.E164),
        region=phonenumbers.region_code_for_number(num) or _region_for_prefix(num),
        kind=kind,
        valid=valid,
        start=start,
        end=start + len(raw),
    )


def _guess_kind(num: phonenumbers.PhoneNumber) -> PhoneKind:
    national = str(num.national_number)
    if num.country_code == 44 and national.startswith("7"):
        return "mobile"
    return "other"


def _region_for_prefix(num: phonenumbers.PhoneNumber) -> str | None:
    if num.country_code is None:
        return None
    region: str = phonenumbers.region_code_for_country_code(num.country_code)
    return None if region == "ZZ" else region


def find_phones(text: str, region: str = "GB") -> list[PhoneMatch]:
    found: list[PhoneMatch] = []
    seen: set[str] = set()
    for m in _CANDIDATE.finditer(text):
        match = parse_phone(m.group(0), region, start=m.start())
        if match is not None and match.e164 not in seen:
            seen.add(match.e164)
            found.append(match)
    return found
