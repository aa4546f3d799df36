"""Reading adverts: text clean-up and extraction of contacts, prices, ages and the rest.

`extract(text, region=...)` is the public entry point; every item it returns carries its span in
the original text so evidence can be highlighted where the advertiser wrote it.
"""

from __future__ import annotations

from asw_guard.normalise.contacts import canonical_email, find_emails, find_handles, find_urls
from asw_guard.normalise.measures import (
    find_ages,
    find_availability,
    find_call_modes,
    find_heights,
    find_prices,
    find_weights,
)
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
from asw_guard.normalise.text import Normalised, normalise

__all__ = [
    "AgeMatch",
    "AvailabilityMatch",
    "EmailMatch",
    "Extraction",
    "HandleMatch",
    "HeightMatch",
    "Normalised",
    "PhoneMatch",
    "PriceMatch",
    "UrlMatch",
    "WeightMatch",
    "canonical_email",
    "extract",
    "find_emails",
    "find_phones",
    "normalise",
    "parse_phone",
]


def _urls_not_contacts(
    urls: list[UrlMatch], emails: list[EmailMatch], handles: list[HandleMatch]
) -> list[UrlMatch]:
    """A bare domain inside an email or a handle ("anna{at}icloud.com", "lily.rose.uk") is not
    a web address; links with a scheme, "www." or a path are kept."""
    spans = [(e.start, e.end) for e in emails] + [(h.start, h.end) for h in handles]
    out = []
    for url in urls:
        bare = "/" not in url.url and not url.url.lower().startswith("www.")
        if bare and any(s < url.end and url.start < e for s, e in spans):
            continue
        out.append(url)
    return out


def extract(text: str, *, region: str = "GB") -> Extraction:
    """Everything asw-guard reads out of one text. Never raises on arbitrary Unicode."""
    norm = normalise(text)
    incall, outcall = find_call_modes(norm)
    emails = find_emails(text, normalised=norm)
    handles = find_handles(text, normalised=norm)
    return Extraction(
        phones=find_phones(text, region, normalised=norm),
        emails=emails,
        handles=handles,
        urls=_urls_not_contacts(find_urls(text, normalised=norm), emails, handles),
        prices=find_prices(norm),
        ages=find_ages(norm),
        weights=find_weights(norm),
        heights=find_heights(norm),
        availability=find_availability(norm),
        incall=incall,
        outcall=outcall,
    )
