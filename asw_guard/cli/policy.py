"""`asw-guard policy`: check, test and compare operator policies without a developer."""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path

import click
import structlog

from asw_guard.cli.app import cli
from asw_guard.errors import ConfigError, GuardError
from asw_guard.logs import configure_logging
from asw_guard.policy import load_policy
from asw_guard.policy.cases import run_cases
from asw_guard.policy.shadow import diff_adverts, diff_store, read_jsonl
from asw_guard.secrets import load_hmac_key


def _fail(message: str) -> None:
    # One line per problem on stderr and exit 1: never a stack trace for a bad file.
    click.echo(message, err=True)
    sys.exit(1)


@cli.group()
def policy() -> None:
    """Check, test and compare operator policies."""
    # These commands open throwaway stores; their routine log lines would bury the report.
    if not structlog.is_configured():
        configure_logging(level=logging.WARNING)


@policy.command("check")
@click.argument("files", nargs=-1, required=True)
def check(files: tuple[str, ...]) -> None:
    """Validate policy files (or ready policy names); one line per problem."""
    failed = False
    for name in files:
        try:
            loaded = load_policy(name)
        except ConfigError as exc:
            click.echo(str(exc), err=True)
            failed = True
            continue
        p = loaded.policy
        click.echo(f"{name}: ok ({p.id} {p.version}, {len(p.rules)} rules, {loaded.content_hash})")
    if failed:
        sys.exit(1)


@policy.command("test")
@click.argument("policy_name", metavar="POLICY")
@click.argument("cases_dir", type=click.Path(path_type=Path))
def test(policy_name: str, cases_dir: Path) -> None:
    """Run the YAML cases in CASES_DIR against POLICY (a file or a ready name)."""
    try:
        loaded = load_policy(policy_name)
        passed = failed = 0
        for result in run_cases(loaded, cases_dir):
            if result.passed:
                passed += 1
                click.echo(f"PASS {result.name}")
            else:
                failed += 1
                click.echo(f"FAIL {result.name}: {result.description}")
                for failure in result.failures:
                    click.echo(f"     {failure}")
    except GuardError as exc:
        _fail(str(exc))
        return
    click.echo(f"{passed} passed, {failed} failed ({loaded.policy.id}, {loaded.content_hash})")
    if failed or not passed:
        if not passed and not failed:
            click.echo(f"{cases_dir}: no cases found", err=True)
        sys.exit(1)


@policy.command("diff")
@click.argument("candidate")
@click.option(
    "--adverts",
    type=click.Path(path_type=Path, exists=True, dir_okay=False),
    help="JSON Lines of adverts, replayed in order under both policies (most faithful).",
)
@click.option(
    "--store", "store_url", help="Store URL: replay the adverts kept as review snapshots."
)
@click.option("--live", default="uk-default", show_default=True, help="Live policy (--adverts).")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def diff(
    candidate: str, adverts: Path | None, store_url: str | None, live: str, as_json: bool
) -> None:
    """How many adverts CANDIDATE would decide differently from the live policy, and how."""
    if (adverts is None) == (store_url is None):
        _fail("give exactly one of --adverts FILE or --store URL")
        return
    try:
        cand = load_policy(candidate)
        if adverts is not None:
            report = diff_adverts(load_policy(live), cand, read_jsonl(adverts), str(adverts))
        else:
            assert store_url is not None
            report = diff_store(store_url, cand, load_hmac_key())
    except GuardError as exc:
        _fail(str(exc))
        return
    if as_json:
        click.echo(json.dumps(report.as_dict(), indent=2))
    else:
        for line in report.lines():
            click.echo(line)
