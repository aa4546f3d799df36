"""The `asw-guard` command. Each sub-command lives in a module of its own in this package,
registering itself on the root group in `app.py`; importing it here is what switches it on.
"""

from __future__ import annotations

from asw_guard.cli import (  # noqa: F401  (each registers its commands)
    check,
    demo,
    indicators,
    keygen,
    policy,
)
from asw_guard.cli.app import cli

__all__ = ["cli", "main"]


def main() -> None:
    cli(prog_name="asw-guard")
