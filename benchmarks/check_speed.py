"""Check latency and backfill throughput against a growing SQLite inventory.

    python -m benchmarks.check_speed [--sizes 1000,10000,100000] [--probe 1000]

For each size: a fresh store is filled by `check_many` from the synthetic market (the backfill
rate), then `probe` further adverts are checked one at a time against that inventory (the
posting-path latency).
"""

from __future__ import annotations

import argparse
import resource
import statistics
import tempfile
import time
from pathlib import Path

from asw_guard import Guard
from asw_guard.synth import generate_market

from .report import ROOT, machine, write_section


def run(size: int, probe: int) -> dict[str, float]:
    market = generate_market(size + probe, seed=size)
    fill, tail = market.adverts[:size], market.adverts[size:]
    with (
        tempfile.TemporaryDirectory() as tmp,
        Guard.open(f"sqlite:///{Path(tmp) / 'g.db'}", hmac_key=b"k" * 32) as guard,
    ):
        started = time.perf_counter()
        for _ in guard.check_many(fill):
            pass
        backfill = size / (time.perf_counter() - started)
        latencies = []
        for ad in tail:
            t = time.perf_counter()
            guard.check(ad)
            latencies.append((time.perf_counter() - t) * 1000)
    # Peak resident memory of the whole process (Linux reports KB): the index lives in SQLite's
    # page cache and on disk, not in Python objects.
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    q = statistics.quantiles(latencies, n=100)
    return {"backfill": backfill, "p50": q[49], "p99": q[98], "peak_kb": float(peak)}


def plot(sizes: list[int], results: list[dict[str, float]], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 3.5))
    ax.plot(sizes, [r["p50"] for r in results], "o-", label="p50")
    ax.plot(sizes, [r["p99"] for r in results], "s--", label="p99")
    ax.set_xscale("log")
    ax.set_xlabel("adverts already indexed")
    ax.set_ylabel("Guard.check latency, ms")
    ax.set_title("Check latency against inventory size (SQLite)")
    ax.set_ylim(bottom=0)
    ax.legend()
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--probe", type=int, default=1000)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    rows = []
    results = []
    for size in sizes:
        r = run(size, args.probe)
        results.append(r)
        print(
            f"{size:>9,} indexed: backfill {r['backfill']:,.0f}/s, p50 {r['p50']:.2f} ms, "
            f"p99 {r['p99']:.2f} ms"
        )
        rows.append(
            f"| {size:,} | {r['backfill']:,.0f} | {r['p50']:.2f} | {r['p99']:.2f} | "
            f"{r['peak_kb']:,.0f} |"
        )
    write_section(
        "check",
        "## Check latency and backfill (synthetic adverts, photos as pre-computed hashes, SQLite)"
        "\n\n"
        f"`python -m benchmarks.check_speed --sizes {args.sizes} --probe {args.probe}` on "
        f"{machine()}\n\n"
        "| indexed adverts | backfill adverts/s | check p50 ms | check p99 ms | "
        "peak process RSS, KB |\n|---:|---:|---:|---:|---:|\n"
        + "\n".join(rows)
        + "\n\nPeak RSS includes the generated market held in memory and SQLite's memory-mapped "
        "pages, so it overstates what the index itself holds."
        + "\n\n![latency against inventory](benchmarks/plots/check_latency.png)",
    )
    plot(sizes, results, ROOT / "benchmarks" / "plots" / "check_latency.png")


if __name__ == "__main__":
    main()
