"""Shared fixtures: a real SQLite file per test, and a throwaway HMAC key."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from asw_guard import Guard

TEST_KEY = bytes(range(32))


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "guard.db"


@pytest.fixture
def guard(db_path: Path) -> Iterator[Guard]:
    with Guard.open(f"sqlite:///{db_path}", hmac_key=TEST_KEY) as g:
        yield g
