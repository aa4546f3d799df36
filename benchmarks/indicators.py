"""Speed of all per-advert detectors together, on typical 1-2 KB adverts, on one core.

    python -m benchmarks.indicators [--adverts 300] [--rounds 5] [--no-write]

Network detectors run too, over a handful of links per advert, as in a real check. Extraction is
done once beforehand: this measures the indicator stage only (the pipeline times the others).
Writes its section of BENCHMARKS.md between the indicators markers and touches nothing else.
"""

from __future__ import annotations

import argparse
import platform
import random
import statistics
import time
from pathlib import Path

from asw_guard.indicators import AdvertContext, PriceBook, default_registry, load_specs
from asw_guard.linking import Link
from asw_guard.models import Advert, Location
from asw_guard.normalise import extract
from asw_guard.normalise.models import PriceMatch
from benchmarks import report
from benchmarks.report import cpu_model

START, END = "<!-- indicators:start -->", "<!-- indicators:end -->"
BUDGET_MS = 1.0
COMMAND = "python -m benchmarks.indicators"

# Invented advert text, written for this benchmark. Numbers are Ofcom drama-range only.
OPENINGS = [
    "Hello gentlemen and welcome to my page. My name is {name} and I am a friendly, "
    "easy-going companion based in {city}.",
    "Hi there! {name} here, new in town for a few days and looking forward to meeting "
    "respectful gentlemen in {city}.",
    "She is a sweet and caring lady, our newest model in {city}. {name} loves good "
    "conversation and a glass of wine.",
    "Welcome. I am {name}, an independent companion who has lived in {city} for years.",
]
MIDDLES = [
    "I offer a relaxed girlfriend experience, massage, dinner dates and overnight company. "
    "I am always safe and I never do bareback, please do not ask.",
    "Services: GFE, massage, role play, dinner dates, travel companion, couples on request. "
    "Strictly no unprotected services.",
    "I enjoy long walks, good food, live music and getting to know people. I take my time "
    "and I like my guests to feel at home, so please be clean, polite and on time.",
    "My flat is discreet, clean and close to the station with easy parking nearby. Incall "
    "only at the moment, outcall to hotels may be possible with notice.",
    "Available most days from late morning until midnight. Bookings of an hour or more "
    "are preferred; overnight bookings by arrangement.",
]
CLOSINGS = [
    "Call or text {phone}. No withheld numbers, no explicit messages. Site rules: all ages "
    "verified, no under 18s.",
    "Contact me on {phone} or WhatsApp. Deposit required for outcalls. Rates: 30 min 90, "
    "1 hour 150, 2 hours 280.",
    "Text {phone} with your name, the time and the length of booking. 🌹 Thank you for "
    "reading and I hope to see you soon.",
]
FILLER = (
    " I speak English and a little French. I am a non-smoker and enjoy the gym, good books "
    "and films. Please read my profile fully before getting in touch; most questions are "
    "answered here. Respect goes both ways and I look forward to a lovely time together."
)
NAMES = ["Mia", "Ana", "Kasia", "Elena", "Jade", "Lola", "Nina", "Rosa"]
CITIES = ["Leeds", "London", "Hull", "York", "Bristol", "Glasgow"]


def make_adverts(n: int, seed: int = 7) -> list[AdvertContext]:
    rng = random.Random(seed)
    out: list[AdvertContext] = []
    for i in range(n):
        city = rng.choice(CITIES)
        phone = f"07700 900{rng.randrange(1000):03d}"
        parts = [rng.choice(OPENINGS), *rng.sample(MIDDLES, 3), rng.choice(CLOSINGS)]
        body = " ".join(parts).format(name=rng.choice(NAMES), city=city, phone=phone)
        while len(body) < rng.randrange(1000, 2000):
            body += FILLER
        advert = Advert(
            id=f"ad-{i}",
            account_id=f"acc-{i % 50}",
            body=body,
            title=f"{rng.choice(NAMES)} in {city}",
            alias=rng.choice(NAMES),
            advertised_age=rng.randrange(19, 45),
            location=Location(city=city),
        )
        extraction = extract(body).model_copy(
            update={
                "prices": [
                    PriceMatch(
                        start=0, end=3, amount=150.0, currency="GBP", minutes=60, per_hour=150.0
                    ),
                ]
            }
        )
        links = [
            Link(
                "phone",
                "strong",
                f"ad-{i + k}",
                f"acc-{(i + k) % 50}",
                bytes([rng.randrange(4)]),
                rng.randrange(19, 45),
                rng.choice(CITIES),
                "c",
            )
            for k in range(1, rng.randrange(1, 6))
        ]
        out.append(
            AdvertContext(
                advert=advert,
                extraction=extraction,
                texts=advert.texts(),
                links=links,
                alias_key=b"\x00",
            )
        )
    return out


def fresh(ctx: AdvertContext, languages: tuple[str, ...] = ("en",)) -> AdvertContext:
    # A new context per run: detectors share work through ctx.cache within one check only.
    return AdvertContext(
        advert=ctx.advert,
        extraction=ctx.extraction,
        texts=ctx.texts,
        links=ctx.links,
        alias_key=ctx.alias_key,
        languages=languages,
    )


def machine() -> str:
    system = f"{platform.system()} {platform.release()}"
    return f"{cpu_model()}; {system}; Python {platform.python_version()}"


def run(n_adverts: int, rounds: int, languages: tuple[str, ...] = ("en",)) -> dict[str, float]:
    registry = default_registry(PriceBook())
    enabled = frozenset(s.id for s in load_specs().values() if s.enabled_by_default)
    adverts = make_adverts(n_adverts)
    for ctx in adverts[:20]:  # warm the compiled-pattern caches
        registry.run(fresh(ctx, languages), enabled)
    per_advert: list[float] = []
    for _ in range(rounds):
        for ctx in adverts:
            c = fresh(ctx, languages)
            t0 = time.perf_counter()
            registry.run(c, enabled)
            per_advert.append((time.perf_counter() - t0) * 1000)
    per_advert.sort()
    return {
        "adverts": float(n_adverts),
        "runs": float(len(per_advert)),
        "mean_chars": statistics.mean(len(c.advert.body) for c in adverts),
        "mean_ms": statistics.mean(per_advert),
        "median_ms": statistics.median(per_advert),
        "p95_ms": per_advert[int(0.95 * (len(per_advert) - 1))],
        "detectors": float(len(enabled)),
    }


def row(label: str, r: dict[str, float]) -> str:
    verdict = "within" if r["mean_ms"] <= BUDGET_MS else "OVER"
    return (
        f"| {label} | {r['mean_ms']:.3f} ms | {r['median_ms']:.3f} ms | {r['p95_ms']:.3f} ms | "
        f"{BUDGET_MS:.0f} ms ({verdict}) |"
    )


def section(r: dict[str, float], multi: dict[str, float]) -> str:
    return "\n".join(
        [
            START,
            "## Indicators: per-advert detectors",
            "",
            f"Command: `{COMMAND}`",
            "",
            f"Machine: {machine()}; one core, one process.",
            "",
            f"All {int(r['detectors'])} default-enabled detectors on {int(r['adverts'])} invented "
            f"adverts (mean {r['mean_chars']:.0f} characters, 1-5 links each), "
            f"{int(r['runs'])} runs:",
            "",
            "| phrase languages | mean | median | p95 | budget (mean) |",
            "|---|---|---|---|---|",
            row("en (uk-default)", r),
            row("en, ro, pl", multi),
            END,
        ]
    )


def write(text: str, path: Path = Path("BENCHMARKS.md")) -> None:
    report.write_section("indicators", text, path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--adverts", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    result = run(args.adverts, args.rounds)
    multi = run(args.adverts, args.rounds, ("en", "ro", "pl"))
    text = section(result, multi)
    print(text)
    if not args.no_write:
        write(text)


if __name__ == "__main__":
    main()
