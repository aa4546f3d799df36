"""Which identifiers an advert carries, canonicalised so the same contact always hashes alike."""

from __future__ import annotations

from dataclasses import dataclass

from asw_guard.models import Advert
from asw_guard.normalise import Extraction

#: Identifier kinds that join adverts into one cluster (one controller behind them), and
#: those that only count as weak evidence (a shared IP can be a café's Wi-Fi).
STRONG_KINDS = frozenset({"phone", "email", "handle", "payment", "device"})
WEAK_KINDS = frozenset({"ip", "address"})
CONTACT_KINDS = frozenset({"phone", "email", "handle"})


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
