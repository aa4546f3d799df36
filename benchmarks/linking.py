"""Linking components: text near-duplicates against brute force, photo robustness, hashing speed.

Run: ``python -m benchmarks.linking`` (add ``--quick`` for a smaller run that does not write
BENCHMARKS.md). Writes its section of BENCHMARKS.md between the linking markers.
"""

from __future__ import annotations

import argparse
import gc
import io
import os
import platform
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from PIL import Image
from rapidfuzz import fuzz, process
from rapidfuzz.distance import Indel

from asw_guard.linking.images import (
    MAX_DISTANCE,
    PhotoHash,
    decode_image,
    hamming,
    hash_decoded,
    image_distance,
    image_hash,
)
from asw_guard.linking.keys import KeyedHasher
from asw_guard.linking.text import (
    BANDS,
    LIMIT_PER_KEY,
    MAX_CANDIDATES,
    NUM_PERM,
    ROWS,
    SHINGLE,
    THRESHOLD,
    NearDuplicateIndex,
    text_fingerprint,
)
from asw_guard.store.memindex import SimilarityIndex
from asw_guard.synth.photos import REAL_PHOTOS, TRANSFORMS, jpeg, real_photos
from benchmarks import report
from benchmarks.report import cpu_model

HASHER = KeyedHasher(b"benchmark-secret")

# --- synthetic adverts -------------------------------------------------------------------------

_NAMES = [
    "Anna",
    "Bella",
    "Chloe",
    "Daria",
    "Elena",
    "Fiona",
    "Gina",
    "Hana",
    "Irina",
    "Jade",
    "Kira",
    "Lena",
    "Mia",
    "Nadia",
    "Olga",
    "Paula",
    "Rosa",
    "Sofia",
    "Tina",
    "Vera",
    "Yana",
    "Zoe",
    "Alina",
    "Bianca",
    "Carla",
    "Dina",
    "Eva",
    "Flora",
    "Greta",
    "Ivy",
    "Julia",
    "Katya",
]
_CITIES = [
    "London",
    "Leeds",
    "Manchester",
    "Bristol",
    "Glasgow",
    "Cardiff",
    "Leicester",
    "Nottingham",
    "Brighton",
    "Liverpool",
    "Sheffield",
    "Newcastle",
    "Birmingham",
    "Reading",
    "Oxford",
    "Cambridge",
    "Derby",
    "York",
    "Bath",
    "Exeter",
]
_WORDS = [
    "new",
    "in",
    "town",
    "sweet",
    "friendly",
    "open",
    "minded",
    "relaxing",
    "time",
    "with",
    "me",
    "available",
    "day",
    "and",
    "night",
    "discreet",
    "private",
    "flat",
    "clean",
    "safe",
    "come",
    "visit",
    "for",
    "a",
    "lovely",
    "massage",
    "service",
    "genuine",
    "photos",
    "young",
    "lady",
    "busty",
    "slim",
    "tall",
    "petite",
    "independent",
    "student",
    "first",
    "time",
    "here",
    "only",
    "short",
    "stay",
    "call",
    "text",
    "me",
    "now",
    "book",
    "early",
    "no",
    "rush",
    "full",
    "service",
    "party",
    "girl",
    "fun",
    "naughty",
    "sexy",
    "hot",
    "real",
    "pictures",
    "hotel",
    "visits",
    "outcall",
    "incall",
    "nice",
    "place",
    "parking",
    "near",
    "station",
    "shower",
    "available",
    "clean",
    "towels",
    "drinks",
    "offered",
    "gentlemen",
    "only",
    "respectful",
    "polite",
    "please",
    "no",
    "withheld",
    "numbers",
    "english",
    "speaking",
    "little",
    "bit",
    "of",
    "english",
    "just",
    "arrived",
    "this",
    "week",
    "leaving",
    "soon",
    "dont",
    "miss",
    "best",
    "experience",
    "you",
    "will",
    "never",
    "forget",
    "unforgettable",
    "pleasure",
    "passionate",
    "kisses",
    "cuddles",
    "girlfriend",
    "experience",
    "long",
    "hair",
    "brown",
    "eyes",
    "natural",
    "curvy",
    "body",
    "smooth",
    "skin",
    "always",
    "smiling",
    "happy",
    "to",
    "meet",
    "you",
    "tonight",
    "late",
    "open",
    "every",
    "day",
    "weekend",
    "special",
    "offer",
    "ask",
    "about",
    "it",
]


def _sentence(rng: random.Random) -> str:
    words = rng.choices(_WORDS, k=rng.randint(5, 11))
    return " ".join(words).capitalize() + rng.choice([".", "!", ".", "..."])


def _slot_sentences(rng: random.Random) -> list[str]:
    return rng.sample(
        [
            "Hi I'm {name}, {age} years old.",
            "My name is {name} and I am new in {city}.",
            "Call me on {phone} for booking.",
            "Price {price} per hour, {price2} for two hours.",
            "Age {age}, from {city}.",
            "Email me at {email} or visit www.{name_l}{num}.com",
            "Available from {num}pm until late.",
        ],
        k=rng.randint(2, 4),
    )


def _fill(template: str, rng: random.Random) -> str:
    name = rng.choice(_NAMES)
    return template.format(
        name=name,
        name_l=name.lower(),
        age=rng.randint(18, 45),
        city=rng.choice(_CITIES),
        phone=f"07{rng.randint(100, 999)} {rng.randint(100000, 999999)}",
        price=f"£{rng.randint(8, 30) * 10}",
        price2=f"£{rng.randint(16, 50) * 10}",
        email=f"{name.lower()}{rng.randint(1, 99)}@mail.com",
        num=rng.randint(1, 12),
    )


def _edit(text: str, rng: random.Random, edits: int) -> str:
    # A few word edits a copier makes, so similarity within a family spreads across the threshold.
    words = text.split()
    for _ in range(edits):
        op = rng.random()
        i = rng.randrange(len(words))
        if op < 0.4:
            words[i] = rng.choice(_WORDS)
        elif op < 0.7 and len(words) > 5:
            del words[i]
        else:
            words.insert(i, rng.choice(_WORDS))
    return " ".join(words)


def synthetic_adverts(n: int, seed: int = 7, family_share: float = 0.5) -> list[str]:
    """`n` advert texts: template families (slot fills plus a few edits) and unrelated adverts."""
    rng = random.Random(seed)
    texts: list[str] = []
    n_family = int(n * family_share)
    while len(texts) < n_family:
        parts = [_sentence(rng) for _ in range(rng.randint(3, 6))] + _slot_sentences(rng)
        rng.shuffle(parts)
        template = " ".join(parts)
        for _ in range(rng.randint(2, 30)):
            if len(texts) >= n_family:
                break
            edits = rng.choice([0, 0, 1, 2, 3, 5, 8, 12])
            texts.append(_edit(_fill(template, rng), rng, edits))
    while len(texts) < n:
        parts = [_sentence(rng) for _ in range(rng.randint(3, 6))] + _slot_sentences(rng)
        rng.shuffle(parts)
        texts.append(_fill(" ".join(parts), rng))
    rng.shuffle(texts)
    return texts


# --- text: ours vs brute force -----------------------------------------------------------------


def _as_strings(token_seqs: list[tuple[int, ...]]) -> list[str]:
    # rapidfuzz's cdist takes strings; mapping each distinct token to one code point keeps the
    # Indel similarity of the sequences exactly (it only compares tokens for equality).
    vocab: dict[int, str] = {}
    out = []
    for seq in token_seqs:
        out.append("".join(vocab.setdefault(t, chr(0x4E00 + len(vocab))) for t in seq))
    return out


def brute_force_pairs(token_seqs: list[tuple[int, ...]], threshold: float) -> set[tuple[int, int]]:
    """Every pair at or above `threshold`, by exact all-pairs comparison."""
    strings = _as_strings(token_seqs)
    pairs: set[tuple[int, int]] = set()
    chunk = 500
    for start in range(0, len(strings), chunk):
        # A cutoff a hair under the threshold, then an exact float64 comparison: rapidfuzz turns a
        # normalised cutoff into an integer distance bound and can drop pairs exactly at it.
        block = process.cdist(
            strings[start : start + chunk],
            strings,
            scorer=Indel.normalized_similarity,
            score_cutoff=threshold - 1e-6,
            dtype=np.float64,
            workers=-1,
        )
        rows, cols = np.nonzero(block >= threshold - 1e-12)
        for r, c in zip(rows.tolist(), cols.tolist(), strict=True):
            i = start + r
            if i < c:
                pairs.add((i, c))
    return pairs


def index_pairs(
    token_fps: list, threshold: float
) -> tuple[set[tuple[int, int]], set[tuple[int, int]]]:
    """Pairs our index reports (verified) and the raw LSH candidate pairs."""
    index = NearDuplicateIndex(threshold)
    found: set[tuple[int, int]] = set()
    candidates: set[tuple[int, int]] = set()
    for i, fp in enumerate(token_fps):
        for other in index.candidates(fp):
            candidates.add((int(other), i))
        for other, _sim in index.query(fp):
            found.add((int(other), i))
        index.add(str(i), fp)
    return found, candidates


def text_quality(n: int) -> dict[str, float]:
    texts = synthetic_adverts(n)
    t0 = time.perf_counter()
    fps = [text_fingerprint(t, HASHER) for t in texts]
    t_fp = time.perf_counter() - t0
    t0 = time.perf_counter()
    truth = brute_force_pairs([fp.tokens for fp in fps], THRESHOLD)
    t_brute = time.perf_counter() - t0
    t0 = time.perf_counter()
    found, candidates = index_pairs(fps, THRESHOLD)
    t_ours = time.perf_counter() - t0
    tp = len(found & truth)
    return {
        "adverts": n,
        "true_pairs": len(truth),
        "found_pairs": len(found),
        "candidate_pairs": len(candidates),
        "recall": tp / len(truth) if truth else 1.0,
        "precision": tp / len(found) if found else 1.0,
        "fingerprint_s": t_fp,
        "brute_s": t_brute,
        "ours_s": t_ours,
    }


def _ours(texts: list[str]) -> tuple[float, int, int]:
    """Seconds to fingerprint, query and add every text; verified pairs; LSH candidates."""
    gc.collect()
    t0 = time.perf_counter()
    index = NearDuplicateIndex()
    hits = candidates = 0
    for i, text in enumerate(texts):
        fp = text_fingerprint(text, HASHER)
        candidates += len(index.candidates(fp))
        hits += len(index.query(fp))
        index.add(str(i), fp)
    return time.perf_counter() - t0, hits, candidates


def side_by_side(n: int) -> dict[str, float]:
    """Naive all-pairs rapidfuzz on raw texts (as an operator might write it) vs our index."""
    texts = synthetic_adverts(n, seed=11)
    t_ours, hits, candidates = _ours(texts)
    gc.collect()
    t0 = time.perf_counter()
    naive = 0
    for start in range(0, n, 1000):
        block = process.cdist(
            texts[start : start + 1000],
            texts,
            scorer=fuzz.ratio,
            score_cutoff=THRESHOLD * 100,
            dtype=np.uint8,
            workers=-1,
        )
        naive += int(np.count_nonzero(block))
    t_naive = time.perf_counter() - t0
    return {
        "adverts": n,
        "naive_s": t_naive,
        "ours_s": t_ours,
        "naive_hits": naive,
        "ours_pairs": hits,
        "candidates": candidates,
    }


def ours_only(n: int) -> dict[str, float]:
    t_ours, hits, candidates = _ours(synthetic_adverts(n, seed=11))
    return {"adverts": n, "ours_s": t_ours, "ours_pairs": hits, "candidates": candidates}


# --- photos ------------------------------------------------------------------------------------

#: skimage.data images that are real photographs (not synthetic drawings or phantoms). `cat` is
#: the same photo as `chelsea`, and the stereo pair shows one scene twice, so only one of each.


def _pil_hash_strategies() -> dict[str, Callable[[PhotoHash, PhotoHash], int]]:
    return {
        "one global pHash": lambda a, b: hamming(a.full, b.full),
        "whole image vs the other's crops": lambda a, b: min(
            *(hamming(a.full, x) for x in b.hashes), *(hamming(b.full, x) for x in a.hashes)
        ),
        "all crops vs all crops (chosen)": image_distance,
    }


def photo_suite(max_distance: int = MAX_DISTANCE) -> tuple[int, list[dict[str, object]]]:
    """Match rate per transformation and false matches, for each strategy."""
    photos = real_photos()
    originals = [image_hash(jpeg(im)) for _, im in photos]
    queries = {t: [image_hash(fn(im)) for _, im in photos] for t, fn in TRANSFORMS.items()}
    results = []
    for name, dist in _pil_hash_strategies().items():
        per: dict[str, float] = {}
        false = pairs = 0
        for t, qs in queries.items():
            hits = 0
            for i, q in enumerate(qs):
                hits += dist(q, originals[i]) <= max_distance
                for j, o in enumerate(originals):
                    if j != i:
                        pairs += 1
                        false += dist(q, o) <= max_distance
            per[t] = hits / len(qs)
        results.append(
            {
                "strategy": name,
                "per_transform": per,
                "match_rate": statistics.fmean(per.values()),
                "false": false,
                "pairs": pairs,
            }
        )
    return len(photos), results


def hashing_speed() -> dict[str, float]:
    """Milliseconds per image: decode + hash, for a 12 Mpx JPEG, a 512 px JPEG and a PNG."""
    import skimage.data as data

    base = Image.fromarray(data.astronaut()).convert("RGB")
    big = jpeg(base.resize((4000, 3000)))
    small = jpeg(base)
    buf = io.BytesIO()
    base.save(buf, "PNG")
    png = buf.getvalue()
    out = {}
    for label, blob in (("JPEG 4000x3000", big), ("JPEG 512x512", small), ("PNG 512x512", png)):
        for crops in (False, True):
            reps = 20
            t0 = time.perf_counter()
            for _ in range(reps):
                hash_decoded(decode_image(blob), crops=crops)
            key = f"{label}, {'7 hashes' if crops else '1 hash'}"
            out[key] = (time.perf_counter() - t0) / reps * 1000
    return out


def photo_lookup(sizes: tuple[int, ...], queries: int = 200) -> list[dict[str, float]]:
    """Milliseconds per photo lookup of an advert with four photos (28 enrolled hashes) against
    the in-memory index holding `size` photos of 7 random hashes each; a quarter of the queried
    photos are near copies (3 bits flipped) of enrolled ones, which must all be found."""
    rng = np.random.default_rng(11)
    out = []
    for size in sizes:
        enrolled = rng.integers(0, 2**63, size=(size, 7), dtype=np.uint64)
        index = SimilarityIndex()
        index.load(
            (i + 1, f"ad{i}", None, enrolled[i].astype("<u8").tobytes(), None, None, None)
            for i in range(size)
        )
        asked = []
        for _ in range(queries):
            photos = rng.integers(0, 2**63, size=(4, 7), dtype=np.uint64)
            photos[0] = enrolled[rng.integers(size)] ^ np.uint64(0b1011)
            asked.append([int(h) for h in photos.reshape(-1)])
        found = 0
        started = time.perf_counter()
        for hashes in asked:
            found += len(index.photo_matches(hashes, max_distance=MAX_DISTANCE, exclude=""))
        elapsed = time.perf_counter() - started
        assert found >= queries, "a near copy was missed"
        out.append({"photos": size, "ms": elapsed / queries * 1000})
        del index, enrolled
        gc.collect()
    return out


# --- report ------------------------------------------------------------------------------------


def _machine() -> str:
    return (
        f"{cpu_model()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"{platform.system()}"
    )


def render(
    text: dict[str, float],
    sbs: list[dict[str, float]],
    photos: tuple[int, list[dict[str, object]]],
    speed: dict[str, float],
    lookups: list[dict[str, float]],
) -> str:
    lines = [
        "## Linking components",
        "",
        f"Command: `python -m benchmarks.linking`. Machine: {_machine()}.",
        "",
        "### Near-duplicate text against exact brute force",
        "",
        f"{text['adverts']:,} synthetic adverts (template families with slot fills and 0-12 word "
        "edits, plus unrelated adverts built from the same vocabulary). Similarity: normalised "
        f"Indel similarity of the slot-masked token sequences, threshold {THRESHOLD}. "
        f"MinHash {NUM_PERM} permutations, {BANDS} bands × {ROWS} rows, word {SHINGLE}-shingles, "
        f"at most {LIMIT_PER_KEY} (newest) candidates per band key, at most {MAX_CANDIDATES} "
        "verified per query (most band collisions first).",
        "",
        "| pairs ≥ threshold (brute force) | reported by the index | LSH candidate pairs "
        "| recall | precision |",
        "|---|---|---|---|---|",
        f"| {text['true_pairs']:,} | {text['found_pairs']:,} | {text['candidate_pairs']:,} | "
        f"{text['recall']:.4f} | {text['precision']:.4f} |",
        "",
        f"Fingerprinting {text['adverts']:,} adverts: {text['fingerprint_s']:.1f} s; brute force "
        f"all pairs (rapidfuzz `cdist`, both cores): {text['brute_s']:.1f} s; index add + query of "
        f"every advert: {text['ours_s']:.1f} s.",
        "",
        "### Side by side: naive all-pairs rapidfuzz vs the index",
        "",
        "Naive: `rapidfuzz.process.cdist(texts, texts, scorer=fuzz.ratio)` on the raw texts, both "
        "cores. Ours: fingerprint each advert, query the in-memory index, add it (single core). "
        "The machine is shared, so timings carry some noise.",
        "",
        "| adverts | naive (s) | ours (s) | naive / ours | LSH candidates per advert |",
        "|---|---|---|---|---|",
    ]
    for row in sbs:
        naive = f"{row['naive_s']:.2f}" if "naive_s" in row else "not run"
        ratio = f"{row['naive_s'] / row['ours_s']:.1f}×" if "naive_s" in row else ""
        lines.append(
            f"| {row['adverts']:,} | {naive} | {row['ours_s']:.2f} | {ratio} | "
            f"{row['candidates'] / row['adverts']:.1f} |"
        )
    if len(sbs) >= 2:
        a, b = sbs[0], sbs[1]
        growth = b["adverts"] / a["adverts"]
        lines += [
            "",
            f"From {a['adverts']:,} to {b['adverts']:,} adverts ({growth:.0f}×): naive grew "
            f"{b['naive_s'] / a['naive_s']:.0f}×, ours {b['ours_s'] / a['ours_s']:.0f}×. "
            "How ours goes on to 1,000,000 indexed adverts, inside whole checks against the "
            "store, is in the check latency section above.",
        ]
    n_photos, strategies = photos
    transforms = list(TRANSFORMS)
    lines += [
        "",
        "### Photos: transformation suite",
        "",
        f"{n_photos} real photographs: {len(REAL_PHOTOS) + 1} from `skimage.data` "
        "(astronaut, camera, chelsea, clock, coffee, coins, moon, page, text, brick, grass, "
        "gravel, rocket, hubble_deep_field, retina, immunohistochemistry, motorcycle) plus "
        "256 px tiles of the larger ones. Each original enrolled as JPEG q90; each transformed "
        f"copy compared with its original (match rate) and with every other original (false "
        f"matches). pHash, match at Hamming distance ≤ {MAX_DISTANCE}.",
        "",
        "| strategy | " + " | ".join(transforms) + " | mean match rate | false matches |",
        "|---|" + "---|" * (len(transforms) + 2),
    ]
    for r in strategies:
        per = r["per_transform"]
        assert isinstance(per, dict)
        lines.append(
            f"| {r['strategy']} | "
            + " | ".join(f"{per[t]:.3f}" for t in transforms)
            + f" | {r['match_rate']:.3f} | {r['false']} / {r['pairs']:,} |"
        )
    lines += [
        "",
        "### Photo hashing time (decode + hash, one core)",
        "",
        "| input | ms per image |",
        "|---|---|",
    ]
    lines += [f"| {k} | {v:.1f} |" for k, v in speed.items()]
    lines += [
        "",
        "### Photo index lookup (one core)",
        "",
        "An advert with four photos (28 enrolled hashes) looked up in the in-memory index "
        "(`SimilarityIndex.photo_matches`) holding N photos of 7 random hashes each; one photo "
        "of each query is a near copy of an enrolled one.",
        "",
        "| photos indexed | enrolled hashes | ms per lookup |",
        "|---:|---:|---:|",
    ]
    lines += [f"| {r['photos']:,.0f} | {7 * r['photos']:,.0f} | {r['ms']:.2f} |" for r in lookups]
    return "\n".join(lines) + "\n"


def write_section(section: str, path: Path | None = None) -> None:
    report.write_section("linking", section, path or report.RESULTS)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small sizes; do not write the file")
    args = parser.parse_args(argv)
    n_text, sizes = (2000, (500, 1000)) if args.quick else (20_000, (1000, 10_000))
    print(f"text quality at {n_text} adverts ...", flush=True)
    text = text_quality(n_text)
    print(text, flush=True)
    sbs = []
    for n in sizes:
        print(f"side by side at {n} ...", flush=True)
        sbs.append(side_by_side(n))
        print(sbs[-1], flush=True)
    if not args.quick:
        print("ours only at 100000 ...", flush=True)
        sbs.append(ours_only(100_000))
        print(sbs[-1], flush=True)
    print("photo suite ...", flush=True)
    photos = photo_suite()
    print(photos, flush=True)
    speed = hashing_speed()
    print(speed, flush=True)
    lookups = photo_lookup((1000, 10_000) if args.quick else (10_000, 100_000, 500_000))
    print(lookups, flush=True)
    section = render(text, sbs, photos, speed, lookups)
    print(section)
    if not args.quick:
        write_section(section)


if __name__ == "__main__":
    main(sys.argv[1:])
