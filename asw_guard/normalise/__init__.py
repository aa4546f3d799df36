"""Reading adverts: text clean-up and extraction of contacts, prices, ages and the rest.

`extract(text, region=...)` is the public entry point; every item it returns carries its span in
the original text so evidence can be highlighted where the advertiser wrote it.
"""

from __future__ import annotations

from asw_guard.normalise.contacts import canonical_email, find_emails
from asw_guard.normalise.models import (
    AgeMatch,
    AvailabilityMatch,
    EmailMatch,
    Extraction,
    HandleMatch,
    HeightMatch,
    PhoneMatch,
    PriceMatch,
    UrlMatch,
    WeightMatch,
)
from asw_guard.normalise.phones import find_phones, parse_phone

__all__ = [
    "AgeMatch",
    "AvailabilityMatch",
    "EmailMatch",
    "Extraction",
    "HandleMatch",
    "HeightMatch",
    "PhoneMatch",
    "PriceMatch",
    "UrlMatch",
    "WeightMatch",
    "canonical_email",
    "extract",
    "parse_phone",
]


def extract(text: str, *, region: str = "GB") -> Extraction:
    """Everything asw-guard reads out of one text. Never raises on arbitrary Unicode."""
    return Extraction(phones=find_phones(text, region), emails=find_emails(text))
