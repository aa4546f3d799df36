"""The `asw-guard` command as a user runs it: a real child process, real files."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from asw_guard import __version__

from .helpers import run_cli


def write_jsonl(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def good(i: int) -> str:
    return json.dumps(
        {"id": f"ad-{i}", "account_id": f"acc-{i}", "body": f"Call me on 07700 900{i:03d}."}
    )


def test_version(tmp_path: Path) -> None:
    out = run_cli("version", cwd=tmp_path)
    assert out.returncode == 0
    assert out.stdout.strip() == __version__


def test_check_writes_one_decision_per_good_line(tmp_path: Path) -> None:
    src = write_jsonl(tmp_path / "in.jsonl", [good(i) for i in range(5)])
    out = run_cli("check", src, "--store", "sqlite:///g.db", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    decisions = [json.loads(line) for line in out.stdout.splitlines()]
    assert [d["advert_id"] for d in decisions] == [f"ad-{i}" for i in range(5)]
    assert {d["policy_id"] for d in decisions} == {"uk-default"}
    assert (tmp_path / "g.db").exists()


def test_bad_lines_are_reported_with_their_number_and_the_rest_still_checked(
    tmp_path: Path,
) -> None:
    src = tmp_path / "in.jsonl"
    src.write_bytes(
        b"\n".join(
            [
                good(1).encode(),
                b'{"id": "ad-2", "account_id": 7, "body": "x", "advertised_age": "19"}',
                b"this is not json",
                b'{"id": "ad-4", "account_id": "a", "body": "\xff\xfe broken"}',
                json.dumps({"id": "ad-5", "account_id": "a", "body": "y" * 10_000_000}).encode(),
                good(6).encode(),
            ]
        )
        + b"\n"
    )
    out = run_cli("check", src, "--store", "sqlite:///g.db", cwd=tmp_path)
    assert out.returncode == 1
    assert "Traceback" not in out.stderr
    errors = [line for line in out.stderr.splitlines() if line.startswith("line ")]
    assert len(errors) == 4
    assert errors[0].startswith("line 2: advert 'ad-2' invalid advert:")
    assert "account_id" in errors[0] and "advertised_age" in errors[0]
    assert errors[1].startswith("line 3:") and "not valid JSON" in errors[1]
    assert errors[2].startswith("line 4:") and "UTF-8" in errors[2]
    assert errors[3].startswith("line 5: advert 'ad-5'") and "body" in errors[3]
    assert "y" * 100 not in out.stderr
    checked = [json.loads(line)["advert_id"] for line in out.stdout.splitlines()]
    assert checked == ["ad-1", "ad-6"]


def test_fail_fast_stops_at_the_first_bad_line(tmp_path: Path) -> None:
    src = write_jsonl(tmp_path / "in.jsonl", [good(1), "{}", good(3)])
    out = run_cli("check", src, "--fail-fast", "--store", "sqlite:///g.db", cwd=tmp_path)
    assert out.returncode == 1
    assert [json.loads(x)["advert_id"] for x in out.stdout.splitlines()] == ["ad-1"]


def test_rerun_stores_nothing_new_and_a_bad_file_touches_nothing(tmp_path: Path) -> None:
    src = write_jsonl(tmp_path / "in.jsonl", [good(i) for i in range(20)])
    first = run_cli("check", src, "--store", "sqlite:///g.db", cwd=tmp_path)
    second = run_cli("check", src, "--store", "sqlite:///g.db", cwd=tmp_path)
    assert first.returncode == second.returncode == 0
    assert first.stdout == second.stdout
    bad = write_jsonl(tmp_path / "bad.jsonl", ["{", '{"id": 1}'])
    assert run_cli("check", bad, "--store", "sqlite:///g.db", cwd=tmp_path).returncode == 1
    with sqlite3.connect(tmp_path / "g.db") as con:
        assert con.execute("SELECT count(*) FROM decisions").fetchone() == (20,)


def test_configuration_errors_are_one_line(tmp_path: Path) -> None:
    src = write_jsonl(tmp_path / "in.jsonl", [good(1)])
    out = run_cli("check", src, "--policy", "no-such-policy", cwd=tmp_path)
    assert out.returncode == 2
    assert "Traceback" not in out.stderr
    assert out.stderr.strip().startswith("error:")


def test_keygen_prints_a_usable_key(tmp_path: Path) -> None:
    out = run_cli("keygen", cwd=tmp_path)
    assert out.returncode == 0
    key = out.stdout.strip()
    assert len(bytes.fromhex(key)) == 32


def test_demo_runs_a_small_market_and_summarises_it(tmp_path: Path) -> None:
    out = run_cli("demo", "--out", tmp_path / "d", "--adverts", "600", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert "throwaway HMAC key" in out.stdout
    assert "Networks found" in out.stdout
    summary = json.loads((tmp_path / "d" / "summary.json").read_text())
    assert summary["adverts"] == 600
    assert summary["networks_planted"] >= 3
    assert sum(summary["by_action"].values()) == 600
    assert (tmp_path / "d" / "market" / "truth.json").exists()
    report = (tmp_path / "d" / "report.html").read_text()
    assert "planted network" in report and "<svg" in report
    assert "<script" not in report
