"""`asw-guard keygen`: a fresh random link-index key."""

from __future__ import annotations

import click

from asw_guard.cli.app import cli
from asw_guard.secrets import HMAC_KEY_ENV, new_key


@cli.command()
def keygen() -> None:
    """Print a new random HMAC key (hex) for ASW_GUARD_HMAC_KEY.

    Keep it secret and keep it: adverts hashed with one key never link to adverts hashed
    with another, so a store refuses a different key.
    """
    click.echo(new_key())
    click.echo(
        f"# export {HMAC_KEY_ENV}=<the line above>; store it like any other secret", err=True
    )
