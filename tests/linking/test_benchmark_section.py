from pathlib import Path

from benchmarks.linking import write_section


def test_section_is_written_between_markers_and_nothing_else_changes(tmp_path: Path) -> None:
    path = tmp_path / "BENCHMARKS.md"
    write_section("first\n", path)
    assert path.read_text() == "<!-- linking:start -->\nfirst\n<!-- linking:end -->\n"
    path.write_text("# Benchmarks\n\nother\n\n" + path.read_text() + "\ntail\n")
    write_section("second\n", path)
    text = path.read_text()
    assert text.startswith("# Benchmarks\n\nother\n\n<!-- linking:start -->\nsecond\n")
    assert text.endswith("<!-- linking:end -->\n\ntail\n")
    assert "first" not in text
