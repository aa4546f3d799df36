"""Each benchmark rewrites only its own section of BENCHMARKS.md."""

from __future__ import annotations

from pathlib import Path

from benchmarks.report import HEADER, write_section


def test_a_new_file_gets_the_header_and_the_section(tmp_path: Path) -> None:
    path = tmp_path / "BENCHMARKS.md"
    write_section("linking", "first", path)
    assert (
        path.read_text()
        == HEADER.rstrip() + "\n\n<!-- linking:start -->\nfirst\n<!-- linking:end -->\n"
    )


def test_only_the_named_section_changes(tmp_path: Path) -> None:
    path = tmp_path / "BENCHMARKS.md"
    b = "<!-- b:start -->\nold b\n<!-- b:end -->\ntail\n"
    path.write_text("# B\n\n<!-- a:start -->\nold a\n<!-- a:end -->\n\n" + b)
    write_section("a", "<!-- a:start -->\nnew a\n<!-- a:end -->", path)  # markers not doubled
    assert path.read_text() == "# B\n\n<!-- a:start -->\nnew a\n<!-- a:end -->\n\n" + b
