"""Helpers for tests that run the real `asw-guard` command in a child process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from .conftest import TEST_KEY

CLI = [sys.executable, "-m", "asw_guard.cli"]


def cli_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env["ASW_GUARD_HMAC_KEY"] = TEST_KEY.hex()
    env.update(extra)
    return env


def run_cli(*args: str | Path, cwd: Path, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*CLI, *map(str, args)],
        cwd=cwd,
        env=cli_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
