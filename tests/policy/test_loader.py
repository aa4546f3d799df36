"""Loading policy files: every problem on its own line, naming file, line and key."""

from __future__ import annotations

from pathlib import Path

import pytest

from asw_guard.errors import PolicyError
from asw_guard.policy import READY_POLICIES, load_policy, parse_policy
from asw_guard.policy.schema import parse_window

GOOD = """\
id: test
version: "1"
rules:
  - id: high
    when:
      band_at_least: high
    action: hold
"""


def problems(text: str) -> list[str]:
    with pytest.raises(PolicyError) as info:
        parse_policy(text, source="p.yaml")
    return str(info.value).splitlines()


def test_ready_policies_load_with_a_content_hash() -> None:
    hashes = {load_policy(name).content_hash for name in READY_POLICIES}
    assert len(hashes) == len(READY_POLICIES)
    assert all(h.startswith("sha256:") for h in hashes)


def test_symlinked_policies_folder_matches_the_packaged_ones() -> None:
    root = Path(__file__).parents[2] / "policies"
    for name in READY_POLICIES:
        assert load_policy(root / f"{name}.yaml").content_hash == load_policy(name).content_hash


def test_content_hash_ignores_comments_and_layout() -> None:
    assert parse_policy(GOOD).content_hash == parse_policy("# note\n" + GOOD).content_hash
    assert (
        parse_policy(GOOD).content_hash != parse_policy(GOOD.replace("hold", "flag")).content_hash
    )


def test_unknown_top_level_key_suggests_the_nearest() -> None:
    assert problems(GOOD + "defualt_action: allow\n") == [
        "p.yaml:8: defualt_action: unknown key (did you mean 'default_action'?)"
    ]


@pytest.mark.parametrize(
    ("snippet", "expected"),
    [
        (
            "    when: {band_at_leest: high}\n",
            "rules.0.when.band_at_leest: unknown key (did you mean 'band_at_least'?)",
        ),
        (
            "    when: {cluster: {size_atleast: 2}}\n",
            "rules.0.when.cluster.size_atleast: unknown key (did you mean 'size_at_least'?)",
        ),
        (
            "    when: {any: [{not: {verifed: true}}]}\n",
            "rules.0.when.any.0.not.verifed: unknown key (did you mean 'verified'?)",
        ),
        (
            "    when: {identifier_count: {kind: phone, windw: 24h, at_least: 2}}\n",
            "rules.0.when.identifier_count.windw: unknown key (did you mean 'window'?)",
        ),
    ],
)
def test_unknown_keys_at_any_depth(snippet: str, expected: str) -> None:
    text = f'id: t\nversion: "1"\nrules:\n  - id: r\n    action: hold\n{snippet}'
    assert problems(text) == [f"p.yaml:6: {expected}"]


def test_unknown_keys_in_market_retention_messages_and_indicators() -> None:
    text = (
        'id: t\nversion: "1"\nmarket:\n  curency: GBP\nretention:\n  snapshot_dayz: 3\n'
        "messages:\n  hodl: x\nindicators:\n  new_in_town: {wieght: 0.1}\n"
    )
    assert problems(text) == [
        "p.yaml:4: market.curency: unknown key (did you mean 'currency'?)",
        "p.yaml:6: retention.snapshot_dayz: unknown key (did you mean 'snapshot_days'?)",
        "p.yaml:8: messages.hodl: unknown key (did you mean 'hold'?)",
        "p.yaml:10: indicators.new_in_town.wieght: unknown key (did you mean 'weight'?)",
    ]


def test_wrong_types_name_line_and_key() -> None:
    text = (
        'id: t\nversion: "1"\nbands:\n  high: lots\nrules:\n  - id: r\n    when:\n'
        "      indicator: 5\n      identifier_count: {kind: phone, window: 24hours, at_least: 0}\n"
        "    action: holdd\n"
    )
    lines = problems(text)
    assert lines[0].startswith("p.yaml:4: bands.high: Input should be a valid number")
    # A value that fits no branch of a union is one problem, reported once.
    assert sum("rules.0.when.indicator" in line for line in lines) == 1
    assert any(
        line.startswith("p.yaml:9: rules.0.when.identifier_count.window: not a time window")
        for line in lines
    )
    assert any("identifier_count.at_least" in line for line in lines)
    assert lines[-1].startswith("p.yaml:10: rules.0.action:")
    assert lines[-1].endswith("(did you mean 'hold'?)")
    assert lines == sorted(lines, key=lambda line: int(line.split(":")[1]))


def test_unknown_indicator_and_category_suggest_the_nearest() -> None:
    text = (
        'id: t\nversion: "1"\nindicators:\n  youth_langauge: {weight: 0.2}\nrules:\n'
        "  - id: r\n    when:\n      indicators_all: [new_in_twn]\n"
        "      any: [{category: third_prty}]\n    action: flag\n"
    )
    assert problems(text) == [
        "p.yaml:4: indicators.youth_langauge: unknown indicator 'youth_langauge' "
        "(did you mean 'youth_language'?)",
        "p.yaml:8: rules.0.when.indicators_all: unknown indicator 'new_in_twn' "
        "(did you mean 'new_in_town'?)",
        "p.yaml:9: rules.0.when.any.0.category: unknown category 'third_prty' "
        "(did you mean 'third_party'?)",
    ]


def test_yaml_syntax_error_names_the_line() -> None:
    (line,) = problems('id: t\nversion: "1"\nrules:\n  - id: r\n    when: {band: high\n')
    assert line.startswith("p.yaml:")
    assert "not valid YAML" in line


def test_duplicate_keys_are_refused() -> None:
    assert problems(GOOD + "id: other\n") == ["p.yaml:8: id: key given twice in one mapping"]


def test_duplicate_rule_ids_and_unordered_bands() -> None:
    (line,) = problems(GOOD + "  - id: high\n    when: {}\n    action: flag\n")
    assert line == "p.yaml:1: (top level): rule id 'high' is used twice"
    (line,) = problems(GOOD + "bands: {medium: 50, high: 40}\n")
    assert line == "p.yaml:8: bands: band thresholds must rise: medium <= high <= critical"


def test_missing_required_keys() -> None:
    assert problems('version: "1"\nrules:\n  - id: r\n    when: {}\n') == [
        "p.yaml:1: id: missing key",
        "p.yaml:3: rules.0.action: missing key",
    ]


@pytest.mark.parametrize("text", ["", "- a list\n", "just text\n"])
def test_not_a_mapping(text: str) -> None:
    assert problems(text) == ["p.yaml:1: a policy must be a mapping of keys to values"]


def test_missing_and_binary_files(tmp_path: Path) -> None:
    with pytest.raises(PolicyError, match="cannot read policy file"):
        load_policy(tmp_path / "absent.yaml")
    binary = tmp_path / "b.yaml"
    binary.write_bytes(b"\xff\xfe\x00bad")
    with pytest.raises(PolicyError, match="not UTF-8"):
        load_policy(binary)


def test_windows() -> None:
    assert parse_window("24h").total_seconds() == 86400
    assert parse_window("30m").total_seconds() == 1800
    assert parse_window("7d").days == 7
    with pytest.raises(ValueError, match="not a time window"):
        parse_window("a day")
    assert load_policy("uk-default").policy.windows() == frozenset({"24h"})


def test_a_sensitive_indicator_may_not_act_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    import dataclasses

    from asw_guard.indicators import load_specs
    from asw_guard.policy import loader

    specs = dict(load_specs())  # a copy: the catalogue is cached for everyone else
    specs["new_in_town"] = dataclasses.replace(specs["new_in_town"], sensitive=True)
    monkeypatch.setattr(loader, "load_specs", lambda: specs)
    alone = 'id: t\nversion: "1"\nrules:\n  - id: r\n    when: {indicator: new_in_town}\n'
    (line,) = problems(alone + "    action: flag\n")
    assert line.startswith("p.yaml:5: rules.0.when: sensitive indicator 'new_in_town' may not")
    anchored = alone.replace("new_in_town}", "new_in_town, categories_at_least: 2}")
    assert parse_policy(anchored + "    action: flag\n").policy.rules[0].id == "r"
    paired = alone.replace("indicator: new_in_town", "indicators_all: [new_in_town, body_marks]")
    assert parse_policy(paired + "    action: flag\n").policy.rules[0].id == "r"


def test_misspelt_values_suggest_the_nearest() -> None:
    text = (
        'id: t\nversion: "1"\non_error: hodl\nrules:\n  - id: r\n'
        "    when: {band_at_least: hihg,\n"
        "           identifier_count: {kind: phnoe, window: 1h, at_least: 2}}\n"
        "    action: flag\n"
    )
    lines = problems(text)
    assert lines[0].endswith("(did you mean 'hold'?)")
    assert lines[1].startswith("p.yaml:6: rules.0.when.band_at_least:")
    assert lines[1].endswith("(did you mean 'high'?)")
    assert lines[2].startswith("p.yaml:7: rules.0.when.identifier_count.kind:")
    assert lines[2].endswith("(did you mean 'phone'?)")
