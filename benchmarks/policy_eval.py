"""Policy evaluation speed: microseconds per advert for a ready policy (uk-default by default).

    python -m benchmarks.policy_eval [--policy uk-default] [--rounds 20000] [--no-write]

Two numbers:

- *evaluation*: `RuleEvaluator.evaluate` on a mix of realistic facts (a plain advert, a weak
  signal, a network, a burst of reposts, a possible minor, a released cluster). This is the
  policy's own cost and what the 50 µs budget is about.
- *policy stage*: the pipeline's "policy" timing in real checks against a SQLite store, which
  adds building the facts, including the time-window counter query.

Writes its section of BENCHMARKS.md between the policy markers, touching nothing else.
"""

from __future__ import annotations

import argparse
import os
import platform
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

from asw_guard import Guard
from asw_guard.models import Band
from asw_guard.policy import PolicyFacts, RuleEvaluator, load_policy
from benchmarks import report
from benchmarks.report import cpu_model

START, END = "<!-- policy:start -->", "<!-- policy:end -->"
TARGET_US = 50.0
BENCHMARKS = Path(__file__).resolve().parents[1] / "BENCHMARKS.md"


def sample_facts() -> list[PolicyFacts]:
    def f(**kw: object) -> PolicyFacts:
        base: dict[str, object] = {
            "score": 0.0,
            "band": Band.LOW,
            "indicators": frozenset(),
            "categories": frozenset(),
            "verified": None,
            "account_age_days": 120,
            "payment_method": "card",
            "cluster_size": 1,
            "cluster_aliases": 1,
            "cluster_cities": 1,
            "cluster_accounts": 1,
            "identifier_counts": {"24h": {"phone": 1}},
        }
        base.update(kw)
        return PolicyFacts(**base)  # type: ignore[arg-type]

    return [
        f(),
        f(score=4.0, indicators=frozenset({"new_in_town"}), categories=frozenset({"movement"})),
        f(
            score=55.0,
            band=Band.HIGH,
            indicators=frozenset({"shared_contact_distinct_people"}),
            categories=frozenset({"third_party"}),
            cluster_size=4,
            cluster_aliases=4,
            cluster_cities=2,
            cluster_accounts=4,
            identifier_counts={"24h": {"phone": 4}},
        ),
        f(identifier_counts={"24h": {"phone": 6}}),
        f(
            score=95.0,
            band=Band.CRITICAL,
            indicators=frozenset({"youth_language"}),
            categories=frozenset({"possible_minor"}),
            advertised_age=16,
        ),
        f(
            score=72.0,
            band=Band.CRITICAL,
            indicators=frozenset({"third_person_language", "unprotected_services"}),
            categories=frozenset({"third_party", "unconventional_sex"}),
            human_decision="released",
            new_evidence=False,
        ),
    ]


def bench_evaluation(policy: str, rounds: int) -> tuple[float, float]:
    """Median and 99th percentile µs per evaluation, over batches of the sample mix."""
    evaluator = RuleEvaluator(load_policy(policy).policy)
    facts = sample_facts()
    per_batch: list[float] = []
    for _ in range(rounds // len(facts)):
        start = time.perf_counter_ns()
        for item in facts:
            evaluator.evaluate(item)
        per_batch.append((time.perf_counter_ns() - start) / 1000 / len(facts))
    per_batch.sort()
    return statistics.median(per_batch), per_batch[int(len(per_batch) * 0.99)]


def bench_stage(policy: str, adverts: int) -> float:
    """Median µs of the pipeline's policy stage over real checks (adverts share a few numbers)."""
    stages: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        with Guard.open(url, policy=policy, hmac_key=secrets.token_bytes(32)) as guard:
            for i in range(adverts):
                decision = guard.check(
                    {
                        "id": f"b-{i}",
                        "account_id": f"acc-{i % 40}",
                        "alias": f"name{i % 7}",
                        "body": f"She is new in town, call 07700 900{i % 50:03d}.",
                    }
                )
                stages.append(decision.timings.stages["policy"] * 1000)
    return statistics.median(stages)


def write_section(text: str, path: Path = BENCHMARKS) -> None:
    report.write_section("policy", text, path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--policy", default="uk-default")
    parser.add_argument("--rounds", type=int, default=60_000)
    parser.add_argument("--adverts", type=int, default=300)
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args(argv)

    median, p99 = bench_evaluation(args.policy, args.rounds)
    stage = bench_stage(args.policy, args.adverts)
    verdict = "within" if median <= TARGET_US else "OVER"
    machine = (
        f"{_cpu_name()}, {platform.system()} "
        f"{platform.release()}, Python {platform.python_version()}"
    )
    command = "python -m benchmarks.policy_eval" + (
        f" --policy {args.policy}" if args.policy != "uk-default" else ""
    )
    section = f"""## Policy evaluation ({args.policy})

| measure | µs per advert |
|---|---|
| rule evaluation, median | {median:.2f} |
| rule evaluation, p99 | {p99:.2f} |
| pipeline policy stage (facts incl. 24h counter query + evaluation), median | {stage:.1f} |

Target: evaluation ≤ {TARGET_US:.0f} µs per advert ({verdict} target).
Command: `{command}` ({args.rounds} evaluations over a mix of six fact sets; {args.adverts}
checks against a temporary SQLite store for the stage).
Machine: {machine}, {_cpus()} CPUs.
"""
    print(section)
    if not args.no_write:
        write_section(section)
    return 0 if median <= TARGET_US else 1


def _cpus() -> str:
    return str(os.cpu_count() or "?")


def _cpu_name() -> str:
    return cpu_model()


if __name__ == "__main__":
    sys.exit(main())
