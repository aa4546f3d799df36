"""The registry covers the catalogue both ways, the docs match it, and the command lists it."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from click.testing import CliRunner

from asw_guard.cli import cli
from asw_guard.indicators import DETECTORS, default_registry, load_specs
from asw_guard.indicators.docs import markdown

ROOT = Path(__file__).resolve().parents[2]
#: Ids that policies and operators already refer to; renaming one breaks them.
STABLE_IDS = {
    "third_person_language",
    "new_in_town",
    "unprotected_services",
    "youth_language",
    "obfuscated_contact",
    "shared_contact_distinct_people",
    "face_obscured",
    "body_marks",
}


def catalogue() -> dict[str, dict[str, object]]:
    path = ROOT / "asw_guard" / "indicators" / "data" / "catalogue.yaml"
    data: dict[str, dict[str, object]] = yaml.safe_load(path.read_text("utf-8"))
    return data


def test_every_catalogue_entry_has_a_detector_and_vice_versa() -> None:
    entries = catalogue()
    assert set(entries) == set(DETECTORS)
    registry = default_registry()
    assert [d.spec.id for d in registry] == list(entries)


def test_every_entry_names_its_row_of_the_shared_catalogue() -> None:
    rows = [e["source_row"] for e in catalogue().values() if e.get("source_row") is not None]
    assert sorted(rows) == list(range(1, len(rows) + 1)), "one entry per row, none missing"
    assert len(rows) >= 37
    for s in load_specs().values():
        assert s.title and s.description and s.sources and 0 < s.default_weight <= 1


def test_stable_ids_are_kept() -> None:
    assert set(load_specs()) >= STABLE_IDS
    for policy in (ROOT / "asw_guard" / "policy" / "ready").glob("*.yaml"):
        data = yaml.safe_load(policy.read_text("utf-8"))
        for ind_id in data.get("indicators", {}) or {}:
            assert ind_id in load_specs(), (policy.name, ind_id)


def test_sensitive_indicators_are_off_by_default() -> None:
    sensitive = {s.id for s in load_specs().values() if s.sensitive}
    assert "nationality_reference" in sensitive
    assert all(not load_specs()[i].enabled_by_default for i in sensitive)


def test_checklist_items() -> None:
    checklist = {s.id for s in load_specs().values() if s.scope == "checklist"}
    assert {"face_obscured", "body_marks", "same_background"} <= checklist


def test_docs_are_generated_from_the_registry() -> None:
    committed = (ROOT / "docs" / "indicators.md").read_text("utf-8")
    expected = markdown(default_registry().specs())
    assert committed == expected, (
        "docs/indicators.md is stale: run `asw-guard indicators --markdown > docs/indicators.md`"
    )


def test_command_lists_indicators() -> None:
    runner = CliRunner()
    table = runner.invoke(cli, ["indicators"])
    assert table.exit_code == 0, table.output
    assert "youth_language" in table.output and "nationality_reference" in table.output
    out = runner.invoke(cli, ["indicators", "--json"])
    assert out.exit_code == 0
    rows = json.loads(out.output)
    assert len(rows) == len(load_specs())
    by_id = {r["id"]: r for r in rows}
    assert by_id["nationality_reference"]["enabled_by_default"] is False
    assert by_id["new_in_town"]["sources"] == ["ECO", "OSCE"]
    md = runner.invoke(cli, ["indicators", "--markdown"])
    assert md.output == markdown(default_registry().specs())


KNOWN_LINK_TYPES = {
    # From the link index today.
    "phone", "email", "handle", "payment", "device", "ip", "address",
    # From link sources being built: near-duplicate text, rare tokens, photos, close numbers,
    # and scene similarity.
    "text", "rare_token", "photo", "close_number", "background",
}  # fmt: skip


def test_network_detectors_declare_the_link_types_they_read() -> None:
    for s in load_specs().values():
        if s.scope == "network":
            assert s.link_types, s.id
        assert set(s.link_types) <= KNOWN_LINK_TYPES, s.id
    from asw_guard.linking.identifiers import CONTACT_KINDS, STRONG_KINDS, WEAK_KINDS

    assert STRONG_KINDS | WEAK_KINDS | CONTACT_KINDS <= KNOWN_LINK_TYPES
    assert set(load_specs()["shared_contact_distinct_people"].link_types) == CONTACT_KINDS
