"""The root `asw-guard` group that every sub-command module registers on."""

from __future__ import annotations

import click

from asw_guard._version import __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="asw-guard")
def cli() -> None:
    """Trafficking and exploitation indicators, cross-account links and policy decisions
    for adult-services listing pipelines."""


@cli.command()
def version() -> None:
    """Print the engine version."""
    click.echo(__version__)
