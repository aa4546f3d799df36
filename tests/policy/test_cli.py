"""`asw-guard policy check|test|diff`: exit codes, one line per problem, no stack traces."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from asw_guard import Guard
from asw_guard.cli import cli

from ..conftest import TEST_KEY

ROOT = Path(__file__).parents[2]


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), env=env)
    return result.exit_code, result.stdout, result.stderr


def test_check_ready_policies_and_files() -> None:
    code, out, _ = run("policy", "check", "uk-default", str(ROOT / "policies" / "strict.yaml"))
    assert code == 0
    assert "uk-default: ok" in out
    assert "strict.yaml: ok" in out


def test_check_bad_file_one_line_per_problem(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        'id: t\nversion: "1"\nrules:\n  - id: r\n    when: {indicator: youth_langage}\n'
        "    action: hold\nmarkt: {}\n"
    )
    code, out, err = run("policy", "check", str(bad))
    assert code == 1
    assert out == ""
    assert "Traceback" not in err
    assert err.splitlines() == [
        f"{bad}:7: markt: unknown key (did you mean 'market'?)",
    ]
    bad.write_text(
        'id: t\nversion: "1"\nrules:\n  - id: r\n'
        "    when: {indicator: youth_langage}\n    action: hold\n"
    )
    code, _, err = run("policy", "check", str(bad))
    assert code == 1
    assert err.splitlines() == [
        f"{bad}:5: rules.0.when.indicator: unknown indicator 'youth_langage' "
        "(did you mean 'youth_language'?)"
    ]


@pytest.mark.parametrize("text", ["id: [unclosed\n", "{", "id: t\n\tversion: 1\n"])
def test_check_yaml_syntax_errors(tmp_path: Path, text: str) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(text)
    code, _, err = run("policy", "check", str(bad))
    assert code == 1
    assert "Traceback" not in err
    assert err.startswith(f"{bad}:")
    assert "not valid YAML" in err


def test_check_missing_file(tmp_path: Path) -> None:
    code, _, err = run("policy", "check", str(tmp_path / "nope.yaml"))
    assert code == 1
    assert "cannot read policy file" in err


def test_policy_test_passes_and_fails(tmp_path: Path) -> None:
    code, out, _ = run("policy", "test", "uk-default", str(ROOT / "policies/cases/uk-default"))
    assert code == 0, out
    assert "0 failed" in out
    (tmp_path / "wrong.yaml").write_text(
        "description: deliberately wrong\n"
        "advert: {id: a, account_id: b, body: 'Hello, call 07700 900111.'}\n"
        "expect: reject\n"
    )
    (tmp_path / "broken.yaml").write_text("advert: {id: a}\n")
    code, out, _ = run("policy", "test", "uk-default", str(tmp_path))
    assert code == 1
    assert "FAIL wrong.yaml: deliberately wrong" in out
    assert "expected reject, got allow" in out
    assert "FAIL broken.yaml" in out
    assert "0 passed, 2 failed" in out


def test_policy_test_empty_or_missing_folder(tmp_path: Path) -> None:
    code, _, err = run("policy", "test", "uk-default", str(tmp_path))
    assert code == 1
    assert "no cases found" in err
    code, _, err = run("policy", "test", "uk-default", str(tmp_path / "none"))
    assert code == 1
    assert "no such folder" in err


def _adverts(path: Path) -> Path:
    rows = [
        {"id": f"ad-{i}", "account_id": f"acc-{i}", "alias": name, "body": "Call 07700 900120."}
        for i, name in enumerate(["Anna", "Bella", "Cleo", "Dana"])
    ]
    # A number far from the others: close numbers would link it to them.
    rows.append({"id": "teen-1", "account_id": "acc-t", "body": "Teen, call 07700 900621."})
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    return path


def test_diff_on_adverts(tmp_path: Path) -> None:
    adverts = _adverts(tmp_path / "ads.jsonl")
    code, out, _ = run("policy", "diff", "strict", "--adverts", str(adverts), "--json")
    assert code == 0, out
    report = json.loads(out)
    assert report["compared"] == 5
    changes = {(t["from"], t["to"]): t for t in report["transitions"] if t["from"] != t["to"]}
    assert ("flag", "hold") in changes
    assert "teen-1" in changes[("flag", "hold")]["examples"]
    assert report["changed"] == sum(t["count"] for t in changes.values())
    code, out, _ = run("policy", "diff", "strict", "--adverts", str(adverts))
    assert "would change action" in out
    assert "flag -> hold" in out


def test_diff_same_policy_changes_nothing(tmp_path: Path) -> None:
    adverts = _adverts(tmp_path / "ads.jsonl")
    code, out, _ = run("policy", "diff", "uk-default", "--adverts", str(adverts))
    assert code == 0
    assert "5 adverts compared, 0 would change action" in out


def test_diff_on_stored_snapshots(tmp_path: Path) -> None:
    db = tmp_path / "g.db"
    with Guard.open(f"sqlite:///{db}", policy="observe-only", hmac_key=TEST_KEY) as guard:
        guard.check({"id": "plain", "account_id": "a", "body": "Hello, call 07700 900130."})
    with Guard.open(f"sqlite:///{db}", policy="strict", hmac_key=TEST_KEY) as guard:
        guard.check({"id": "teen", "account_id": "b", "body": "Teen, call 07700 900131."})
    env = {"ASW_GUARD_HMAC_KEY": TEST_KEY.hex()}
    code, out, _ = run(
        "policy", "diff", "uk-default", "--store", f"sqlite:///{db}", "--json", env=env
    )
    assert code == 0, out
    report = json.loads(out)
    # Only the held advert has a snapshot; the allowed one cannot be replayed.
    assert report["compared"] == 1
    assert report["skipped"] == 1
    assert report["transitions"] == [
        {"from": "hold", "to": "flag", "count": 1, "examples": ["teen"]}
    ]


def test_diff_needs_exactly_one_source(tmp_path: Path) -> None:
    code, _, err = run("policy", "diff", "strict")
    assert code == 1
    assert "exactly one of" in err
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x"}\n')
    code, _, err = run("policy", "diff", "strict", "--adverts", str(bad))
    assert code == 1
    assert f"{bad}:1: not an advert" in err


def test_live_shadow_counts_without_changing_live_decisions(guard: Guard) -> None:
    from asw_guard.policy import load_policy
    from asw_guard.policy.shadow import LiveShadow

    shadow = LiveShadow(guard, load_policy("strict"))
    plain = shadow.check({"id": "p", "account_id": "a", "body": "Hello, call 07700 900160."})
    teen = shadow.check({"id": "t", "account_id": "b", "body": "Teen, call 07700 900161."})
    shadow.check({"id": "t", "account_id": "b", "body": "Teen, call 07700 900161."})  # repeat
    assert (plain.action.value, teen.action.value) == ("allow", "flag")
    assert guard.decision("t") == teen  # the live decision is what was stored
    assert shadow.report.compared == 2
    assert shadow.report.changed == 1
    assert "  flag -> hold: 1 (stricter; e.g. t)" in shadow.report.lines()
