"""Options and helpers shared by sub-commands: logging set-up, opening a guard, clean errors."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

import click

from asw_guard.errors import GuardError
from asw_guard.logs import configure_logging

P = ParamSpec("P")
R = TypeVar("R")

LEVELS = ("debug", "info", "warning", "error")


def logging_options(fn: Callable[P, R]) -> Callable[P, R]:
    """`--log-level` and `--log-json`; logs go to stderr so stdout stays machine-readable."""
    fn = click.option(
        "--log-json/--log-pretty",
        default=None,
        help="Log format on stderr (default: pretty on a terminal, JSON otherwise).",
    )(fn)
    return click.option(
        "--log-level",
        type=click.Choice(LEVELS),
        default="warning",
        show_default=True,
        help="Least severe log level written to stderr.",
    )(fn)


def setup_logging(level: str, as_json: bool | None) -> None:
    configure_logging(json=as_json, level=getattr(logging, level.upper()), stream=sys.stderr)


def clean_errors(fn: Callable[P, R]) -> Callable[P, R]:
    """Turn the library's errors into one line on stderr and exit code 2, never a traceback."""

    @wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return fn(*args, **kwargs)
        except GuardError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(2)
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            sys.exit(130)

    return wrapper


store_option = click.option(
    "--store",
    default=None,
    metavar="URL",
    help="Store URL, e.g. sqlite:///guard.db (default: guard.db in the working folder).",
)
policy_option = click.option(
    "--policy",
    default="uk-default",
    show_default=True,
    metavar="NAME|FILE",
    help="A ready policy name or a policy YAML file.",
)
key_file_option = click.option(
    "--hmac-key-file",
    type=click.Path(dir_okay=False, path_type=str),
    default=None,
    help="File holding the link-index key (default: $ASW_GUARD_HMAC_KEY or "
    "$ASW_GUARD_HMAC_KEY_FILE).",
)


#: Below this many adverts, starting a worker process costs more than it saves.
MIN_FOR_WORKERS = 2_000


def default_workers(total: int | None) -> int:
    """One worker process for a long run on a machine with a spare core, else none."""
    return 1 if (os.cpu_count() or 1) >= 2 and (total is None or total >= MIN_FOR_WORKERS) else 0
