"""Reading adverts: text clean-up and extraction of contacts, prices, ages and the rest.

`extract(text, region=...)` is the public entry point; every item it returns carries its span in
the original text so evidence can be highlighted where the advertiser wrote it.
"""

from __future__ import annotations

from asw_guard.normalise.contacts import canonical_email, find_emails, find_handles, find_urls
from asw_guard.normalise.measures import (
    age_rows,
    availability_rows,
    find_call_modes,
    height_rows,
    price_rows,
    weight_rows,
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
    trusted,
    trusted_all,
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
    # Every field is already what validation would make of it (the rows are typed and ordered
    # as their models are, and tests hold the result equal to the validated one), so the
    # models are built without validating, which costs several times as much.
    return trusted(
        Extraction,
        {
            "phones": find_phones(text, region, normalised=norm),
            "emails": emails,
            "handles": handles,
            "urls": _urls_not_contacts(find_urls(text, normalised=norm), emails, handles),
            "prices": trusted_all(PriceMatch, price_rows(norm)),
            "ages": trusted_all(AgeMatch, age_rows(norm)),
            "weights": trusted_all(WeightMatch, weight_rows(norm)),
            "heights": trusted_all(HeightMatch, height_rows(norm)),
            "availability": trusted_all(AvailabilityMatch, availability_rows(norm)),
            "incall": incall,
            "outcall": outcall,
        },
    )
