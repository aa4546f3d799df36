"""The policy benchmark writes only its own section of BENCHMARKS.md."""

from __future__ import annotations

from pathlib import Path

from benchmarks.policy_eval import END, START, bench_evaluation, write_section


def test_write_section_touches_nothing_else(tmp_path: Path) -> None:
    path = tmp_path / "BENCHMARKS.md"
    path.write_text(f"# Results\n\nother\n\n{START}\nold\n{END}\n\ntail\n")
    write_section("new", path)
    assert path.read_text() == f"# Results\n\nother\n\n{START}\nnew\n{END}\n\ntail\n"


def test_evaluation_is_fast_enough_to_measure() -> None:
    median, p99 = bench_evaluation("uk-default", 600)
    assert 0 < median <= p99
