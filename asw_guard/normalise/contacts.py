"""Emails, messaging handles and URLs, canonicalised for linking."""

from __future__ import annotations

import bisect
import re
from functools import lru_cache

from asw_guard.normalise.models import EmailMatch, HandleMatch, UrlMatch, trusted
from asw_guard.normalise.scan import KEYWORDS, finditer_from
from asw_guard.normalise.text import Normalised, normalise

_GMAIL = {"gmail.com", "googlemail.com"}
# Providers written without their top-level domain ("anna[at]gmail"): the TLD they almost always
# have. Also the only domains accepted for the loose "anna at gmail" form without a "dot".
_PROVIDERS = {
    "gmail": "com", "googlemail": "com", "yahoo": "com", "hotmail": "com", "outlook": "com",
    "icloud": "com", "live": "com", "aol": "com", "protonmail": "com", "proton": "me",
    "gmx": "com", "yandex": "com", "mail": "com", "wp": "pl", "o2": "pl", "interia": "pl",
    "onet": "pl", "yahoomail": "com",
}  # fmt: skip
_TLDS = {
    "com", "net", "org", "uk", "co", "ro", "pl", "es", "pt", "de", "fr", "it", "eu", "me", "io",
    "info", "biz", "ru", "br", "nl", "ie", "ch", "at", "be", "xxx", "app",
}  # fmt: skip

_AT = r"(?:[ \t]*@[ \t]*|[ \t]*[\[({<][ \t]*(?:at|@)[ \t]*[\])}>][ \t]*)"
# "anna at gmail dot com": only with a known provider, since "meet at hotel" is ordinary prose.
_LOOSE_AT = r"(?:[ \t]+at[ \t]+)"
_DOT = r"(?:[ \t]*\.|[ \t]*[\[({<][ \t]*(?:dot|\.)[ \t]*[\])}>][ \t]*|[ \t]+dot[ \t]+)"
_LOCAL = r"(?<![\w.+\-])([A-Za-z0-9][A-Za-z0-9._+\-]{0,63})"
_DOMAIN = rf"([A-Za-z0-9][A-Za-z0-9\-]{{0,62}})((?:{_DOT}[A-Za-z]{{2,10}}(?![A-Za-z0-9\-])){{0,3}})"
_EMAIL = re.compile(_LOCAL + _AT + _DOMAIN, re.IGNORECASE)
# Where _LOCAL can start: its look-behind and first character, nothing more.
_LOCAL_START = re.compile(r"(?<![\w.+\-])[A-Za-z0-9]", re.IGNORECASE)
_EMAIL_LOOSE = re.compile(_LOCAL + _LOOSE_AT + _DOMAIN, re.IGNORECASE)
_ANCHOR = re.compile(r"@|\[[ \t]*at|\([ \t]*at|\{[ \t]*at|<[ \t]*at| at[ \t]|\tat[ \t]")
_HAS_AT = re.compile(r"@|[\[({<][ \t]*at[ \t]*[\])}>]", re.IGNORECASE)
_HAS_LOOSE_AT = re.compile(r"[ \t]at[ \t]", re.IGNORECASE)
_DOT_SPLIT = re.compile(_DOT, re.IGNORECASE)
_PLAIN_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+")

_PLATFORMS = {
    "whatsapp": "whatsapp", "whats app": "whatsapp", "watsapp": "whatsapp", "wa": "whatsapp",
    "telegram": "telegram", "tg": "telegram", "viber": "viber", "snapchat": "snapchat",
    "snap": "snapchat", "sc": "snapchat", "instagram": "instagram", "insta": "instagram",
    "ig": "instagram", "kik": "kik", "signal": "signal", "onlyfans": "onlyfans",
    "only fans": "onlyfans", "twitter": "twitter",
}  # fmt: skip
# What every platform name begins with: a platform match starts only where one of these does, and
# finding these few costs less than finding each name.
_PLATFORM_STARTS = (
    "wa",
    "whats",
    "tele",
    "tg",
    "viber",
    "snap",
    "sc",
    "insta",
    "ig",
    "kik",
    "signal",
    "only",
    "twitter",
)
_PLATFORM_WORD = "|".join(sorted((re.escape(p) for p in _PLATFORMS), key=len, reverse=True))
# Run on the lower-cased text and starting with the platform names themselves, so the engine
# skips ahead to their first letters; the boundary before is checked on each match.
_HANDLE_AFTER_PLATFORM = re.compile(
    rf"(?:{_PLATFORM_WORD})[ \t]*(?:[:=\-]|\bid\b|\bname\b)?[ \t]*(@?)"
    r"([a-z][a-z0-9_.]{2,31})(?![\w@])"
)
_PLATFORM_AT = re.compile(rf"(?:{_PLATFORM_WORD})")
_AT_HANDLE = re.compile(r"(?<![\w@.])@([A-Za-z][A-Za-z0-9_.]{2,31})(?![\w@])")
_PLATFORM_CONTEXT = re.compile(rf"(?<![\w.])({_PLATFORM_WORD})(?!\w)", re.IGNORECASE)
_LINK = re.compile(
    r"(?:https?://)?(?:www\.)?(wa\.me|t\.me|telegram\.me|snapchat\.com/add|instagram\.com|"
    r"onlyfans\.com|viber\.click|twitter\.com|x\.com)/\+?([A-Za-z0-9_.]{2,40})",
    re.IGNORECASE,
)
_LINK_PLATFORM = {
    "wa.me": "whatsapp", "t.me": "telegram", "telegram.me": "telegram",
    "snapchat.com/add": "snapchat", "instagram.com": "instagram", "onlyfans.com": "onlyfans",
    "viber.click": "viber", "twitter.com": "twitter", "x.com": "twitter",
}  # fmt: skip
_LINK_HOSTS = tuple(_LINK_PLATFORM)
_URL = re.compile(
    r"(?:https?://|www\.)[^\s<>\"'\x00]{1,2000}"
    r"|(?<![\w.@\-])(?:[A-Za-z0-9\-]{1,63}\.){1,4}"
    r"(?:com|co\.uk|uk|net|org|me|io|ro|pl|es|pt|eu|info|xxx|app)\b(?:/[^\s<>\"'\x00]{0,2000})?",
    re.IGNORECASE,
)
# Words that follow a platform name but are not a handle ("WhatsApp only", "Telegram me").
_URL_HINTS = (
    ".com",
    ".uk",
    ".net",
    ".org",
    ".me",
    ".io",
    ".ro",
    ".pl",
    ".es",
    ".pt",
    ".eu",
    ".info",
    ".xxx",
    ".app",
)
# Whether any of _URL_HINTS is in a text: one scan that stops only at dots.
_URL_HINT = re.compile("|".join(re.escape(h) for h in _URL_HINTS))
_NOT_HANDLES = {
    "only", "me", "my", "on", "or", "and", "for", "the", "is", "are", "number", "here", "too",
    "available", "with", "please", "not", "also", "text", "call", "calls", "msg", "message",
    "messages", "contact", "preferred", "welcome", "video", "first", "details", "link", "bio",
    "below", "above", "via", "app", "just", "then", "pls", "plz", "ok", "okay", "yes", "ask",
    "same", "from", "you", "your", "this", "that", "will", "can", "any", "all", "add", "now",
    "account", "profile", "story", "stories", "chat", "chats", "verified", "reply", "replies",
    "whatsapp", "telegram", "viber", "snapchat", "instagram", "signal", "onlyfans", "premium",
    "users", "user", "calling", "texts", "sms", "business", "group", "voice",
}  # fmt: skip
_TRAILING = ".,;:!?)]}'\""


def canonical_email(address: str, domain: str | None = None) -> str:
    """Lower case; Gmail dots and plus tags removed. Takes "a@b" or ("a", "b")."""
    if domain is None:
        local, _, domain = address.strip().rpartition("@")
    else:
        local = address
    local, domain = local.lower(), domain.lower().rstrip(".")
    if domain in _GMAIL:
        local = local.split("+", 1)[0].replace(".", "")
        domain = "gmail.com"
    return f"{local}@{domain}"


_LOCAL_CHAR = re.compile(r"[A-Za-z0-9._+\-]", re.IGNORECASE)
# What _LOCAL_CHAR matches, as a set: a look-up per character costs far less than a match. Beyond
# ASCII, ignore-case also lets in the few letters whose case folds to an ASCII one ("K", "ſ").
_LOCAL_CHARS = frozenset(c for c in map(chr, range(0x2200)) if _LOCAL_CHAR.match(c))
# The same, for str.rstrip: one call strips a whole run, where a loop pays for each character.
_LOCAL_STRIP = "".join(sorted(_LOCAL_CHARS))


def _blank_ats(low: str) -> list[int]:
    """Every place of a blank, "at" and a blank in low, ascending. A tab is looked for only when
    the text has one: a search for a word that opens with a tab costs several times what a
    search for the tab alone does, and adverts seldom hold one."""
    out: list[int] = []
    for blank_at in (" at", "\tat") if "\t" in low else (" at",):
        i = low.find(blank_at)
        while i != -1:
            if low[i + 3 : i + 4] in (" ", "\t"):
                out.append(i)
            i = low.find(blank_at, i + 1)
    out.sort()
    return out


def _loose_local_starts(t: str, low: str, blank_ats: list[int] | None = None) -> list[int]:
    """Every place an _EMAIL_LOOSE match can start: the start of the run of local-part characters
    right before a blank, "at" and a blank. Inside such a run a local part cannot start (the
    character before it is a word character), so there is one place per "at". `blank_ats` is
    _blank_ats(low) when the caller has it."""
    out: list[int] = []
    for i in _blank_ats(low) if blank_ats is None else blank_ats:
        end = i
        while end > 0 and t[end - 1] in " \t":
            end -= 1
        start = end
        while start > 0 and t[start - 1] in _LOCAL_CHARS:
            start -= 1
        if start < end:
            out.append(start)
    out.sort()
    return out


# Every word an email anchor opens with, for the keyword index: the advert is read once for all
# extractors' words, and these are rare enough in prose that reading their places back costs less
# than the several finds of _blank_ats and _anchors.
_ANCHOR_WORDS = ("@", "[", "(", "{", "<", " at ", " at\t", "\tat ", "\tat\t")


def _loose_starts_near(t: str, blank_ats: list[int], lo: int, p: int) -> list[int]:
    """The places of _loose_local_starts(t, low, blank_ats) from lo to p, ascending. Only a
    blank before "at" from lo to p can give one: a run of local-part characters ends before its
    blank, and cannot reach back past the blank of an earlier " at "."""
    out: list[int] = []
    for i in blank_ats[bisect.bisect_left(blank_ats, lo) : bisect.bisect_right(blank_ats, p)]:
        seg = t[lo:i].rstrip(" \t")
        run = seg.rstrip(_LOCAL_STRIP)
        # A run that fills the window from lo starts there only when nothing before lo would
        # lengthen it; a start before lo is out of reach.
        if len(run) < len(seg) and (run or lo == 0 or t[lo - 1] not in _LOCAL_CHARS):
            out.append(lo + len(run))
    return out


def _anchor_places(norm: Normalised) -> tuple[list[int], list[tuple[int, bool]]]:
    """(_blank_ats(low), _anchors(low)) of norm.lower, from the keyword index."""
    found = KEYWORDS.places(norm, _ANCHOR_WORDS)
    blank_ats = found.get(" at ", [])
    if " at\t" in found or "\tat " in found or "\tat\t" in found:
        blank_ats = sorted(
            blank_ats + found.get(" at\t", []) + found.get("\tat ", []) + found.get("\tat\t", [])
        )
    if not ("@" in found or "[" in found or "(" in found or "{" in found or "<" in found):
        # Loose anchors alone: the only overlap is " at at ", whose second "at" is no anchor.
        anchors: list[tuple[int, bool]] = []
        end = 0
        for i in blank_ats:
            if i >= end:
                anchors.append((i, True))
                end = i + 4
        return blank_ats, anchors
    return blank_ats, _anchors(norm.lower, blank_ats)


def _anchors(low: str, blank_ats: list[int] | None = None) -> list[tuple[int, bool]]:
    """Where _ANCHOR.finditer(low) matches, and whether each is a loose " at ", found from the
    places of "@", the brackets and the blanks before "at": a scan for the pattern stops at
    every blank of the text. Each form of anchor opens with a character no other form opens
    with, so at most one starts at any place, and its end is fixed by its start. `blank_ats` is
    _blank_ats(low) when the caller has it."""
    found: list[tuple[int, int, bool]] = []
    i = low.find("@")
    while i != -1:
        found.append((i, i + 1, False))
        i = low.find("@", i + 1)
    # From the brackets and the blanks before "at" rather than from every "at": "at" sits
    # inside many English words ("that", "date"), brackets and a lone " at " are rare.
    for bracket in "[({<":
        j = low.find(bracket)
        while j != -1:
            k = j + 1
            while low[k : k + 1] in (" ", "\t"):
                k += 1
            if low.startswith("at", k):
                found.append((j, k + 2, False))
            j = low.find(bracket, j + 1)
    found += [(i, i + 4, True) for i in (_blank_ats(low) if blank_ats is None else blank_ats)]
    found.sort()
    out: list[tuple[int, bool]] = []
    end = 0
    for start, stop, loose in found:
        if start >= end:
            out.append((start, loose))
            end = stop
    return out


def _around_anchor(
    t: str, p: int, pattern: re.Pattern[str], starts: list[int] | None
) -> list[re.Match[str]]:
    """The matches of pattern.finditer(t, p - 72, p + 160) that hold position p. Only a match
    starting at or before p can hold it, so only those starts are tried: `starts` (sorted) when
    every place the pattern can start is known, else every place a local part can start."""
    lo, hi = max(0, p - 72), min(len(t), p + 160)
    if starts is None:
        tried = [s.start() for s in _LOCAL_START.finditer(t, lo, p + 1)]
    else:
        # Sorted, so the few in reach are found without reading them all for every anchor.
        tried = starts[bisect.bisect_left(starts, lo) : bisect.bisect_right(starts, p)]
    return _holding(t, p, pattern, tried, hi)


def _holding(
    t: str, p: int, pattern: re.Pattern[str], tried: list[int], hi: int
) -> list[re.Match[str]]:
    """The matches of pattern.finditer(t, endpos=hi) from the starts `tried` that hold p."""
    if len(tried) == 1:
        # What finditer_from does with one start, without its sorting and bookkeeping: a loose
        # anchor mostly has only the run right before it.
        m = pattern.match(t, tried[0], hi)
        return [m] if m is not None and m.start() <= p < m.end() else []
    return [m for m in finditer_from(pattern, t, tried, hi) if m.start() <= p < m.end()]


_HOST_RUN = re.compile(r"[ \t]*([A-Za-z0-9][A-Za-z0-9\-]*)")
# On lower-cased Latin-1 text, where a match is the host run being a provider: the whole run, as
# nothing host-like may follow.
_PROVIDER_RUN = re.compile(
    r"[ \t]*(?:" + "|".join(sorted(_PROVIDERS, key=len, reverse=True)) + r")(?![a-z0-9\-])"
)
# What can come right before a blank that opens " at " when that blank sits in the dot of an
# address whose "at" is earlier: a closing bracket or the word "dot" ("gmail (dot) at").
_DOT_ENDS = ("]", ")", "}", ">", "dot")
_DOT_LAST = frozenset(end[-1] for end in _DOT_ENDS)


def _loose_anchor_may_hold(t: str, low: str, p: int) -> bool:
    """False when no _EMAIL_LOOSE match holding the loose anchor at p can have a provider as
    its host: find_emails drops such matches, and they change nothing else, so the "at" of
    ordinary prose ("book at least") is ruled out without a regex match. Only for Latin-1 text,
    where ignore-case [A-Za-z] is the ASCII letters: there the host of a match whose "at" is
    this anchor's is the run of host characters after it, cut where _around_anchor's window
    ends. A match whose "at" is earlier holds p only inside a written dot, so those are kept."""
    j = p
    while j > 0 and low[j - 1] in " \t":
        j -= 1
    # The last character first: most words end in none of these.
    if low[j - 1 : j] in _DOT_LAST and low.endswith(_DOT_ENDS, 0, j):
        return True
    # Lower-cased Latin-1 has its ASCII letters where the text has them, and no others; a
    # provider is shorter than the 63 characters a host is cut to.
    return _PROVIDER_RUN.match(low, p + 3, min(len(t), p + 160)) is not None


def _anchored_matches(norm: Normalised) -> list[re.Match[str]]:
    """The email matches around each "@" or "at", in order of start. Only the neighbourhood
    of each is read: scanning the whole text with a pattern that can start anywhere costs more
    than everything else together."""
    t, low = norm.text, norm.lower
    matches: list[re.Match[str]] = []
    seen: set[tuple[int, int]] = set()
    # Both the anchors and the places a loose match can start are read from these.
    blank_ats, anchors = _anchor_places(norm)
    for p, loose in anchors:
        if loose:
            if norm.latin1 and not _loose_anchor_may_hold(t, low, p):
                continue
            # As _around_anchor with every loose start, finding only those in its reach.
            lo = max(0, p - 72)
            tried = _loose_starts_near(t, blank_ats, lo, p)
            found = _holding(t, p, _EMAIL_LOOSE, tried, min(len(t), p + 160))
        else:
            found = _around_anchor(t, p, _EMAIL, None)
        for m in found:
            if (m.start(), m.end()) not in seen:
                seen.add((m.start(), m.end()))
                matches.append(m)
    matches.sort(key=lambda m: m.start())
    return matches


def find_emails(text: str, *, normalised: Normalised | None = None) -> list[EmailMatch]:
    """Plain and obfuscated emails ("anna at gmail dot com", "anna[at]gmail")."""
    norm = normalised if normalised is not None else normalise(text)
    out: dict[str, EmailMatch] = {}
    # The spans of the addresses read so far: a few, so looking through them costs less than
    # a set of every position they hold.
    taken: list[tuple[int, int]] = []
    if "@" not in norm.text and "at" not in norm.lower:
        return []
    t = norm.text
    if len(norm.lower) == len(t):
        matches = _anchored_matches(norm)
    else:
        matches = list(_EMAIL.finditer(t)) + list(_EMAIL_LOOSE.finditer(t))
    for m in matches:
        s, e = m.span()
        if _in_spans(taken, s, e - 1):
            continue
        local, host, tail = m.groups()
        host = host.lower()
        loose_at = m.re is _EMAIL_LOOSE
        if loose_at and host not in _PROVIDERS:
            continue
        if not _has_letter(host):
            continue
        labels = _labels(tail)
        if labels:
            if labels[-1] not in _TLDS:
                continue
            domain = ".".join((host, *labels))
        elif host in _PROVIDERS:
            domain = f"{host}.{_PROVIDERS[host]}"
        else:
            continue
        local = local.rstrip("._-")
        if not local:
            continue
        taken.append((s, e))
        canonical = canonical_email(local, domain)
        if canonical not in out:
            # A loose address has a blank in it, which no plain one has.
            plain = bool(labels) and not loose_at and _PLAIN_EMAIL.fullmatch(m.group(0)) is not None
            start, end = norm.span(s, e)
            # Typed as validation makes them (tests hold the two equal): see models.trusted.
            out[canonical] = trusted(
                EmailMatch,
                {"start": start, "end": end, "canonical": canonical, "obfuscated": not plain},
            )
    return list(out.values())


def _in_spans(spans: list[tuple[int, int]], a: int, b: int) -> bool:
    """Whether a or b is inside any of spans."""
    for s, e in spans:  # noqa: SIM110 (a generator costs more than the few spans it reads)
        if s <= a < e or s <= b < e:
            return True
    return False


def _has_letter(host: str) -> bool:
    """any(c.isalpha() for c in host), for a lower-cased host run. An ASCII one holds only
    letters, digits and hyphens, so it has a letter when stripping the rest leaves any."""
    if host.isascii():
        return bool(host.strip("0123456789-"))
    return any(c.isalpha() for c in host)


@lru_cache(maxsize=1024)
def _labels(tail: str) -> tuple[str, ...]:
    """The lower-cased labels of a domain's tail (" dot co.uk"): adverts write a few tails
    (".com", " dot com") over and over."""
    return tuple(p.lower() for p in _DOT_SPLIT.split(tail) if p)


def find_handles(text: str, *, normalised: Normalised | None = None) -> list[HandleMatch]:
    """Messaging links and handles: wa.me/…, t.me/…, "Snapchat: anna_x", "@anna_x"."""
    norm = normalised if normalised is not None else normalise(text)
    t = norm.text
    out: dict[tuple[str | None, str], HandleMatch] = {}
    # Positions already read, as a set so that many matches stay linear.
    taken: set[int] = set()

    def add(platform: str | None, handle: str, s: int, e: int) -> None:
        handle = handle.rstrip(_TRAILING)
        if len(handle) < 3 or handle.lower() in _NOT_HANDLES:
            return
        key = (platform, handle.lower())
        if key in out or ((None, handle.lower()) in out and platform is None):
            return
        start, end = norm.span(s, e)
        out[key] = trusted(
            HandleMatch, {"start": start, "end": end, "platform": platform, "handle": handle}
        )
        taken.update(range(s, e))

    low = norm.lower
    if "/" in t and KEYWORDS.any_in(norm, _LINK_HOSTS):
        for m in _LINK.finditer(t):
            add(_LINK_PLATFORM[m.group(1).lower()], m.group(2), m.start(), m.end())
    same_length = len(low) == len(t)
    platform_matches = (
        finditer_from(_HANDLE_AFTER_PLATFORM, low, KEYWORDS.starts(norm, _PLATFORM_STARTS))
        if same_length
        else ()
    )
    for m in platform_matches:
        if m.start() > 0 and (low[m.start() - 1].isalnum() or low[m.start() - 1] in "._"):
            continue
        name = _PLATFORM_AT.match(low, m.start())
        if name is None:
            continue
        word = name.group(0)
        platform = _PLATFORMS[" ".join(word.split())]
        # Short platform abbreviations ("sc", "ig", "wa") only count with an explicit "@" or ":".
        if len(word) <= 2 and not m.group(1) and ":" not in m.group(0):
            continue
        if m.start(2) in taken:
            continue
        add(platform, t[m.start(2) : m.end(2)], m.start(2) - len(m.group(1)), m.end())
    for m in _AT_HANDLE.finditer(t) if "@" in t else ():
        if m.start() in taken:
            continue
        window = t[max(0, m.start() - 40) : m.start()]
        ctx = list(_PLATFORM_CONTEXT.finditer(window))
        # .get: a case-folded match can lower-case to something else ("İg" to "i̇g").
        near = _PLATFORMS.get(" ".join(ctx[-1].group(1).lower().split())) if ctx else None
        add(near, m.group(1), m.start(), m.end())
    return list(out.values())


def find_urls(text: str, *, normalised: Normalised | None = None) -> list[UrlMatch]:
    """Web addresses, with or without a scheme; email domains are not URLs."""
    norm = normalised if normalised is not None else normalise(text)
    out: dict[str, UrlMatch] = {}
    low = norm.lower
    if "." not in low or not ("http" in low or "www." in low or _URL_HINT.search(low)):
        return []
    for m in _URL.finditer(norm.text):
        raw = m.group(0).rstrip(_TRAILING)
        if not raw or "@" in raw:
            continue
        start, end = norm.span(m.start(), m.start() + len(raw))
        key = raw.lower()
        if key not in out:
            out[key] = trusted(UrlMatch, {"start": start, "end": end, "url": raw})
    return list(out.values())
