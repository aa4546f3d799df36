"""Extraction benchmark: adverts per second and precision/recall per extractor on the corpus.

    python -m benchmarks.extraction [--seconds 30] [--no-write]

Writes its section of BENCHMARKS.md between the extraction markers and leaves the rest alone.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from asw_guard.normalise import Extraction, extract
from benchmarks import report
from benchmarks.check_speed import yardstick
from benchmarks.report import cpu_model

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "normalise" / "corpus"
BENCHMARKS_MD = ROOT / "BENCHMARKS.md"
START, END = "<!-- extraction:start -->", "<!-- extraction:end -->"

EXTRACTORS = (
    "phones",
    "emails",
    "handles",
    "urls",
    "prices",
    "ages",
    "weights",
    "heights",
    "availability",
    "calls",
)


def load_corpus(path: Path = CORPUS) -> list[dict[str, object]]:
    cases: list[dict[str, object]] = []
    for file in sorted(path.glob("*.yaml")):
        for case in yaml.safe_load(file.read_text(encoding="utf-8")) or []:
            case["_file"] = file.name
            cases.append(case)
    return cases


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


def items(ex: Extraction) -> dict[str, set[str]]:
    """Each extractor's findings as comparable strings."""
    avail: set[str] = set()
    for a in ex.availability:
        if a.always:
            avail.add("always")
        else:
            if a.hours_per_day is not None:
                avail.add(f"h{round(a.hours_per_day)}")
            if a.days_per_week is not None:
                avail.add(f"d{a.days_per_week}")
    calls = set()
    if ex.incall is not None:
        calls.add(f"incall={ex.incall}")
    if ex.outcall is not None:
        calls.add(f"outcall={ex.outcall}")
    return {
        "phones": {p.e164 for p in ex.phones},
        "emails": {e.canonical for e in ex.emails},
        "handles": {f"{h.platform or ''}:{h.handle.lower()}" for h in ex.handles},
        "urls": {u.url.lower() for u in ex.urls},
        "prices": {
            f"{_num(p.amount)} {p.unit or p.currency or '-'} {p.minutes if p.minutes else '-'}"
            for p in ex.prices
        },
        "ages": {str(a.value) for a in ex.ages},
        "weights": {str(round(w.kg)) for w in ex.weights},
        "heights": {str(round(h.cm)) for h in ex.heights},
        "availability": avail,
        "calls": calls,
    }


def expected(case: dict[str, object]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for name in EXTRACTORS:
        raw = case.get(name) or []
        assert isinstance(raw, list)
        out[name] = {str(v).lower() if name == "urls" else str(v) for v in raw}
    calls = set()
    for key in ("incall", "outcall"):
        if key in case:
            calls.add(f"{key}={case[key]}")
    out["calls"] = calls
    return out


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


def score(cases: Iterable[dict[str, object]]) -> tuple[dict[str, Score], Score]:
    """Per-extractor scores, and the obfuscation flag scored on the cases that state it."""
    scores = {name: Score() for name in EXTRACTORS}
    obfuscation = Score()
    for case in cases:
        text = str(case["text"])
        ex = extract(text)
        got, want = items(ex), expected(case)
        for name in EXTRACTORS:
            s = scores[name]
            s.tp += len(got[name] & want[name])
            fp, fn = got[name] - want[name], want[name] - got[name]
            s.fp += len(fp)
            s.fn += len(fn)
            if fp or fn:
                s.errors.append(f"{text!r}: extra {sorted(fp)} missing {sorted(fn)}")
        if "obfuscated" in case:
            for p in ex.phones:
                if p.obfuscated == bool(case["obfuscated"]):
                    obfuscation.tp += 1
                else:
                    obfuscation.fn += 1
                    obfuscation.errors.append(f"{text!r}: obfuscated={p.obfuscated}")
    return scores, obfuscation


_NAMES = ("Lily", "Mia", "Ana", "Kasia", "Ioana", "Carla", "Bia", "Roxy", "Jade", "Nina")
_CITIES = ("Leeds", "Bristol", "Manchester", "Glasgow", "Cardiff", "Norwich", "York")


def synthetic_advert(rng: random.Random) -> str:
    """A typical 1-2 KB advert with varied contacts, so caches do not flatter the figure."""
    name, city = rng.choice(_NAMES), rng.choice(_CITIES)
    n = rng.randrange(1000)
    phone = rng.choice(
        (
            f"07700 {900000 + n}",
            f"+44 7700 {900000 + n}",
            f"O7 7OO 9OO {n:03d}",
            " ".join(f"0770090{n:04d}"),
            f"01632 {960000 + n}",
        )
    )
    body = (
        f"Hi gentlemen, I am {name}, a sweet and elegant {rng.randint(19, 35)}yo girl, newly "
        f"arrived in {city}. {rng.randint(4, 5)}'{rng.randint(0, 11)}\" tall, "
        f"{rng.randint(45, 70)}kg, size 8, natural 34C. Friendly, discreet and always smiling.\n"
        f"Rates: 30min £{rng.randint(60, 100)}, 1hr £{rng.randint(120, 200)}, "
        f"2hrs £{rng.randint(220, 350)}, overnight £{rng.randint(600, 1000)}. "
        f"{rng.choice(('Incall only', 'Incall and outcall', 'Outcall to hotels only'))}, "
        "clean and private apartment near the city centre with easy parking.\n"
        f"Available {rng.choice(('24/7', '10am-2am', 'Mon-Sat 11:00-23:00', 'every day'))}. "
        f"Call or text {phone}, WhatsApp welcome. "
        f"Email {name.lower()}{n} at gmail dot com or snap: {name.lower()}_{n}.\n"
        "No withheld numbers, no texts asking for explicit details, please be respectful. "
        "I love spending time with respectful gentlemen: dinner dates, long conversations, "
        "massage and a relaxed girlfriend experience. Please book at least 30 minutes in "
        "advance and let me know your name and the time you would like to visit. "
        "Showers and fresh towels available, drinks on arrival. Looking forward to meeting you, "
        f"kisses, {name} x\n"
    )
    return body * 2 if len(body) < 1000 else body


@dataclass(frozen=True)
class Throughput:
    """Adverts/s of whole passes over the same adverts: the best pass and the median one."""

    best: float
    median: float
    passes: int
    mean_len: float
    #: The check section's machine-speed yardstick (ms; lower is faster), before and after.
    yardsticks: tuple[float, float]


def throughput(seconds: float) -> Throughput:
    rng = random.Random(7)
    adverts = [synthetic_advert(rng) for _ in range(2000)]
    mean_len = sum(map(len, adverts)) / len(adverts)
    for ad in adverts[:50]:
        extract(ad)  # warm the lazily built tables
    # Whole passes, as timeit repeats: load from elsewhere only ever slows a pass, so the
    # fastest is the code's own speed on this machine and the spread is the machine's.
    rates: list[float] = []
    before = yardstick()
    start = time.perf_counter()
    while not rates or time.perf_counter() - start < seconds:
        began = time.perf_counter()
        for ad in adverts:
            extract(ad)
        rates.append(len(adverts) / (time.perf_counter() - began))
    yardsticks = (before, yardstick())
    return Throughput(max(rates), statistics.median(rates), len(rates), mean_len, yardsticks)


def _cpu_model() -> str:
    return cpu_model()


def render(speed: Throughput, scores: dict[str, Score], obf: Score, n: int) -> str:
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    verdict = "meets" if speed.best >= 3000 else "is below"
    lines = [
        START,
        "## Extraction (`asw_guard.normalise.extract`)",
        "",
        "Command: `python -m benchmarks.extraction`",
        "",
        f"Machine: {platform.platform()}, Python {platform.python_version()}, "
        f"{os.cpu_count()} CPUs ({_cpu_model()}); one process, one core; load average "
        f"{load:.2f} when measured (the machine was shared).",
        "",
        f"Throughput: **{speed.best:,.0f} adverts/s** on synthetic adverts of "
        f"{speed.mean_len:,.0f} characters on average (normalise and every extractor): the "
        f"fastest of {speed.passes} passes over the same 2,000 adverts, as timeit reports its "
        f"best repeat, since this virtual machine's speed drifts by up to 1.6x within minutes; "
        f"the median pass ran at {speed.median:,.0f} adverts/s. This {verdict} the 3,000 "
        "adverts/s target. The check section's speed yardstick read "
        f"{speed.yardsticks[0]:.1f} ms before and {speed.yardsticks[1]:.1f} ms after (lower is "
        "faster; 11-12 ms in this machine's fast spells).",
        "",
        f"Quality on the labelled corpus (`tests/normalise/corpus/`, {n} cases):",
        "",
        "| extractor | precision | recall | tp | fp | fn |",
        "|---|---|---|---|---|---|",
    ]
    for name, s in scores.items():
        lines.append(f"| {name} | {s.precision:.3f} | {s.recall:.3f} | {s.tp} | {s.fp} | {s.fn} |")
    lines += [
        "",
        "The corpus was written together with the extractors, so these figures are an upper "
        "bound: they show the listed forms and hard negatives are handled, not how the "
        "extractors fare on adverts nobody has looked at yet.",
        "",
        f"Obfuscation flag agrees with the label on {obf.tp} of {obf.tp + obf.fn} phones "
        "whose case states it.",
        END,
    ]
    return "\n".join(lines)


def write_section(section: str, path: Path = BENCHMARKS_MD) -> None:
    report.write_section("extraction", section, path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument("--errors", action="store_true", help="print every miss and extra")
    args = parser.parse_args(argv)
    cases = load_corpus()
    scores, obf = score(cases)
    section = render(throughput(args.seconds), scores, obf, len(cases))
    print(section)
    if args.errors:
        for name, s in scores.items():
            for err in s.errors:
                print(f"[{name}] {err}")
        for err in obf.errors:
            print(f"[obfuscated] {err}")
    if not args.no_write:
        write_section(section)
    return 0


if __name__ == "__main__":
    sys.exit(main())
