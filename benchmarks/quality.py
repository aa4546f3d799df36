"""Quality on the synthetic marketplace: who is held, which networks are found, how soon.

    python -m benchmarks.quality [--adverts 10000] [--seed 7] [--policy uk-default]

Writes its section of BENCHMARKS.md and `benchmarks/plots/quality_by_sophistication.png`.
"""

from __future__ import annotations

import argparse
import tempfile
from collections import defaultdict
from pathlib import Path

from asw_guard import Guard
from asw_guard.models import Band
from asw_guard.synth import generate_market
from asw_guard.synth.score import MarketScore, score_market

from .report import ROOT, machine, write_section

PLOTS = ROOT / "benchmarks" / "plots"
PLOT = "benchmarks/plots/quality_by_sophistication.png"


def evaluate(n: int, seed: int, policy: str, real_photos: bool = False) -> MarketScore:
    market = generate_market(n, seed=seed, real_photos=real_photos)
    with (
        tempfile.TemporaryDirectory() as tmp,
        Guard.open(f"sqlite:///{Path(tmp) / 'q.db'}", policy, hmac_key=b"q" * 32) as guard,
    ):
        decisions = list(guard.check_many(market.adverts))
        clusters = {
            a: c
            for a, t in market.truth.items()
            if t.network_id and (c := guard.store.cluster_of(a)) is not None
        }
    return score_market(market, decisions, clusters)


def by_sophistication(score: MarketScore) -> dict[str, dict[str, float]]:
    groups: dict[str, list[tuple[int, int, int, int]]] = defaultdict(list)
    for n in score.networks:
        groups[n.sophistication].append((n.adverts, n.at_medium, n.stopped, n.before_first_stop))
    out = {}
    order = {"crude": 0, "organised": 1, "adaptive": 2}
    for level, rows in sorted(groups.items(), key=lambda kv: order.get(kv[0], 9)):
        adverts = sum(r[0] for r in rows)
        out[level] = {
            "networks": len(rows),
            "found": sum(1 for r in rows if r[2]),
            "recall_medium": sum(r[1] for r in rows) / adverts,
            "stopped": sum(r[2] for r in rows) / adverts,
            "before_first_stop": sum(r[3] for r in rows) / len(rows),
        }
    return out


def plot(levels: dict[str, dict[str, float]], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names = list(levels)
    fig, ax = plt.subplots(figsize=(6, 3.5))
    width = 0.38
    xs = range(len(names))
    ax.bar(
        [x - width / 2 for x in xs],
        [levels[n]["recall_medium"] for n in names],
        width,
        label="network adverts at band ≥ medium",
    )
    ax.bar(
        [x + width / 2 for x in xs],
        [levels[n]["stopped"] for n in names],
        width,
        label="network adverts stopped",
    )
    ax.set_xticks(list(xs), names)
    ax.set_ylim(0, 1)
    ax.set_ylabel("share of the network's adverts")
    ax.set_title("Quality by network sophistication (uk-default)")
    ax.legend(loc="lower left", fontsize=8)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--adverts", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--policy", default="uk-default")
    parser.add_argument(
        "--real-photos",
        action="store_true",
        help="images as JPEG bytes: networks re-post transformed real photographs",
    )
    args = parser.parse_args()
    score = evaluate(args.adverts, args.seed, args.policy, args.real_photos)
    levels = by_sophistication(score)
    suffix = "-photos" if args.real_photos else ""
    if not args.real_photos:
        plot(levels, PLOTS / "quality_by_sophistication.png")
    band_rows = "\n".join(
        f"| ≥ {b.value} | {score.per_band[b.value][0]:.3f} | {score.per_band[b.value][1]:.3f} |"
        for b in Band
    )
    kind_rows = "\n".join(
        f"| {k} | {score.by_kind.get(k, 0):,} | {score.stopped_by_kind.get(k, 0):,} | "
        f"{100 * score.share_stopped(k):.2f}% |"
        for k in ("independent", "touring", "agency", "network")
    )
    level_rows = "\n".join(
        f"| {lv} | {v['networks']:.0f} | {v['found']:.0f} | {v['recall_medium']:.3f} | "
        f"{v['stopped']:.3f} | {v['before_first_stop']:.1f} |"
        for lv, v in levels.items()
    )
    reasons = ", ".join(f"`{r}` ({n:,})" for r, n in score.top_reasons_on_independents)
    command = (
        f"python -m benchmarks.quality --adverts {args.adverts} --seed {args.seed} "
        f"--policy {args.policy}" + (" --real-photos" if args.real_photos else "")
    )
    title = "with real photographs as image bytes" if args.real_photos else ""
    write_section(
        f"quality{suffix}",
        f"## Quality on the synthetic marketplace {title}\n\n`{command}` on {machine()}\n\n"
        f"{score.adverts:,} adverts; {score.networks_found} of {len(score.networks)} planted "
        f"networks had at least one advert stopped (hold, refer, reject or verification); "
        f"adjusted Rand index of network clusters {score.cluster_ari}.\n\n"
        "| band | precision (network adverts) | recall |\n|---|---:|---:|\n"
        + band_rows
        + "\n\n| advertiser | adverts | stopped | share |\n|---|---:|---:|---:|\n"
        + kind_rows
        + "\n\n| sophistication | networks | found | recall ≥ medium | adverts stopped | "
        "adverts posted before first stop |\n|---|---:|---:|---:|---:|---:|\n"
        + level_rows
        + f"\n\nIndicators that most often fire on independents: {reasons or 'none'}."
        + ("" if args.real_photos else f"\n\n![quality by sophistication]({PLOT})"),
    )
    print(
        f"networks found {score.networks_found}/{len(score.networks)}; "
        f"independents stopped {100 * score.share_stopped('independent', 'touring'):.2f}%"
    )


if __name__ == "__main__":
    main()
