"""Stores: the `Store` protocol and `open_store(url)`.

Extension point: a package registers another store under the entry-point group
`asw_guard.stores`, named by its URL scheme (e.g. `postgresql`), pointing at a callable
`(url: str) -> Store`.
"""

from __future__ import annotations

from importlib.metadata import entry_points
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from asw_guard.errors import ConfigError
from asw_guard.store.base import (
    AdvertFacts,
    CheckRecord,
    ClusterSummary,
    Event,
    IdentifierHit,
    IdentifierKey,
    LinkEdge,
    Store,
)
from asw_guard.store.sqlite import SQLiteStore

__all__ = [
    "DEFAULT_URL",
    "AdvertFacts",
    "CheckRecord",
    "ClusterSummary",
    "Event",
    "IdentifierHit",
    "IdentifierKey",
    "LinkEdge",
    "SQLiteStore",
    "Store",
    "open_store",
]

DEFAULT_URL = "sqlite:///asw-guard.db"


def open_store(url: str | Path | None = None) -> Store:
    """Open the store named by a URL: `sqlite:///path.db` (the default), or a plain file path."""
    if url is None:
        url = DEFAULT_URL
    text = str(url)
    if "://" not in text:
        return SQLiteStore(text)
    parts = urlsplit(text)
    if parts.scheme == "sqlite":
        # sqlite:///relative.db and sqlite:////absolute.db, as in SQLAlchemy.
        path = text.split("://", 1)[1].split("?", 1)[0]
        path = path[1:] if path.startswith("/") else path
        if not path:
            raise ConfigError(f"store URL {text!r} names no file")
        options = parse_qs(parts.query)
        sync = options.get("synchronous", ["normal"])[0].lower()
        return SQLiteStore(path, synchronous=sync)
    for ep in entry_points(group="asw_guard.stores"):
        if ep.name == parts.scheme:
            factory = ep.load()
            store: Store = factory(text)
            return store
    raise ConfigError(
        f"no store for {parts.scheme!r} URLs; install the extra that provides it "
        f"(e.g. asw-guard[postgres]) or use sqlite:///path.db"
    )
