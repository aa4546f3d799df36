"""Email addresses, canonicalised for linking."""

from __future__ import annotations

import re

from asw_guard.normalise.models import EmailMatch

_EMAIL = re.compile(
    r"(?<![\w.+-])([A-Za-z0-9._%+-]{1,64})@([A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){1,5})"
)
_GMAIL = {"gmail.com", "googlemail.com"}


def canonical_email(local: str, domain: str) -> str:
    local, domain = local.lower(), domain.lower().rstrip(".")
    if domain in _GMAIL:
        local = local.split("+", 1)[0].replace(".", "")
        domain = "gmail.com"
    return f"{local}@{domain}"


def find_emails(text: str) -> list[EmailMatch]:
    out: list[EmailMatch] = []
    for m in _EMAIL.finditer(text):
        out.append(
            EmailMatch(
                canonical=canonical_email(m.group(1), m.group(2)), start=m.start(), end=m.end()
            )
        )
    return out
