"""`asw-guard check adverts.jsonl`: JSON Lines of adverts in, JSON Lines of decisions out."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from itertools import islice
from pathlib import Path
from typing import TextIO

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from asw_guard.cli.app import cli
from asw_guard.cli.common import (
    clean_errors,
    key_file_option,
    logging_options,
    policy_option,
    setup_logging,
    store_option,
)
from asw_guard.errors import FieldProblem, InvalidAdvert
from asw_guard.guard import Guard
from asw_guard.models import Decision

#: Adverts per transaction: fewer commits, and a kill loses at most one unfinished batch.
BATCH = 64


def numbered_lines(stream: Iterable[bytes]) -> Iterator[tuple[int, str | InvalidAdvert]]:
    """Each non-blank line with its number, decoded; a line that is not UTF-8 is an error."""
    for number, raw in enumerate(stream, start=1):
        if not raw.strip():
            continue
        try:
            yield number, raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            yield number, InvalidAdvert([FieldProblem("", f"not valid UTF-8 (byte {exc.start})")])


def count_lines(path: Path) -> int | None:
    try:
        with path.open("rb") as fh:
            return sum(1 for line in fh if line.strip())
    except OSError:
        return None


def progress_bar(enabled: bool) -> Progress:
    """A bar on stderr; messages printed through its console stay above it."""
    return Progress(
        TextColumn("checking"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True, soft_wrap=True, highlight=False),
        disable=not enabled,
        transient=False,
    )


def problem_line(number: int, err: InvalidAdvert) -> str:
    """One line a person reads: where, which advert, every field and what is wrong with it."""
    who = f" advert {err.advert_id!r}" if err.advert_id else ""
    return f"line {number}:{who} invalid advert: {err}"


@cli.command()
@click.argument("adverts", type=click.Path(dir_okay=False, allow_dash=True, path_type=Path))
@store_option
@policy_option
@key_file_option
@click.option(
    "-o",
    "--output",
    type=click.File("w", encoding="utf-8"),
    default="-",
    help="Where decisions go, one JSON object per line (default: stdout).",
)
@click.option("--fail-fast", is_flag=True, help="Stop at the first invalid line.")
@click.option(
    "--progress/--no-progress",
    default=None,
    help="Progress bar on stderr (default: when stderr is a terminal).",
)
@logging_options
@clean_errors
def check(
    adverts: Path,
    store: str | None,
    policy: str,
    hmac_key_file: str | None,
    output: TextIO,
    fail_fast: bool,
    progress: bool | None,
    log_level: str,
    log_json: bool | None,
) -> None:
    """Check every advert in a JSON Lines file and write one decision per line.

    An invalid line is reported on stderr as one line with its number; the others are still
    checked unless --fail-fast. Exit code 1 when any line failed, 2 on a configuration error.
    Re-running the same file is safe: adverts already decided are not checked again.
    """
    setup_logging(log_level, log_json)
    show = sys.stderr.isatty() if progress is None else progress
    total = None if str(adverts) == "-" else count_lines(adverts)
    failed = 0
    done = 0
    with (
        Guard.open(store, policy, hmac_key_file=hmac_key_file) as guard,
        click.open_file(str(adverts), "rb") as stream,
        progress_bar(show) as bar,
    ):
        task = bar.add_task("check", total=total)
        lines = numbered_lines(stream)
        stop = False
        while not stop and (chunk := list(islice(lines, BATCH))):
            decided: list[Decision] = []
            # One transaction per batch; output is written only once the batch is committed.
            with guard.store.batch():
                for number, line in chunk:
                    bar.advance(task)
                    try:
                        if isinstance(line, InvalidAdvert):
                            raise line
                        decided.append(guard.check(line))
                    except InvalidAdvert as err:
                        failed += 1
                        bar.console.print(problem_line(number, err), markup=False)
                        if fail_fast:
                            stop = True
                            break
            output.writelines(d.model_dump_json() + "\n" for d in decided)
            done += len(decided)
        output.flush()
    if failed:
        click.echo(f"{done} adverts checked, {failed} lines failed", err=True)
        sys.exit(1)
