"""Text normalisation with a map back to the original offsets.

Adverts are written to defeat filters: digits in other scripts or styles, letters standing in for
digits, number words, invisible characters and look-alike letters from other alphabets. Every
extractor reads the normalised text, and every span it finds is mapped back through `Normalised`
so evidence is highlighted where the advertiser wrote it.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache, cached_property, lru_cache
from importlib import resources

import yaml

from asw_guard.normalise.digits import DigitPatterns, is_latin1

# Cyrillic and Greek letters that render like Latin ones; folded so "аnnа@gmаil" links with
# "anna@gmail". Lower and upper case both, since NFKC does not fold case.
_CONFUSABLES = {
    # Cyrillic
    "а": "a", "в": "b", "е": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p", "с": "c",
    "т": "t", "у": "y", "х": "x", "ѕ": "s", "і": "i", "ј": "j", "ԁ": "d", "ɡ": "g", "һ": "h",
    "ӏ": "l", "ԛ": "q", "ԝ": "w",
    "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P", "С": "C",
    "Т": "T", "У": "Y", "Х": "X", "Ѕ": "S", "І": "I", "Ј": "J", "Ԛ": "Q", "Ԝ": "W", "З": "3",
    # Greek
    "α": "a", "ο": "o", "ρ": "p", "ν": "v", "ι": "i", "κ": "k", "τ": "t", "υ": "u", "χ": "x",
    "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M", "Ν": "N",
    "Ο": "O", "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X",
}  # fmt: skip

# Digits NFKC leaves alone: dingbat circled digits, keycap ten.
_EXTRA_DIGITS = {chr(0x2776 + i): str((i % 10) + 1) for i in range(30)}
for _i in range(3):
    _EXTRA_DIGITS[chr(0x2776 + 10 * _i + 9)] = "10"
_EXTRA_DIGITS.update({"🔟": "10", "⓪": "0", "⓿": "0", "🄋": "0", "🄌": "0"})

_FOLD = str.maketrans({**_CONFUSABLES, **_EXTRA_DIGITS})

_ASCII_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]+")
# Every Latin-1 byte but those _ASCII_CONTROL matches: deleting them leaves only the controls.
_NOT_ASCII_CONTROL = bytes(c for c in range(256) if not _ASCII_CONTROL.match(chr(c)))
_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]+")

# A run of digit-like tokens: digits plus the letters written for them (O/o for 0, I/l for 1).
_LETTER = r"[^\W\d_]"
# It opens with its first character and checks the letter before behind it, which says the same
# as a look-behind first but lets the engine skip to the run's characters.
_DIGITISH_RUN = re.compile(
    rf"[0-9OoIl](?<!{_LETTER}[0-9OoIl])[0-9OoIl]*(?:[ .\-]{{1,3}}[0-9OoIl]+)*(?!{_LETTER})"
)
# An O, o, I or l with a digit right by it (glued, or across up to three separators). One
# alternative starting with a character class, so the engine can skip between candidates.
_LETTER_BY_DIGIT = DigitPatterns(
    re.compile(
        r"[OoIl](?:(?<=\d[OoIl])|(?<=\d[ .\-][OoIl])|(?<=\d[ .\-]{2}[OoIl])"
        r"|(?<=\d[ .\-]{3}[OoIl])|(?=[ .\-]{0,3}\d))"
    )
)
_RUN_SPLIT = re.compile(r"[ .\-]+")
_LETTER_DIGIT = str.maketrans({"O": "0", "o": "0", "I": "1", "l": "1"})


# Every Latin-1 character lower-cases to one Latin-1 character, so a byte translation gives what
# str.lower does; str.lower reads each character's case from the Unicode tables as soon as the
# text is not ASCII ("£" is enough), which costs several times as much.
_LATIN1_LOWER = bytes(ord(chr(c).lower()) for c in range(256))


def lowercase(text: str) -> str:
    """text.lower(), by a byte translation when the text is Latin-1."""
    try:
        raw = text.encode("latin-1")
    except UnicodeEncodeError:
        return text.lower()
    return raw.translate(_LATIN1_LOWER).decode("latin-1")


@dataclass(frozen=True)
class _Words:
    words: dict[str, int]
    contextual: dict[str, int]
    repeaters: dict[str, int]
    joiners: frozenset[str]
    pattern: re.Pattern[str]
    every: frozenset[str]
    every_latin1: frozenset[bytes]


@cache
def _number_words() -> _Words:
    """Every language file in data/: a language is added by adding a file."""
    words: dict[str, int] = {}
    contextual: dict[str, int] = {}
    repeaters: dict[str, int] = {}
    joiners: set[str] = set()
    data_dir = resources.files("asw_guard.normalise").joinpath("data")
    for entry in sorted(data_dir.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".yaml"):
            continue
        data = yaml.safe_load(entry.read_text(encoding="utf-8")) or {}
        for word, value in (data.get("words") or {}).items():
            words[unicodedata.normalize("NFKC", str(word)).casefold()] = int(value)
        for word, value in (data.get("contextual") or {}).items():
            contextual[unicodedata.normalize("NFKC", str(word)).casefold()] = int(value)
        for word, value in (data.get("repeaters") or {}).items():
            repeaters[str(word).casefold()] = int(value)
        joiners.update(str(j).casefold() for j in data.get("joiners") or [])
    for word in words:
        contextual.pop(word, None)
    every = sorted({*words, *contextual, *repeaters}, key=lambda w: (-len(w), w))
    alternation = "|".join(re.escape(w) for w in every)
    pattern = re.compile(rf"(?<!{_LETTER})(?:{alternation})(?!{_LETTER})", re.IGNORECASE)
    every_latin1 = frozenset(w.encode("latin-1") for w in every if max(w, default="") <= "\xff")
    return _Words(
        words, contextual, repeaters, frozenset(joiners), pattern, frozenset(every), every_latin1
    )


Edit = tuple[int, int, str]


@dataclass(frozen=True)
class _Step:
    """One batch of edits, kept as the few numbers `span` needs to read an offset back through
    it: most adverts need one or two small batches, and a per-character map of each would cost
    more to build than all the look-ups made through it."""

    edits: tuple[Edit, ...]
    #: Length of the text the edits were made to.
    old_len: int
    #: Where each replacement starts and ends in the edited text.
    new_starts: tuple[int, ...]
    new_ends: tuple[int, ...]

    @classmethod
    def of(cls, old_len: int, edits: list[Edit]) -> _Step:
        new_starts: list[int] = []
        new_ends: list[int] = []
        shift = 0
        for s, e, rep in edits:
            new_starts.append(s + shift)
            shift += len(rep) - (e - s)
            new_ends.append(e + shift)
        return cls(tuple(edits), old_len, tuple(new_starts), tuple(new_ends))


@dataclass(frozen=True)
class Normalised:
    """Normalised text and the edits that made it, to read any span back to the original."""

    original: str
    text: str
    #: The batches of edits that turned original into text, in order; empty when none did.
    steps: tuple[_Step, ...] = ()
    #: Scans that several extractors share, done once per text (see numbers.NumberScan).
    memo: dict[str, object] = field(default_factory=dict, compare=False, repr=False)

    @cached_property
    def lower(self) -> str:
        """Lower-cased text, for cheap "is this word anywhere" checks before a regex scan."""
        return lowercase(self.text)

    @cached_property
    def latin1(self) -> bool:
        """No decimal digit outside 0-9, so extractors may scan with their cheaper twins."""
        return is_latin1(self.text)

    @cached_property
    def _maps(self) -> tuple[list[int], list[int]] | tuple[None, None]:
        cur: str = self.original
        starts: list[int] | None = None
        ends: list[int] | None = None
        for step in self.steps:
            cur, starts, ends = _apply(cur, starts, ends, list(step.edits))
        if starts is None or ends is None:
            return None, None
        return starts, ends

    @property
    def starts(self) -> list[int] | None:
        """Per character of text, where in the original it starts; None when nothing was
        edited. Built on first use: `span` does not need it."""
        return self._maps[0]

    @property
    def ends(self) -> list[int] | None:
        """Per character of text, where in the original it ends; None when nothing was edited."""
        return self._maps[1]

    def _start_of(self, k: int, i: int) -> int:
        """What starts[i] is after the first k steps (each step's map is the one before it,
        composed with the step's edits, as `_apply` builds it)."""
        while k > 0:
            step = self.steps[k - 1]
            j = bisect.bisect_right(step.new_starts, i) - 1
            if j >= 0 and i < step.new_ends[j]:
                s = step.edits[j][0]
                if s < step.old_len:
                    i, k = s, k - 1
                    continue
                return self._end_of(k - 1, step.old_len - 1) if step.old_len else 0
            if j >= 0:
                i -= step.new_ends[j] - step.edits[j][1]
            k -= 1
        return i

    def _end_of(self, k: int, i: int) -> int:
        """What ends[i] is after the first k steps."""
        while k > 0:
            step = self.steps[k - 1]
            j = bisect.bisect_right(step.new_starts, i) - 1
            if j >= 0 and i < step.new_ends[j]:
                s, e, _ = step.edits[j]
                if e > s:
                    i, k = e - 1, k - 1
                    continue
                # An insertion ends where it starts.
                if s < step.old_len:
                    return self._start_of(k - 1, s)
                return self._end_of(k - 1, step.old_len - 1) if step.old_len else 0
            if j >= 0:
                i -= step.new_ends[j] - step.edits[j][1]
            k -= 1
        return i + 1

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original span that normalised text[start:end] was read from."""
        if not self.steps:
            return start, end
        k = len(self.steps)
        if end <= start:
            pos = self._start_of(k, start) if start < len(self.text) else len(self.original)
            return pos, pos
        return self._start_of(k, start), self._end_of(k, end - 1)


def _apply(
    text: str, starts: list[int] | None, ends: list[int] | None, edits: list[Edit]
) -> tuple[str, list[int] | None, list[int] | None]:
    """Replace non-overlapping, sorted spans, carrying the offset map along. `normalise` keeps
    the edits instead (see `_Step`); this builds the full map when it is asked for."""
    if not edits:
        return text, starts, ends
    if starts is None or ends is None:
        starts = list(range(len(text)))
        ends = list(range(1, len(text) + 1))
    parts: list[str] = []
    new_starts: list[int] = []
    new_ends: list[int] = []
    pos = 0
    for s, e, rep in edits:
        parts.append(text[pos:s])
        new_starts += starts[pos:s]
        new_ends += ends[pos:s]
        if rep:
            parts.append(rep)
            orig_s = starts[s] if s < len(starts) else (ends[-1] if ends else 0)
            orig_e = ends[e - 1] if e > s else orig_s
            new_starts += [orig_s] * len(rep)
            new_ends += [orig_e] * len(rep)
        pos = e
    parts.append(text[pos:])
    new_starts += starts[pos:]
    new_ends += ends[pos:]
    return "".join(parts), new_starts, new_ends


def _replace(text: str, edits: list[Edit]) -> str:
    """The text with non-overlapping, sorted spans replaced."""
    parts: list[str] = []
    pos = 0
    for s, e, rep in edits:
        parts.append(text[pos:s])
        parts.append(rep)
        pos = e
    parts.append(text[pos:])
    return "".join(parts)


def _removable(ch: str) -> bool:
    if ch in "\n\t\r":
        return False
    cat = unicodedata.category(ch)
    if cat in ("Cc", "Cf", "Co", "Cs", "Cn"):
        return True
    cp = ord(ch)
    # Variation selectors (emoji presentation) and the keycap enclosure of "7️⃣".
    return 0xFE00 <= cp <= 0xFE0F or 0xE0100 <= cp <= 0xE01EF or cp == 0x20E3


def _unicode_edits(text: str) -> list[Edit]:
    edits: list[Edit] = []
    for m in _NON_ASCII_RUN.finditer(text):
        base = m.start()
        # A mark composes with the character before it, which may be ASCII ("e" + U+0301).
        if base > 0 and unicodedata.category(text[base])[0] == "M":
            base -= 1
        run = text[base : m.end()]
        # Long runs are not remembered: they are rarely repeated and would bloat the cache.
        rel = _run_edits(run) if len(run) <= 32 else _run_edits_uncached(run)
        edits.extend((base + s, base + e, rep) for s, e, rep in rel)
    return edits


def _run_edits_uncached(run: str) -> tuple[Edit, ...]:
    """Edits within one run of non-ASCII characters, relative to the run."""
    edits: list[Edit] = []
    # Clusters: a base character and the marks that follow it, so NFKC composes them.
    cluster_start = 0
    for i in range(1, len(run) + 1):
        if i < len(run) and unicodedata.category(run[i])[0] == "M" and not _removable(run[i]):
            continue
        cluster = run[cluster_start:i]
        kept = "".join(c for c in cluster if not _removable(c))
        rep = unicodedata.normalize("NFKC", kept).translate(_FOLD) if kept else ""
        if rep != cluster:
            edits.append((cluster_start, i, rep))
        cluster_start = i
    return tuple(edits)


# The same few runs ("£", "€", an emoji) come back in advert after advert.
_run_edits = lru_cache(maxsize=4096)(_run_edits_uncached)

# Latin-1 characters the Unicode pass leaves alone: ASCII, which it does not read, and the rest
# ("£", "é") when a run of that one character gets no edit. Latin-1 has no combining marks, so
# each of its characters is a cluster of its own.
_STABLE_LATIN1 = bytes(c for c in range(256) if c < 128 or not _run_edits_uncached(chr(c)))


# Latin-1 characters neither the Unicode pass nor the control-character pass edits: the stable
# ones but the ASCII controls.
_UNTOUCHED_LATIN1 = bytes(c for c in _STABLE_LATIN1 if not _ASCII_CONTROL.match(chr(c)))


def _untouched(text: str) -> bool:
    """True when text is Latin-1 that neither the Unicode pass nor the control-character pass
    would edit: one translation answers both, where asking each costs one of its own."""
    try:
        raw = text.encode("latin-1")
    except UnicodeEncodeError:
        return False
    return not raw.translate(None, _UNTOUCHED_LATIN1)


def _stable_latin1(text: str) -> bool:
    """True when text is Latin-1 made only of characters the Unicode pass leaves alone, so the
    pass can be skipped without a scan."""
    try:
        raw = text.encode("latin-1")
    except UnicodeEncodeError:
        return False
    return not raw.translate(None, _STABLE_LATIN1)


_SHORT_DIGITS_END = re.compile(r"(?<!\d)\d{1,2}$")
_SHORT_DIGITS_START = re.compile(r"\d{1,2}(?!\d)")
_WORD_TOKEN = re.compile(r"[^\W\d_]+")
# Every Latin-1 character that is not a _WORD_TOKEN character becomes a space.
_LATIN1_NON_LETTERS = bytes(c if _WORD_TOKEN.fullmatch(chr(c)) else ord(" ") for c in range(256))


@cache
def _word_pattern(word: str) -> re.Pattern[str]:
    """The word with no letter either side. The word comes first and the letter before it is
    checked behind it, so the engine skips ahead to the word instead of trying every position:
    a lone "o" (a zero) would otherwise cost a step at every character of an advert."""
    w = re.escape(word)
    return re.compile(rf"{w}(?<!{_LETTER}{w})(?!{_LETTER})", re.IGNORECASE)


@cache
def _lower_word_pattern(word: str) -> re.Pattern[str]:
    """_word_pattern(word) for the lower-cased text, where the word (lower case already) is a
    literal the engine can search for; ignoring case makes it step through every character.
    Matches where _word_pattern does on Latin-1 text of the same length lower-cased: there a
    letter lower-cases to a letter that the ignore-case match pairs it with, and nothing else
    changes."""
    w = re.escape(word)
    return re.compile(rf"{w}(?<!{_LETTER}{w})(?!{_LETTER})")


def _word_matches(
    text: str, nw: _Words, lowered: str | None = None
) -> tuple[list[re.Match[str]], bool, bool]:
    """Number words in the text, whether any of them depends on its neighbours, and whether
    they were read as the Latin-1 tokens (runs of letters) of the lower-cased text, every token
    that is a number word among them. `lowered` is text.lower() when the caller has it."""
    if lowered is None:
        lowered = lowercase(text)
    if len(lowered) != len(text):
        return list(nw.pattern.finditer(text)), True, False
    # A set intersection first: scanning for each of a few hundred words would dominate the time.
    try:
        raw = lowered.encode("latin-1")
    except UnicodeEncodeError:
        present = set(nw.every.intersection(_WORD_TOKEN.findall(lowered)))
    else:
        # Same tokens as _WORD_TOKEN, split in C rather than by the regex engine, which is the
        # costlier half of this function on ordinary adverts (Latin-1 covers "£" and "é").
        tokens = raw.translate(_LATIN1_NON_LETTERS).split()
        present = {w.decode("latin-1") for w in nw.every_latin1.intersection(tokens)}
        if not present:
            return [], False, True
        contextual = any(w in nw.contextual or w in nw.repeaters for w in present)
        # Matched in the lower-cased text: callers read only the spans and the case-folded word,
        # which lower-casing first leaves alone on Latin-1.
        found = [m for w in present for m in _lower_word_pattern(w).finditer(lowered)]
        return _first_of_overlaps(found), contextual, True
    if not present:
        return [], False, False
    contextual = any(w in nw.contextual or w in nw.repeaters for w in present)
    found = [m for w in present for m in _word_pattern(w).finditer(text)]
    return _first_of_overlaps(found), contextual, False


def _first_of_overlaps(found: list[re.Match[str]]) -> list[re.Match[str]]:
    """The matches in order of start, longest first, each overlapping an earlier one dropped."""
    found.sort(key=lambda m: (m.start(), -m.end()))
    out: list[re.Match[str]] = []
    last_end = -1
    for m in found:
        if m.start() >= last_end:
            out.append(m)
            last_end = m.end()
    return out


def _word_edits(text: str, lowered: str | None = None) -> tuple[list[Edit], bool, bool]:
    """The edits, whether a word that depends on its neighbours was seen, and whether every
    number-word token of the (Latin-1) lower-cased text is inside an edit: see `normalise`."""
    nw = _number_words()
    matches, contextual, tokens = _word_matches(text, nw, lowered)
    if not matches:
        return [], contextual, tokens
    values: list[int | None] = []
    for m in matches:
        values.append(nw.words.get(m.group(0).casefold()))

    def near_digit(idx: int) -> bool:
        m = matches[idx]
        # Next to a digit or two ("O 7 7", "oh 77"), not next to a long group: "O 07700 900123"
        # is a letter before a number, not its first zero.
        before = text[max(0, m.start() - 6) : m.start()].rstrip(" -")
        after = text[m.end() : m.end() + 6].lstrip(" -")
        if _SHORT_DIGITS_END.search(before) or _SHORT_DIGITS_START.match(after):
            return True
        for j in (idx - 1, idx + 1):
            if 0 <= j < len(matches) and values[j] is not None:
                gap = (
                    text[matches[j].end() : m.start()]
                    if j < idx
                    else text[m.end() : matches[j].start()]
                )
                if gap.strip(" -") == "":
                    return True
        return False

    # Contextual words (and repeaters) only count next to digits or other number words.
    for idx, m in enumerate(matches):
        word = m.group(0).casefold()
        after_repeater = idx > 0 and matches[idx - 1].group(0).casefold() in nw.repeaters
        if values[idx] is None and word in nw.contextual and (after_repeater or near_digit(idx)):
            values[idx] = nw.contextual[word]

    edits: list[Edit] = []
    left = 0
    idx = 0
    while idx < len(matches):
        m, value = matches[idx], values[idx]
        word = m.group(0).casefold()
        if value is None and word in nw.repeaters and idx + 1 < len(matches):
            nxt, nval = matches[idx + 1], values[idx + 1]
            if nval is not None and nval < 10 and text[m.end() : nxt.start()].strip(" -") == "":
                edits.append((m.start(), nxt.end(), str(nval) * nw.repeaters[word]))
                idx += 2
                continue
        if value is None:
            left += 1
            idx += 1
            continue
        end, total = m.end(), value
        # "twenty one", "twenty-one", "douăzeci și unu" -> one number.
        if value >= 20 and value % 10 == 0 and idx + 1 < len(matches):
            nxt, nval = matches[idx + 1], values[idx + 1]
            gap = text[m.end() : nxt.start()].strip(" -").casefold()
            if nval is not None and 0 < nval < 10 and (gap == "" or gap in nw.joiners):
                end, total = nxt.end(), value + nval
                idx += 1
        edits.append((m.start(), end, str(total)))
        idx += 1
    return edits, contextual, tokens and not left


_DIGITISH_CHARS = frozenset("0123456789OoIl")
_IS_LETTER = re.compile(_LETTER)


def _inside_word(text: str, pos: int, hi: int) -> bool:
    """True when no digit-like run can hold text[pos]: it sits in a stretch of O/o/I/l with no
    digit that a letter closes on either side ("natural 34", "£60. Incall"). Most letters found
    next to a digit are of this kind, and ruling them out here spares a scan of their window."""
    lo = pos
    while lo > 0 and text[lo - 1] in _DIGITISH_CHARS:
        lo -= 1
    end = pos + 1
    while end < len(text) and text[end] in _DIGITISH_CHARS:
        end += 1
    # Mostly the letter stands alone ("natural 34"), and then only it needs a look.
    if text[pos].isdigit() if end - lo == 1 else any(c.isdigit() for c in text[lo:end]):
        return False
    # A run may not start right after a letter nor end right before one. The right-hand letter
    # only counts inside the window the run is read from, where the look-ahead can see it.
    if lo > 0 and _IS_LETTER.match(text, lo - 1) is not None:
        return True
    return end < hi and _IS_LETTER.match(text, end) is not None


def _digitish_runs(text: str) -> list[re.Match[str]]:
    """Runs of digits and digit-like letters, looked for only around a digit-like letter that
    touches a digit: scanning all text for runs would stop at every "o" and "l"."""
    try:
        raw = text.encode("latin-1")
    except UnicodeEncodeError:
        pattern = _LETTER_BY_DIGIT.pick(is_latin1(text))
        letters = [m.start() for m in pattern.finditer(text)]
    else:
        classes = raw.translate(_CLASS_OF)
        # Most adverts' only such letters close a word ("natural 34", "Bristol. 4"), and one
        # search says so without finding them one by one.
        if not _open_letter_by_digit(classes):
            return []
        letters = _letters_by_digit_classes(classes)
    runs: list[re.Match[str]] = []
    end = 0
    for pos in letters:
        if pos < end:
            continue
        lo, hi = max(end, pos - 64), min(len(text), pos + 65)
        if _inside_word(text, pos, hi):
            continue
        for m in _DIGITISH_RUN.finditer(text, lo, hi):
            if m.start() <= pos < m.end() and m.end() > end:
                runs.append(m)
                end = m.end()
    return runs


# Latin-1 text as one byte per character class: d digit, L digit-like letter, s separator,
# a any other letter (as _LETTER reads letters), x anything else.
_CLASS_OF = bytes(
    ord("d") if chr(c).isdigit() and c < 128
    else ord("L") if chr(c) in "OoIl"
    else ord("s") if chr(c) in " .-"
    else ord("a") if _IS_LETTER.match(chr(c))
    else ord("x")
    for c in range(256)
)  # fmt: skip
_DIGIT_THEN_LETTER = re.compile(rb"ds{0,3}L")
# A digit, then a letter _DIGIT_THEN_LETTER finds that _inside_word may not rule out: one glued
# to the digit, or one whose stretch of O/o/I/l is not closed by a letter (a stretch of 65 or
# more may run past the window, and is looked for on its own). Searched in the reversed
# classes too, it covers the letters before a digit, whose stretch ends at the separators.
_DIGIT_THEN_OPEN_LETTER = re.compile(rb"d(?:L|s{1,3}L+(?![aL]))")
_LONG_LETTERS = b"L" * 65


def _open_letter_by_digit(classes: bytes) -> bool:
    """False only when _inside_word rules out every letter _letters_by_digits finds in the text
    these are the classes of: then the text has no digit-like run to read."""
    return (
        _DIGIT_THEN_OPEN_LETTER.search(classes) is not None
        or _DIGIT_THEN_OPEN_LETTER.search(classes[::-1]) is not None
        or _LONG_LETTERS in classes
    )


def _letters_by_digits(text: str) -> list[int]:
    """Positions of _LETTER_BY_DIGIT's matches, in order. On Latin-1 text (whose only digits are
    0-9) the same positions are found from the digits: the letter after each digit's separators
    and, on the reversed text, the one before. Digits are far rarer than "o" and "l"."""
    try:
        raw = text.encode("latin-1")
    except UnicodeEncodeError:
        pattern = _LETTER_BY_DIGIT.pick(is_latin1(text))
        return [m.start() for m in pattern.finditer(text)]
    return _letters_by_digit_classes(raw.translate(_CLASS_OF))


def _letters_by_digit_classes(classes: bytes) -> list[int]:
    """_letters_by_digits of the Latin-1 text these are the classes of."""
    hits = {m.end() - 1 for m in _DIGIT_THEN_LETTER.finditer(classes)}
    n = len(classes)
    hits.update(n - m.end() for m in _DIGIT_THEN_LETTER.finditer(classes[::-1]))
    return sorted(hits)


_DIGIT_TOKEN = re.compile(r"[0-9OoIl]+")


# An advert often writes its number twice, and the edits within a run depend on the run alone.
@lru_cache(maxsize=1024)
def _run_digit_edits(run: str) -> tuple[Edit, ...]:
    """The letters-for-digits edits within one digit-like run, relative to the run."""
    if run.isdigit() or not any(c.isdigit() for c in run):
        return ()
    digits = sum(c.isdigit() for c in run)
    edits: list[Edit] = []
    tokens = [(t.start(), t.end()) for t in _DIGIT_TOKEN.finditer(run)]
    for k, (ts, te) in enumerate(tokens):
        tok = run[ts:te]
        if tok.isdigit():
            continue
        has_digit = any(c.isdigit() for c in tok)
        interior = 0 < k < len(tokens) - 1
        # A lone "I" or "l" is a word unless it sits inside a long run of digits.
        if has_digit or (interior and digits >= 6):
            edits.append((ts, te, tok.translate(_LETTER_DIGIT)))
    return tuple(edits)


def _digit_run_edits(text: str) -> list[Edit]:
    edits: list[Edit] = []
    for m in _digitish_runs(text):
        pos = m.start()
        edits.extend((pos + ts, pos + te, rep) for ts, te, rep in _run_digit_edits(m.group(0)))
    return edits


def normalise(text: str) -> Normalised:
    """NFKC, invisible characters removed, look-alikes folded, digits in any form made ASCII.

    Idempotent: normalise(normalise(x).text).text == normalise(x).text.
    """
    cur: str = text
    steps: list[_Step] = []

    def apply(edits: list[Edit]) -> None:
        nonlocal cur
        if edits:
            steps.append(_Step.of(len(cur), edits))
            cur = _replace(cur, edits)

    if not _untouched(cur):
        if not cur.isascii() and not _stable_latin1(cur):
            apply(_unicode_edits(cur))
        if _has_ascii_control(cur):
            apply([(m.start(), m.end(), "") for m in _ASCII_CONTROL.finditer(cur)])
    # Number words and letters-for-digits enable each other ("O7 seven"): run to a fixed point.
    # A second pass can only change something when letters became digits (a word may now stand
    # apart, "nouăO0") or when words that depend on their neighbours ("oh", "double") were seen.
    #
    # When a pass's word step took every number word of its text into an edit, the next pass can
    # only find a number word next to a place this pass changed (edits write digits only): any
    # other run of letters stood whole in this pass's text, where it was no number word. When
    # there is none beside those places, the next word step would find nothing, and only the far
    # cheaper look at those places is made.
    lowered = lowercase(cur)
    words_settled = False
    edits: list[Edit]
    for _ in range(4):
        if words_settled:
            edits, contextual, settled = [], False, True
        else:
            edits, contextual, settled = _word_edits(cur, lowered)
        apply(edits)
        changed = list(zip(steps[-1].new_starts, steps[-1].new_ends, strict=True)) if edits else []
        digit_edits = _digit_run_edits(cur)
        apply(digit_edits)
        if not digit_edits and not (contextual and edits):
            break
        changed += [(s, e) for s, e, _ in digit_edits]
        lowered = lowercase(cur)
        words_settled = settled and not _number_word_beside(cur, lowered, changed)
    result = Normalised(text, cur, tuple(steps))
    if not edits and not digit_edits:
        # The last pass changed nothing, so its lower-cased text is the result's: every
        # extractor reads it, and lower-casing an advert again costs as much as the check.
        vars(result)["lower"] = lowered
    return result


# The Latin-1 characters _word_matches reads as letters: those a token is made of.
_TOKEN_CHARS = frozenset(chr(c) for c in range(256) if _LATIN1_NON_LETTERS[c] != ord(" "))


def _number_word_beside(text: str, lowered: str, spans: list[tuple[int, int]]) -> bool:
    """Whether a run of letters of lowered (text lower-cased) that ends where a span starts or
    starts where one ends is a number word, or the text is not one that _word_matches reads as
    Latin-1 tokens (then the answer is True, so the caller does not skip its word step)."""
    if len(lowered) != len(text) or not is_latin1(lowered):
        return True
    every = _number_words().every
    n = len(lowered)
    for s, e in spans:
        i = s
        while i > 0 and lowered[i - 1] in _TOKEN_CHARS:
            i -= 1
        if i < s and lowered[i:s] in every:
            return True
        j = e
        while j < n and lowered[j] in _TOKEN_CHARS:
            j += 1
        if j > e and lowered[e:j] in every:
            return True
    return False


def _has_ascii_control(text: str) -> bool:
    """Whether _ASCII_CONTROL matches anywhere in text; on Latin-1 text found by a byte
    translation, which costs far less than a scan."""
    try:
        raw = text.encode("latin-1")
    except UnicodeEncodeError:
        # isprintable() is a fast test that is False for any control character (and a few more).
        printable = text.replace("\n", "").replace("\t", "").replace("\r", "").isprintable()
        return not printable and _ASCII_CONTROL.search(text) is not None
    return bool(raw.translate(None, _NOT_ASCII_CONTROL))
