"""`asw-guard demo`: a synthetic marketplace through the guard on SQLite, and how it did."""

from __future__ import annotations

import json
import statistics
import time
from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from asw_guard.cli.app import cli
from asw_guard.cli.common import (
    clean_errors,
    default_workers,
    logging_options,
    policy_option,
    setup_logging,
)
from asw_guard.guard import Guard
from asw_guard.models import Action, Band, Decision
from asw_guard.secrets import HMAC_KEY_ENV, new_key
from asw_guard.synth import generate_market
from asw_guard.synth.report import write_report
from asw_guard.synth.score import MarketScore, score_market


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "-"


def summary_tables(score: MarketScore, elapsed: float, latencies: list[float]) -> list[Table]:
    run = Table(title="Run", show_header=False)
    checks = len(latencies)
    run.add_row("adverts checked", f"{score.adverts:,} (+{checks - score.adverts:,} edits)")
    run.add_row("time", f"{elapsed:.1f} s ({checks / elapsed:,.0f} checks/s)")
    if latencies:
        q = statistics.quantiles(latencies, n=100)
        run.add_row("check latency", f"p50 {q[49]:.2f} ms, p99 {q[98]:.2f} ms")

    actions = Table(title="Decisions by action")
    actions.add_column("action")
    actions.add_column("adverts", justify="right")
    actions.add_column("share", justify="right")
    for action in Action:
        n = score.by_action.get(action.value, 0)
        actions.add_row(action.value, f"{n:,}", _pct(n, score.adverts))

    who = Table(title="Who was stopped (hold, refer, reject or verification)")
    who.add_column("advertiser")
    who.add_column("adverts", justify="right")
    who.add_column("stopped", justify="right")
    who.add_column("share", justify="right")
    for kind in ("independent", "touring", "agency", "network"):
        total, stopped = score.by_kind.get(kind, 0), score.stopped_by_kind.get(kind, 0)
        who.add_row(kind, f"{total:,}", f"{stopped:,}", _pct(stopped, total))

    nets = Table(
        title=f"Networks found: {score.networks_found} of {len(score.networks)} planted"
        + (f" (cluster ARI {score.cluster_ari:.2f})" if score.cluster_ari is not None else "")
    )
    for col in ("network", "kind", "adverts", "band ≥ medium", "stopped", "posted before 1st stop"):
        nets.add_column(col, justify="left" if col in ("network", "kind") else "right")
    for net in score.networks:
        nets.add_row(
            net.network_id,
            net.sophistication,
            str(net.adverts),
            str(net.at_medium),
            str(net.stopped),
            str(net.before_first_stop),
        )
    return [run, actions, who, nets]


@cli.command()
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("demo-out"),
    show_default=True,
    help="Folder for the market, the SQLite store and the summary.",
)
@click.option("--adverts", "n_adverts", default=5_000, show_default=True, help="Market size.")
@click.option("--seed", default=7, show_default=True, help="Seed of the synthetic market.")
@policy_option
@logging_options
@clean_errors
def demo(
    out: Path, n_adverts: int, seed: int, policy: str, log_level: str, log_json: bool | None
) -> None:
    """Generate a seeded synthetic marketplace, check every advert on a fresh SQLite store,
    and compare what was held with the networks planted in it."""
    setup_logging(log_level, log_json)
    console = Console(stderr=False)
    out.mkdir(parents=True, exist_ok=True)
    for stale in out.glob("guard.db*"):
        stale.unlink()
    market = generate_market(n_adverts, seed=seed)
    market.write(out / "market")
    console.print(
        f"[bold]asw-guard demo[/]: {len(market.adverts):,} synthetic adverts "
        f"(seed {seed}) written to {out / 'market'}"
    )
    console.print(
        "Using a throwaway HMAC key generated for this run and not saved. A real deployment "
        f"sets {HMAC_KEY_ENV} (see `asw-guard keygen`)."
    )
    decisions: list[Decision] = []
    started = time.perf_counter()
    with (
        Guard.open(
            f"sqlite:///{out / 'guard.db'}", policy, hmac_key=bytes.fromhex(new_key())
        ) as guard,
        Progress(
            TextColumn("checking"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            console=console,
            transient=True,
        ) as bar,
    ):
        task = bar.add_task("check", total=len(market.adverts))
        workers = default_workers(len(market.adverts))
        for decision in guard.check_many(market.adverts, workers=workers):
            decisions.append(decision)
            bar.advance(task)
        elapsed = time.perf_counter() - started
        clusters = {
            ad_id: cluster
            for ad_id, truth in market.truth.items()
            if truth.network_id is not None
            and (cluster := guard.store.cluster_of(ad_id)) is not None
        }
        score = score_market(market, decisions, clusters)
        report = write_report(out / "report.html", market, decisions, guard.store, score)
    for table in summary_tables(score, elapsed, [d.timings.total_ms for d in decisions]):
        console.print(table)
    held = [d for d in decisions if d.band.rank >= Band.HIGH.rank][:1]
    if held:
        console.print(f"An example decision: {held[0].advert_id}: {held[0].summary()}")
    summary = {
        "adverts": score.adverts,
        "seconds": round(elapsed, 2),
        "by_action": dict(score.by_action),
        "stopped_share": {
            k: round(score.share_stopped(k), 4)
            for k in ("independent", "touring", "agency", "network")
        },
        "networks_planted": len(score.networks),
        "networks_found": score.networks_found,
        "cluster_ari": score.cluster_ari,
        "per_band": score.per_band,
    }
    (out / "summary.json").write_text(json.dumps(summary, indent=2), encoding="utf-8")
    console.print(
        f"Store: {out / 'guard.db'}; summary: {out / 'summary.json'}; "
        f"networks drawn and explained: {report}"
    )
