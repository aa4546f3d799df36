"""The benchmark writes only its own section of BENCHMARKS.md."""

from __future__ import annotations

from pathlib import Path

from benchmarks.indicators import END, START, write


def test_writes_between_markers_only(tmp_path: Path) -> None:
    path = tmp_path / "BENCHMARKS.md"
    path.write_text(f"# Benchmarks\n\nOther section.\n\n{START}\nold\n{END}\n\nTail.\n")
    write(f"{START}\nnew\n{END}", path)
    assert path.read_text() == f"# Benchmarks\n\nOther section.\n\n{START}\nnew\n{END}\n\nTail.\n"


def test_creates_the_file_with_markers(tmp_path: Path) -> None:
    path = tmp_path / "BENCHMARKS.md"
    write(f"{START}\nnew\n{END}", path)
    assert path.read_text() == f"{START}\nnew\n{END}\n"
