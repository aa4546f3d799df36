"""`asw-guard indicators`: the indicator catalogue as a table, JSON or the generated docs."""

from __future__ import annotations

import json
from dataclasses import asdict

import click
from rich.console import Console
from rich.table import Table

from asw_guard.cli.app import cli
from asw_guard.indicators import default_registry
from asw_guard.indicators.docs import markdown


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.option("--markdown", "as_markdown", is_flag=True, help="The docs/indicators.md page.")
def indicators(as_json: bool, as_markdown: bool) -> None:
    """List every indicator: id, category, weight, default on/off and sources."""
    specs = default_registry().specs()
    if as_json:
        click.echo(json.dumps([asdict(s) for s in specs], indent=2, ensure_ascii=False))
        return
    if as_markdown:
        click.echo(markdown(specs), nl=False)
        return
    table = Table(title=f"{len(specs)} indicators")
    for column in ("id", "category", "weight", "default", "scope", "sources"):
        table.add_column(
            column,
            justify="right" if column == "weight" else "left",
            no_wrap=column != "sources",
        )
    for s in specs:
        default = "on" if s.enabled_by_default else "off"
        table.add_row(
            s.id,
            s.category,
            f"{s.default_weight:.2f}",
            default + (" (sensitive)" if s.sensitive else ""),
            s.scope,
            ", ".join(s.sources),
        )
    console = Console()
    # Piped output has no terminal width; rich would squeeze the table into 80 columns.
    if not console.is_terminal:
        console = Console(width=160)
    console.print(table)
