"""Which identifiers an advert carries, canonicalised so the same contact always hashes alike."""

from __future__ import annotations

from dataclasses import dataclass

from asw_guard.models import Advert
from asw_guard.normalise import Extraction, canonical_email, parse_phone

#: Identifier kinds that join adverts into one cluster (one controller behind them), and
#: those that only count as weak evidence (a shared IP can be a café's Wi-Fi).
STRONG_KINDS = frozenset({"phone", "email", "handle", "payment", "device"})
WEAK_KINDS = frozenset({"ip", "address"})
CONTACT_KINDS = frozenset({"phone", "email", "handle"})
IDENTIFIER_KINDS = STRONG_KINDS | WEAK_KINDS


@dataclass(frozen=True, slots=True)
class Identifier:
    kind: str
    value: str


def advert_identifiers(advert: Advert, extraction: Extraction) -> list[Identifier]:
    """Every identifier in the advert's fields and text, canonical and de-duplicated."""
    found: dict[tuple[str, str], None] = {}

    def add(kind: str, value: str | None) -> None:
        if value:
            found[(kind, value)] = None

    for phone in extraction.phones:
        add("phone", phone.e164)
    for email in extraction.emails:
        add("email", email.canonical)
    for handle in extraction.handles:
        add("handle", f"{handle.platform or ''}:{handle.handle.lower().lstrip('@')}")
    add("payment", advert.payment_token)
    add("device", advert.device_token)
    add("ip", advert.ip_token)
    if advert.location and advert.location.address_key:
        city = (advert.location.city or "").casefold()
        add("address", f"{city}|{advert.location.address_key.casefold()}")
    return [Identifier(kind, value) for kind, value in found]


def canonical_identifier(kind: str, value: str, region: str = "GB") -> str | None:
    """One identifier given by a person (e.g. a number to suppress) in the form checks hash."""
    if kind == "phone":
        match = parse_phone(value, region)
        return match.e164 if match is not None else None
    if kind == "email":
        return canonical_email(value.strip())
    if kind == "handle":
        platform, _, handle = value.rpartition(":")
        return f"{platform}:{handle.strip().lower().lstrip('@')}"
    if kind == "address":
        city, _, key = value.partition("|")
        return f"{city.casefold()}|{key.casefold()}"
    return value.strip() or None
