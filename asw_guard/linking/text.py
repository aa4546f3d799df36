"""Near-duplicate advert text, robust to the slots a template is filled with.

One template behind many adverts is a network signal, but every copy carries a different name,
age, price and number. So slots are masked first (names after "I'm"/"my name is", other capitalised
words inside a sentence, numbers, prices, ages, phone-like runs, emails and URLs become placeholder
tokens), and the masked word sequence is what is compared.

Candidate search is MinHash over word shingles with LSH banding; candidates are then verified with
`rapidfuzz` (normalised Indel similarity) on the masked token sequences, which is the similarity the
threshold is stated in.

Why a MinHash of our own rather than ``datasketch``: the store needs the band keys as plain bytes it
can index as ``(key, advert_id)`` rows, and every hash must be keyed with the operator's secret so a
copy of the database reveals neither words nor band contents. ``datasketch`` hashes with its own
unkeyed function and keeps bands inside its own storage layer; feeding it pre-keyed integers and
extracting band bytes would leave little of it in use. The MinHash here is the textbook one (one
multiply-shift hash per permutation, minimum over shingles), vectorised with numpy, which the
image hashing already requires.

Keying: each word is hashed with BLAKE2b keyed by a sub-key derived from the operator's secret
(through `KeyedHasher`, so one secret governs every index); shingles, MinHash values and band keys
are computed from those keyed word hashes only.
"""

from __future__ import annotations

import hashlib
import itertools
import re
import weakref
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np
import numpy.typing as npt
from rapidfuzz import process
from rapidfuzz.distance import Indel

from asw_guard.linking.keys import KeyedHasher

#: Word shingle length. Two words keep template pairs with a few edited words above the LSH
#: threshold; longer shingles made recall fall on short adverts in the benchmark.
SHINGLE = 2
#: MinHash permutations, cut into BANDS bands of ROWS rows each (chosen on the benchmark in
#: benchmarks/linking.py: recall and precision against brute force both ≥ 0.95 at THRESHOLD).
BANDS = 32
ROWS = 4
NUM_PERM = BANDS * ROWS
#: Verified similarity (normalised Indel similarity of masked token sequences) at or above which
#: two adverts are near-duplicates.
THRESHOLD = 0.8
#: Texts shorter than this (in masked tokens) get no band keys: "call me <num>" is not a template.
MIN_TOKENS = 8

_SLOT_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("email", re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")),
    (
        "url",
        re.compile(
            r"(?:https?://|www\.)\S*[^\s.,!?)]|\b[\w-]+\.(?:com|co\.uk|net|org|io|me)\b\S*", re.I
        ),
    ),
    ("phone", re.compile(r"(?<![\w£$€])\+?\d[\d\s().-]{6,}\d(?!\w)")),
    (
        "price",
        re.compile(
            r"[£$€]\s?\d+(?:[.,]\d+)?|\b\d+(?:[.,]\d+)?\s?(?:£|\$|€|gbp|eur|usd|pounds?|euros?)\b",
            re.I,
        ),
    ),
    (
        "age",
        re.compile(
            r"\b\d{2}\s?(?:yo|y/o|yrs?|years?(?:\s+old)?)\b|\b(?:age|aged)\s*:?\s*\d{2}\b", re.I
        ),
    ),
    ("num", re.compile(r"\b\d+(?:[.,:]\d+)*(?:st|nd|rd|th|am|pm|h|hr|hrs|min|mins)?\b", re.I)),
]
#: A name follows these phrases whatever its case ("i'm jess", "my name is ANNA"). This is
#: ``\b(?:i'm|i am|im|my name is|my names|name is|call me|ask for)\s+([^\W\d_]+)`` with
#: re.I, led by one character class instead (the phrases' first letters and every character
#: that folds to them under re.I), so the regex engine skips ahead to candidates rather than
#: trying every position. ``(?<!\w.)`` after that letter is the ``\b`` before it.
_NAME_INTRO = re.compile(
    r"[IiMmNnCcAa\u0130\u0131](?<!\w.)"
    r"(?:(?<=[Ii\u0130\u0131])(?i:'m|\ am|m)"
    r"|(?<=[Mm])(?i:y\ name\ is|y\ names)"
    r"|(?<=[Nn])(?i:ame\ is)"
    r"|(?<=[Cc])(?i:all\ me)"
    r"|(?<=[Aa])(?i:sk\ for))"
    r"\s+([^\W\d_]+)"
)
#: Words that follow "I'm" or "call me" without being a name ("I'm new", "call me on ...").
_NOT_NAMES = frozenset(
    str.split(
        "a an the on at now in for to from and or so very here back new available not just only "
        "your you free open busy always really happy sweet young ready waiting real genuine "
        "visiting staying based located "
    )
)


def _mask_name(m: re.Match[str]) -> str:
    word = m.group(1)
    if word[0].islower() and word in _NOT_NAMES:
        return m.group(0)
    return m.group(0)[: m.start(1) - m.start(0)] + "<name>"


#: A cheap necessary condition, so the URL pattern runs only on text it could change: "://",
#: "www." or a listed top-level domain, case-folded as re.I folds them (no other character folds
#: to "w"). Led by one character class, so the engine skips to the few candidate positions.
_MAY_HOLD_URL = re.compile(
    r"[.:wW](?:(?<=:)//|(?<=[wW])(?i:ww\.)|(?<=\.)(?i:com|co\.uk|net|org|io|me))"
)
#: Where a match of each digit-led pattern can start; the pattern itself is then tried only
#: there, which skips most of the text (scanning it position by position is the main cost).
_STARTS: dict[str, re.Pattern[str]] = {
    "phone": re.compile(r"[+\d]"),
    "price": re.compile(r"[£$€\d]"),
    # Two digits before a "y" ("23yo", "23 years"), or "age"; only "a" and "y" fold to these.
    "age": re.compile(r"[\dAa](?:(?<=\d)\d\s?[Yy]|(?<=[Aa])(?i:ge))"),
    "num": re.compile(r"\d"),
}
_PATTERNS = dict(_SLOT_PATTERNS)


def _sub_at_starts(pattern: re.Pattern[str], starts: re.Pattern[str], repl: str, text: str) -> str:
    """``pattern.sub(repl, text)``, trying `pattern` only where `starts` matches.

    Exact when every match of `pattern` begins where `starts` matches and `repl` has no escapes:
    ``match(text, p)`` sees the whole string (lookbehinds, ``\\b``), as ``sub`` does, and no
    slot pattern matches the empty string.
    """
    parts: list[str] = []
    last = pos = 0
    search, match = starts.search, pattern.match
    while (c := search(text, pos)) is not None:
        start = c.start()
        m = match(text, start)
        if m is None:
            pos = start + 1
            continue
        parts += (text[last:start], repl)
        last = pos = m.end()
    if not parts:
        return text
    parts.append(text[last:])
    return "".join(parts)


def _mask_slot_patterns(text: str) -> str:
    """The text with every slot pattern substituted in turn, as ``_SLOT_PATTERNS`` lists them."""
    if "@" in text:
        text = _PATTERNS["email"].sub(" <email> ", text)
    if _MAY_HOLD_URL.search(text):
        text = _PATTERNS["url"].sub(" <url> ", text)
    for name in ("phone", "price", "age", "num"):
        text = _sub_at_starts(_PATTERNS[name], _STARTS[name], f" <{name}> ", text)
    return text


#: The word pattern with the gap before each word, so one ``findall`` yields both.
_GAP_WORD = re.compile(r"(.*?)(<[a-z]+>|[^\W_]+(?:'[^\W_]+)?)", re.S)
_PRONOUNS = frozenset({"I", "I'm", "I'll", "I've", "I'd"})


def mask_slots(text: str) -> list[str]:
    """The masked, lower-cased word sequence of `text` (placeholders look like ``<name>``)."""
    text = _NAME_INTRO.sub(_mask_name, _mask_slot_patterns(text))
    words: list[str] = []
    append = words.append
    for gap, word in _GAP_WORD.findall(text):
        if not word.isalpha() and any(c.isdigit() for c in word):
            # Digits glued to letters ("anna24", "2night") are handles or slots, not template.
            append("<num>")
        elif (
            word[0].isupper()
            and word not in _PRONOUNS
            # Inside a sentence (most gaps are one space: no scan for sentence ends there).
            and words
            and (gap == " " or not any(c in ".!?\n" for c in gap))
        ):
            # A capitalised word inside a sentence is a name or a place: slots, not template.
            append("<cap>")
        else:
            append(word.lower())
    return words


@dataclass(frozen=True, slots=True)
class TextFingerprint:
    """What the store keeps for one advert's text: band keys to index, tokens to verify."""

    band_keys: tuple[bytes, ...]
    tokens: tuple[int, ...]


def _token_key(hasher: KeyedHasher | bytes) -> bytes:
    h = hasher if isinstance(hasher, KeyedHasher) else KeyedHasher(hasher)
    # A sub-key, so the text index can never be confused with identifier keys of the same secret.
    return h.digest("text-token-key", "v1")


@cache
def _perm_params() -> tuple[np.ndarray, np.ndarray]:
    # Fixed seeds: band keys must be identical across processes and releases (they are stored).
    rng = np.random.default_rng(0x5A17)
    a = rng.integers(1, 2**63, size=NUM_PERM, dtype=np.uint64) | np.uint64(1)
    b = rng.integers(0, 2**63, size=NUM_PERM, dtype=np.uint64)
    return a, b


class _TokenHasher:
    """Keyed 32-bit word hashes, memoised: advert vocabulary is small and repeats constantly."""

    _cache_limit = 200_000

    def __init__(self, key: bytes) -> None:
        self._key = key
        self._cache: dict[str, int] = {}

    def tokens(self, words: Sequence[str]) -> tuple[int, ...]:
        try:
            # Nearly every word of a new advert is already known: one C-level pass.
            return tuple(map(self._cache.__getitem__, words))
        except KeyError:
            return tuple(map(self, words))

    def __call__(self, word: str) -> int:
        value = self._cache.get(word)
        if value is None:
            digest = hashlib.blake2b(word.encode(), key=self._key, digest_size=4).digest()
            value = int.from_bytes(digest, "little")
            if len(self._cache) >= self._cache_limit:
                self._cache.clear()
            self._cache[word] = value
        return value


_token_hashers: dict[bytes, _TokenHasher] = {}
#: The token hasher of each live `KeyedHasher`, so the sub-key (an HMAC) is not derived again on
#: every advert; weak, so a discarded hasher's entry goes with it.
_by_hasher: weakref.WeakKeyDictionary[KeyedHasher, _TokenHasher] = weakref.WeakKeyDictionary()


def _token_hasher(hasher: KeyedHasher | bytes) -> _TokenHasher:
    if isinstance(hasher, KeyedHasher) and (known := _by_hasher.get(hasher)) is not None:
        return known
    key = _token_key(hasher)
    th = _token_hashers.get(key)
    if th is None:
        th = _token_hashers[key] = _TokenHasher(key)
    if isinstance(hasher, KeyedHasher):
        _by_hasher[hasher] = th
    return th


def text_tokens(
    text: str, hasher: KeyedHasher | bytes, words: Sequence[str] | None = None
) -> tuple[int, ...]:
    """Keyed 32-bit hashes of the masked word sequence (`words`, when already masked)."""
    return _token_hasher(hasher).tokens(mask_slots(text) if words is None else words)


_SHINGLE_MULT = np.uint64(0x9E3779B97F4A7C15)


def minhash(tokens: tuple[int, ...]) -> np.ndarray:
    """NUM_PERM MinHash values (uint64) of the word shingles of `tokens`."""
    t = np.asarray(tokens, dtype=np.uint64)
    if len(t) >= SHINGLE:
        # Combine consecutive token hashes into one 64-bit shingle value (order matters).
        n = len(t) - SHINGLE + 1
        sh = t[:n].copy()  # what the first step gives from zero: 0 * c + t
        with np.errstate(over="ignore"):
            for i in range(1, SHINGLE):
                sh *= _SHINGLE_MULT
                sh += t[i : n + i]
    else:
        sh = t
    a, b = _perm_params()
    # Multiply-shift hashing, one (a, b) per permutation; uint64 arithmetic wraps on purpose.
    # One row per shingle: the minimum is then taken row against row, which numpy vectorises
    # (a minimum along each row of the transpose is several times slower).
    with np.errstate(over="ignore"):
        values = np.multiply.outer(sh, a)
        values += b
    # The shift is monotonic, so it can follow the minimum: one shift per permutation.
    result: np.ndarray = values.min(axis=0) >> np.uint64(32)
    return result


_BAND_PREFIXES = tuple(bytes([band]) for band in range(BANDS))
_BAND_SLICES = tuple(slice(band * ROWS * 8, (band + 1) * ROWS * 8) for band in range(BANDS))
#: Never updated itself: only its copies are.
_BAND_HASH = hashlib.blake2b(digest_size=8)


def band_keys(signature: np.ndarray) -> tuple[bytes, ...]:
    """One 9-byte key per band: the band number, then 8 bytes of a hash of its rows."""
    raw = signature.astype("<u8").tobytes()
    keys = []
    for prefix, rows in zip(_BAND_PREFIXES, _BAND_SLICES, strict=True):
        # Copying an initialised hash object costs less than constructing one per band.
        h = _BAND_HASH.copy()
        h.update(raw[rows])
        keys.append(prefix + h.digest())
    return tuple(keys)


def text_fingerprint(
    text: str, hasher: KeyedHasher | bytes, words: Sequence[str] | None = None
) -> TextFingerprint:
    """Band keys and keyed token sequence of an advert's text."""
    tokens = text_tokens(text, hasher, words)
    if len(tokens) < MIN_TOKENS:
        return TextFingerprint((), tokens)
    return TextFingerprint(band_keys(minhash(tokens)), tokens)


def text_similarity(a_tokens: tuple[int, ...], b_tokens: tuple[int, ...]) -> float:
    """Normalised Indel similarity of two token sequences, in [0, 1]."""
    return float(Indel.normalized_similarity(a_tokens, b_tokens))


#: Code points a token can be folded to: all of Unicode but the surrogate block, which a str
#: cannot hold on its own.
_CODE_POINTS = 0x110000 - 0x800
_SURROGATES = 0xD800


def _folded_text(tokens: npt.NDArray[np.uint32]) -> str:
    """32-bit tokens as one character each. rapidfuzz compares strings natively but hashes the
    items of any other sequence one by one in Python, several times slower."""
    folded = (tokens % _CODE_POINTS).astype(np.uint32)
    folded += (folded >= _SURROGATES).astype(np.uint32) * 0x800
    return folded.astype("<u4").tobytes().decode("utf-32-le")


def similar_packed(
    tokens: Sequence[int], packed: Mapping[str, bytes], threshold: float = THRESHOLD
) -> list[str]:
    """Which of the stored token sequences (native uint32 arrays, as `pack_tokens` writes them)
    are at least `threshold` similar to `tokens`, in id order.

    One rapidfuzz call compares all candidates as strings of folded tokens. Folding only ever
    makes two different tokens equal, so a folded score is never below the exact one; the few
    candidates that pass are then scored exactly on the 32-bit tokens."""
    if not packed:
        return []
    names = list(packed)
    blobs = [packed[n] for n in names]
    joined = _folded_text(np.frombuffer(b"".join(blobs), dtype=np.uint32))
    bounds = list(itertools.accumulate((len(b) // 4 for b in blobs), initial=0))
    choices = [joined[a:b] for a, b in itertools.pairwise(bounds)]
    query = _folded_text(np.fromiter(tokens, dtype=np.uint32, count=len(tokens)))
    found = process.extract(
        query,
        choices,
        scorer=Indel.normalized_similarity,
        # Below the threshold: rapidfuzz turns the cutoff into a distance and rounds it so
        # that pairs at exactly the threshold were dropped; the exact test follows.
        score_cutoff=threshold - 0.05,
        limit=None,
    )
    return sorted(
        names[i]
        for _, score, i in found
        if score >= threshold
        and Indel.normalized_similarity(tokens, memoryview(blobs[i]).cast("I")) >= threshold
    )


#: Candidates taken from one band key, newest first. Boilerplate that every advert carries fills
#: a few band keys with thousands of adverts; a store should read them with the same limit (as
#: it does for identifier keys) so a check's cost stays bounded. A large family of exact copies
#: still links: the newest members are enough to join the new advert to their cluster.
LIMIT_PER_KEY = 200
#: Band collisions a candidate needs. Two would halve the candidates but loses pairs just above
#: the threshold (recall 0.90 against 0.96 on the 20,000-advert benchmark), so one it is.
MIN_BAND_COLLISIONS = 1
#: Candidates verified per query, most collisions first: bounds the work on boilerplate.
MAX_CANDIDATES = 100


class NearDuplicateIndex:
    """In-memory reference of the store's band-key rows, for tests and benchmarks."""

    def __init__(self, threshold: float = THRESHOLD, limit_per_key: int = LIMIT_PER_KEY) -> None:
        self.threshold = threshold
        self.limit_per_key = limit_per_key
        self._bands: dict[bytes, list[str]] = defaultdict(list)
        self._tokens: dict[str, tuple[int, ...]] = {}

    def __len__(self) -> int:
        return len(self._tokens)

    def add(self, advert_id: str, fp: TextFingerprint) -> None:
        self._tokens[advert_id] = fp.tokens
        for key in fp.band_keys:
            self._bands[key].append(advert_id)

    def candidates(self, fp: TextFingerprint) -> set[str]:
        """The same rule the store's text link source applies (see `MIN_BAND_COLLISIONS`)."""
        counts: Counter[str] = Counter()
        for key in fp.band_keys:
            counts.update(self._bands.get(key, [])[-self.limit_per_key :])
        return {a for a, n in counts.most_common(MAX_CANDIDATES) if n >= MIN_BAND_COLLISIONS}

    def query(
        self, fp: TextFingerprint, threshold: float | None = None, exclude: str | None = None
    ) -> list[tuple[str, float]]:
        """Adverts at or above `threshold` similarity, most similar first."""
        limit = self.threshold if threshold is None else threshold
        hits = []
        for advert_id in self.candidates(fp):
            if advert_id == exclude:
                continue
            sim = text_similarity(fp.tokens, self._tokens[advert_id])
            if sim >= limit:
                hits.append((advert_id, sim))
        hits.sort(key=lambda h: (-h[1], h[0]))
        return hits


# --- shared writing errors ---------------------------------------------------------------------

#: Words adverts use all the time that a 1934 dictionary does not know.
_MODERN = frozenset(
    str.split(
        "ok okay email emails online website websites internet app apps whatsapp telegram "
        "snapchat instagram text texts texting sms selfie selfies outcall outcalls incall "
        "incalls gfe pse bbw milf hotel hotels uber wifi covid tv dvd bnb airbnb lingerie "
        "massage massages webcam cam cams facetime etc "
    )
)
_SUFFIXES = ("'s", "s", "es", "ed", "d", "ing", "ly", "er", "ers", "est", "ies", "ied")


@cache
def english_words() -> frozenset[str]:
    """The shipped word list: Webster's Second International (public domain), as packaged by
    the MIT-licensed ``english-words`` distribution, lower-cased, alphabetic, 2 to 16 letters."""
    data = resources.files("asw_guard.linking").joinpath("data/words_en.txt").read_text()
    return frozenset(data.split())


def _known(word: str, words: frozenset[str]) -> bool:
    if word in words or word in _MODERN:
        return True
    # The list has few inflected forms: accept a word whose stem it knows.
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 2:
            stem = word[: -len(suffix)]
            if stem in words or stem + "e" in words or stem + "y" in words:
                return True
            if len(stem) > 2 and stem[-1] == stem[-2] and stem[:-1] in words:
                return True  # "stopped" -> "stop"
    return False


#: Bound on the word caches below, as on the token hashes.
_RARE_CACHE_LIMIT = 100_000


def rare_tokens(text: str, words: Sequence[str] | None = None) -> frozenset[str]:
    """Alphabetic words of the masked text that the English word list does not know.

    Slots (names, places, numbers) are masked first, so what remains is the template's own
    vocabulary: misspellings and idiosyncratic spellings a writer carries from advert to advert.
    """
    known = english_words()
    # Set differences first: most words are listed as they stand, and those are never rare.
    unseen = set(mask_slots(text) if words is None else words)
    unseen -= known
    unseen -= _MODERN
    rare: list[str] = []
    for w in unseen:
        verdict = _rare_verdicts.get(w)
        if verdict is None:
            if len(_rare_verdicts) >= _RARE_CACHE_LIMIT:
                _rare_verdicts.clear()
            verdict = _rare_verdicts[w] = (
                len(w) >= 3 and w.isalpha() and w.isascii() and not _known(w, known)
            )
        if verdict:
            rare.append(w)
    return frozenset(rare)


#: Whether a word is rare, remembered: the stem search runs over a dozen suffixes, and the
#: inflected words that reach it ("bookings", "hotels") recur in every other advert.
_rare_verdicts: dict[str, bool] = {}


def rare_token_keys(
    text: str, hasher: KeyedHasher | bytes, words: Sequence[str] | None = None
) -> list[bytes]:
    """Keyed hashes of `rare_tokens`, what a store indexes as ``(key, advert_id)`` rows."""
    h = hasher if isinstance(hasher, KeyedHasher) else KeyedHasher(hasher)
    cache = _rare_key_cache(h)
    keys = []
    for w in sorted(rare_tokens(text, words)):
        key = cache.get(w)
        if key is None:
            if len(cache) >= _RARE_CACHE_LIMIT:
                cache.clear()
            key = cache[w] = h.digest("rare-token", w)
        keys.append(key)
    return keys


#: Rare-token keys of each live `KeyedHasher`: a writer's misspellings recur from advert to
#: advert, and each key is an HMAC. Weak, so a discarded hasher's keys go with it.
_rare_keys: weakref.WeakKeyDictionary[KeyedHasher, dict[str, bytes]] = weakref.WeakKeyDictionary()


def _rare_key_cache(hasher: KeyedHasher) -> dict[str, bytes]:
    cache = _rare_keys.get(hasher)
    if cache is None:
        cache = _rare_keys[hasher] = {}
    return cache


def shared_rare_tokens(a: Iterable[str], b: Iterable[str]) -> frozenset[str]:
    """Rare tokens two adverts have in common."""
    return frozenset(a) & frozenset(b)
