"""The embedded default store: one SQLite file in WAL mode, one transaction per check.

Durability: with `synchronous=NORMAL` (the default here) a committed check survives the process
being killed at any point; only a power failure can lose the last few commits. Pass
`?synchronous=full` in the URL to trade speed for that too. Committed pages are copied from
the log back into the file by a thread of the store's own (see `_Checkpointer`), not inside
the commit of whichever check happens to fill the log.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import sys
import threading
import uuid
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

from asw_guard.errors import StoreError
from asw_guard.models import Decision
from asw_guard.store.base import (
    Activity,
    AdvertRow,
    CheckRecord,
    ClusterSummary,
    Event,
    IdentifierHit,
    IdentifierKey,
    LinkEdge,
    SimilarityHit,
    Suppression,
)
from asw_guard.store.memindex import (
    CLOSE_KIND,
    TOKENS_KIND,
    SimilarityIndex,
    band_number,
    band_numbers,
    close_number,
    token_number,
)

GENESIS_HASH = "0" * 64
_KEYLOG_COLUMNS = "seq, advert_id, bands, photos, rare, tokens, close FROM keylog"
_SYNC_MODES = {"off", "normal", "full", "extra"}


def _now() -> str:
    return datetime.now(UTC).isoformat()


def _iso(moment: datetime) -> str:
    """UTC ISO text, so that timestamps compare correctly as strings."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat()


def _pack(values: Iterable[int]) -> bytes | None:
    data = array("Q", values)
    if sys.byteorder != "little":
        data.byteswap()
    return data.tobytes() or None


def _unpack(data: bytes | None) -> list[int]:
    if not data:
        return []
    out = array("Q")
    out.frombytes(data)
    if sys.byteorder != "little":
        out.byteswap()
    return out.tolist()


def _move_similarity_rows(db: sqlite3.Connection) -> None:
    """Schema 4: text band, photo chunk and rare-token rows become one key-log row per advert."""
    bands: dict[str, list[int]] = {}
    for key, advert_id in db.execute("SELECT key, advert_id FROM simkeys WHERE kind = 'text_band'"):
        bands.setdefault(advert_id, []).append(band_number(bytes(key)))
    photos: dict[str, list[int]] = {}
    for advert_id, stored in db.execute(
        "SELECT advert_id, data FROM signatures WHERE kind = 'photos'"
    ):
        data, hashes, i = bytes(stored), [], 0
        # The schema-3 layout (a count byte, then that many 8-byte big-endian hashes), spelled
        # out here so that later changes elsewhere cannot alter what this migration reads.
        while i < len(data):
            n = data[i]
            hashes += [int.from_bytes(data[i + 1 + 8 * j : i + 9 + 8 * j], "big") for j in range(n)]
            i += 1 + 8 * n
        photos[advert_id] = hashes
    rare: dict[str, list[int]] = {}
    for key, advert_id in db.execute(
        "SELECT key, advert_id FROM simkeys WHERE kind = 'rare_token'"
    ):
        rare.setdefault(advert_id, []).append(token_number(bytes(key)))
    ordered = [a for (a,) in db.execute("SELECT advert_id FROM adverts ORDER BY rowid")]
    db.executemany(
        "INSERT INTO keylog (advert_id, bands, photos, rare) VALUES (?, ?, ?, ?)",
        [
            (a, _pack(bands.get(a, ())), _pack(photos.get(a, ())), _pack(rare.get(a, ())))
            for a in ordered
        ],
    )
    db.execute("DELETE FROM simkeys WHERE kind IN ('text_band', 'photo_chunk', 'rare_token')")


def _move_tokens_and_close_numbers(db: sqlite3.Connection) -> None:
    """Schema 5: token signatures and close-number rows join their advert's key-log row."""
    db.execute(
        "UPDATE keylog SET tokens = (SELECT s.data FROM signatures s "
        "WHERE s.advert_id = keylog.advert_id AND s.kind = 'text_tokens')"
    )
    # Schema 4 copied the photo hashes into the key log but left their old rows behind.
    db.execute("DELETE FROM signatures WHERE kind IN ('text_tokens', 'photos')")
    close: dict[str, list[int]] = {}
    for key, advert_id, extra in db.execute(
        "SELECT key, advert_id, extra FROM simkeys WHERE kind = 'close_number'"
    ):
        close.setdefault(advert_id, []).extend((close_number(bytes(key)), int(extra or 0)))
    db.executemany(
        "UPDATE keylog SET close = ? WHERE advert_id = ?",
        [(_pack(values), advert_id) for advert_id, values in close.items()],
    )
    db.execute("DELETE FROM simkeys WHERE kind = 'close_number'")


_DATA_STEPS: dict[int, Callable[[sqlite3.Connection], None]] = {
    4: _move_similarity_rows,
    5: _move_tokens_and_close_numbers,
}


def _migrations() -> list[tuple[int, str, str]]:
    folder = resources.files("asw_guard.store").joinpath("migrations")
    found = []
    for entry in folder.iterdir():
        name = entry.name
        if name.endswith(".sql") and name[:4].isdigit():
            found.append((int(name[:4]), name, entry.read_text(encoding="utf-8")))
    return sorted(found)


def event_hash(
    prev_hash: str,
    at: str,
    kind: str,
    actor: str,
    advert_id: str | None,
    decision_id: str | None,
    payload: str,
) -> str:
    material = json.dumps([prev_hash, at, kind, actor, advert_id, decision_id, payload])
    return hashlib.sha256(material.encode("utf-8")).hexdigest()


class _Checkpointer:
    """Copies committed log frames back into the database file on a thread of its own.

    Left to SQLite, the commit that takes the log past 1,000 pages copies them itself and
    waits for the disk: at a million adverts that is 20-30 ms on one check in every few dozen,
    which is the whole 99th percentile of the posting path. Here commits wake this thread,
    whose own connection copies while the next adverts are checked (SQLite releases the GIL
    meanwhile). The commit's automatic checkpoint stays as a backstop, so the log is still
    copied and restarted if this thread falls behind, as under a backfill that never pauses.
    """

    #: Single-check commits between wake-ups; a batch's commit wakes it at once.
    EVERY = 4

    def __init__(self, path: Path) -> None:
        self._db = sqlite3.connect(
            str(path), isolation_level=None, check_same_thread=False, timeout=0
        )
        self._commits = 0
        self._wake = threading.Event()
        self._closing = False
        self._thread = threading.Thread(target=self._run, name="asw-guard-checkpoint", daemon=True)
        self._thread.start()

    def committed(self, *, batch: bool = False) -> None:
        self._commits += self.EVERY if batch else 1
        if self._commits >= self.EVERY:
            self._commits = 0
            self._wake.set()

    def _run(self) -> None:
        try:
            while True:
                self._wake.wait()
                self._wake.clear()
                if self._closing:
                    return
                # Busy means another connection is checkpointing: the work is being done.
                with suppress(sqlite3.Error):
                    self._db.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
        finally:
            self._db.close()

    def close(self) -> None:
        self._closing = True
        self._wake.set()
        self._thread.join()


class SQLiteStore:
    """`Store` on one SQLite file. Safe to share between threads of one process."""

    def __init__(self, path: str | Path, *, synchronous: str = "normal") -> None:
        if synchronous not in _SYNC_MODES:
            raise StoreError(f"synchronous must be one of {sorted(_SYNC_MODES)}")
        self.path = Path(path)
        self.url = f"sqlite:///{self.path}"
        self._lock = threading.RLock()
        self._in_batch = False
        #: Built from the key log on the first similarity lookup, then kept up to date.
        self._index: SimilarityIndex | None = None
        #: `PRAGMA data_version` when the index last caught up, and whether this connection
        #: has written key-log rows since: when neither changed there is nothing to read.
        self._index_version: int | None = None
        self._index_stale = True
        #: `PRAGMA data_version` as read once inside the current batch.
        self._batch_version: int | None = None
        try:
            if self.path.parent and not self.path.parent.exists():
                self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(
                str(self.path), isolation_level=None, check_same_thread=False, timeout=30.0
            )
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute(f"PRAGMA synchronous={synchronous.upper()}")
            # A bounded page cache (64 MB) and memory-mapped reads keep index lookups off the
            # disk for large inventories without holding the index in Python memory.
            self._db.execute("PRAGMA cache_size=-65536")
            # Reads of rows all over a large file (signatures of text candidates) are memory
            # accesses up to 2 GB, SQLite's usual ceiling; mapped pages are the operating
            # system's file cache, shared and reclaimable, not memory this process owns.
            self._db.execute("PRAGMA mmap_size=2147418112")
            self._db.execute("PRAGMA temp_store=MEMORY")
            self._db.execute("PRAGMA foreign_keys=ON")
            self._migrate()
            self._checkpointer = _Checkpointer(self.path)
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"cannot open SQLite store at {self.path}: {exc}") from None

    # -- schema ---------------------------------------------------------------------------

    def _migrate(self) -> None:
        current = int(self._db.execute("PRAGMA user_version").fetchone()[0])
        known = _migrations()
        newest = known[-1][0] if known else 0
        if current > newest:
            raise StoreError(
                f"{self.path} has schema version {current}, newer than this asw-guard knows "
                f"({newest}); upgrade asw-guard"
            )
        for number, _name, sql in known:
            if number <= current:
                continue
            # One transaction per migration: a crash leaves the previous version intact.
            self._db.executescript(f"BEGIN IMMEDIATE;\n{sql}")
            try:
                step = _DATA_STEPS.get(number)
                if step is not None:
                    step(self._db)
                self._db.execute(f"PRAGMA user_version = {number}")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    @property
    def schema_version(self) -> int:
        return int(self._db.execute("PRAGMA user_version").fetchone()[0])

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            if self._in_batch:
                # Inside a batch each check is a savepoint: a failed one undoes only itself.
                self._db.execute("SAVEPOINT one_check")
                try:
                    yield self._db
                except BaseException:
                    self._db.execute("ROLLBACK TO one_check")
                    self._db.execute("RELEASE one_check")
                    raise
                else:
                    self._db.execute("RELEASE one_check")
                return
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            else:
                self._db.execute("COMMIT")
                self._checkpointer.committed()

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Several checks in one transaction (a backfill): a crash loses the unfinished batch,
        never part of a decision. Other threads wait until the batch commits."""
        with self._lock:
            if self._in_batch:
                yield
                return
            self._db.execute("BEGIN IMMEDIATE")
            self._in_batch = True
            caught_up = self._index.seq if self._index is not None else 0
            try:
                yield
            except BaseException:
                self._db.execute("ROLLBACK")
                if self._index is not None:
                    # Key-log rows of the batch were read uncommitted; their numbers will be
                    # used again, so read from before the batch next time.
                    self._index.seq = min(self._index.seq, caught_up)
                    self._index_stale = True
                raise
            else:
                self._db.execute("COMMIT")
                self._checkpointer.committed(batch=True)
            finally:
                self._in_batch = False
                self._batch_version = None

    # -- decisions ------------------------------------------------------------------------

    def get_decision(self, advert_id: str, version: int | None = None) -> Decision | None:
        with self._lock:
            if version is None:
                row = self._db.execute(
                    "SELECT document FROM decisions WHERE advert_id = ? "
                    "ORDER BY advert_version DESC LIMIT 1",
                    (advert_id,),
                ).fetchone()
            else:
                row = self._db.execute(
                    "SELECT document FROM decisions WHERE advert_id = ? AND advert_version = ?",
                    (advert_id, version),
                ).fetchone()
        return None if row is None else Decision.model_validate_json(row[0])

    def count_decisions(self) -> dict[str, int]:
        with self._lock:
            rows = self._db.execute("SELECT action, COUNT(*) FROM decisions GROUP BY action")
            return {action: n for action, n in rows}

    def save_check(self, record: CheckRecord) -> tuple[Decision, bool]:
        d = record.decision
        facts = record.facts
        try:
            with self._tx() as db:
                row = db.execute(
                    "SELECT document FROM decisions WHERE advert_id = ? AND advert_version = ?",
                    (d.advert_id, d.advert_version),
                ).fetchone()
                if row is not None:
                    return Decision.model_validate_json(row[0]), False
                seen = _iso(facts.posted_at) if facts.posted_at else _now()
                cluster_id, known = self._join_clusters(
                    db, facts.advert_id, record.strong_links, seen
                )
                decision = d.model_copy(update={"cluster_id": cluster_id})
                db.execute(
                    "INSERT INTO adverts (advert_id, account_id, version, alias_key, age, city, "
                    "posted_at, cluster_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
                    "ON CONFLICT (advert_id) DO UPDATE SET account_id = excluded.account_id, "
                    "version = excluded.version, alias_key = excluded.alias_key, "
                    "age = excluded.age, city = excluded.city, posted_at = excluded.posted_at, "
                    "cluster_id = excluded.cluster_id",
                    (
                        facts.advert_id,
                        facts.account_id,
                        facts.version,
                        facts.alias_key,
                        facts.age,
                        facts.city,
                        seen,
                        cluster_id,
                    ),
                )
                if known:
                    # An edit replaces the advert's rows: the old phone no longer links it.
                    for table in ("identifiers", "simkeys", "keylog", "signatures"):
                        db.execute(f"DELETE FROM {table} WHERE advert_id = ?", (facts.advert_id,))
                db.executemany(
                    "INSERT OR IGNORE INTO identifiers (kind, key, advert_id, account_id, seen_at) "
                    "VALUES (?, ?, ?, ?, ?)",
                    [
                        (k.kind, k.key, facts.advert_id, facts.account_id, seen)
                        for k in record.identifiers
                    ],
                )
                db.execute(
                    "INSERT INTO decisions (decision_id, advert_id, advert_version, account_id, "
                    "action, status, score, band, cluster_id, created_at, document) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        decision.decision_id,
                        decision.advert_id,
                        decision.advert_version,
                        decision.account_id,
                        decision.action.value,
                        decision.status.value,
                        decision.score,
                        decision.band.value,
                        cluster_id,
                        decision.created_at.isoformat(),
                        decision.model_dump_json(),
                    ),
                )
                # Close-number keys go to the key log with the rest of the similarity index;
                # any other kind of similarity row to its own table.
                close = [
                    v
                    for k in record.similarity_keys
                    if k.kind == CLOSE_KIND
                    for v in (close_number(k.key), k.extra or 0)
                ]
                other_keys = [k for k in record.similarity_keys if k.kind != CLOSE_KIND]
                if other_keys:
                    db.executemany(
                        "INSERT OR IGNORE INTO simkeys (kind, key, advert_id, extra) "
                        "VALUES (?, ?, ?, ?)",
                        [(k.kind, k.key, facts.advert_id, k.extra) for k in other_keys],
                    )
                for ident, accounts in record.quarantine:
                    self._quarantine(db, ident, accounts, advert_id=facts.advert_id)
                # Always a row, even an empty one: it retires the keys of the advert's earlier
                # version in every process's in-memory index.
                bands = band_numbers(record.text_bands)
                photos = [h for photo in record.photo_hashes for h in photo]
                rare = [token_number(k) for k in record.rare_tokens]
                tokens = record.signatures.get(TOKENS_KIND) or None
                logged = db.execute(
                    "INSERT INTO keylog (advert_id, bands, photos, rare, tokens, close) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    (
                        facts.advert_id,
                        _pack(bands),
                        _pack(photos),
                        _pack(rare),
                        tokens,
                        _pack(close),
                    ),
                )
                own_row = (
                    logged.lastrowid or 0,
                    facts.advert_id,
                    bands,
                    photos,
                    rare,
                    tokens,
                    close,
                )
                other_signatures = [
                    (facts.advert_id, kind, data)
                    for kind, data in record.signatures.items()
                    if kind != TOKENS_KIND
                ]
                if other_signatures:
                    db.executemany(
                        "INSERT INTO signatures (advert_id, kind, data) VALUES (?, ?, ?)",
                        other_signatures,
                    )
                db.executemany(
                    "INSERT OR IGNORE INTO links (advert_id, other_id, type, strength, created_at) "
                    "VALUES (?, ?, ?, ?, ?)",
                    [
                        (facts.advert_id, other, kind, strength, seen)
                        for other, kind, strength in record.links
                    ],
                )
                if record.snapshot is not None and record.snapshot_expires_at is not None:
                    db.execute(
                        "INSERT OR REPLACE INTO snapshots (advert_id, advert_version, decision_id, "
                        "content, expires_at) VALUES (?, ?, ?, ?, ?)",
                        (
                            decision.advert_id,
                            decision.advert_version,
                            decision.decision_id,
                            record.snapshot,
                            _iso(record.snapshot_expires_at),
                        ),
                    )
                self._append(
                    db,
                    "decision.created",
                    actor="guard",
                    advert_id=decision.advert_id,
                    decision_id=decision.decision_id,
                    payload={
                        "action": decision.action.value,
                        "band": decision.band.value,
                        "score": decision.score,
                        "rules": decision.rules_fired,
                        "policy_hash": decision.policy_hash,
                        **record.event_payload,
                    },
                )
            self._index_own_row(*own_row)
            return decision, True
        except sqlite3.DatabaseError as exc:
            raise StoreError(
                f"could not save the decision for advert {d.advert_id}: {exc}"
            ) from None

    # -- link index and clusters ----------------------------------------------------------

    def find_identifiers(
        self, keys: Sequence[IdentifierKey], *, exclude_advert: str, limit_per_key: int = 500
    ) -> list[IdentifierHit]:
        if not keys:
            return []
        # One statement for all keys; each key keeps its own limit inside its sub-select.
        one = (
            "SELECT * FROM (SELECT {n}, i.advert_id, i.account_id, a.alias_key, a.age, a.city, "
            "a.cluster_id FROM identifiers i JOIN adverts a ON a.advert_id = i.advert_id "
            "WHERE i.kind = ? AND i.key = ? AND i.advert_id != ? LIMIT ?)"
        )
        sql = " UNION ALL ".join(one.format(n=n) for n in range(len(keys)))
        params = [v for k in keys for v in (k.kind, k.key, exclude_advert, limit_per_key)]
        with self._lock:
            rows = self._db.execute(sql, params).fetchall()
        return [IdentifierHit(keys[n].kind, keys[n].key, *row) for n, *row in rows]

    def identifier_counts(
        self, keys: Sequence[IdentifierKey], since: datetime, *, exclude_advert: str | None = None
    ) -> dict[str, int]:
        if not keys:
            return {}
        # One query for all keys: the (kind, key) primary key serves each OR branch.
        where = " OR ".join("(kind = ? AND key = ?)" for _ in keys)
        params: list[object] = [v for k in keys for v in (k.kind, k.key)]
        params += [_iso(since), exclude_advert or ""]
        with self._lock:
            rows = self._db.execute(
                f"SELECT kind, COUNT(DISTINCT advert_id) FROM identifiers WHERE ({where}) "
                "AND seen_at >= ? AND advert_id != ? GROUP BY kind",
                params,
            )
            return {kind: n for kind, n in rows}

    def identifier_activity(self, key: IdentifierKey, since: datetime) -> Activity:
        with self._lock:
            row = self._db.execute(
                "SELECT COUNT(DISTINCT i.advert_id), COUNT(DISTINCT i.account_id), "
                "COUNT(DISTINCT a.alias_key), COUNT(DISTINCT a.city) "
                "FROM identifiers i JOIN adverts a ON a.advert_id = i.advert_id "
                "WHERE i.kind = ? AND i.key = ? AND i.seen_at >= ?",
                (key.kind, key.key, _iso(since)),
            ).fetchone()
        return Activity(*row)

    def cluster_of(self, advert_id: str) -> str | None:
        with self._lock:
            row = self._db.execute(
                "SELECT cluster_id FROM adverts WHERE advert_id = ?", (advert_id,)
            ).fetchone()
        return None if row is None else str(row[0])

    def _select_in(
        self, sql: str, values: Sequence[object], before: Sequence[object] = ()
    ) -> list[tuple[Any, ...]]:
        """Rows of `sql` whose `{in}` placeholder takes `values`, in chunks SQLite accepts."""
        rows: list[tuple[Any, ...]] = []
        with self._lock:
            for start in range(0, len(values), 500):
                chunk = list(values[start : start + 500])
                query = sql.format(in_=",".join("?" * len(chunk)))
                rows += self._db.execute(query, [*before, *chunk]).fetchall()
        return rows

    def signatures(self, advert_ids: Sequence[str], kind: str) -> dict[str, bytes]:
        if kind == TOKENS_KIND:
            # Held by the similarity index, caught up first: no row read per text candidate.
            with self._lock:
                return self._similarity_index().tokens(advert_ids)
        rows = self._select_in(
            "SELECT advert_id, data FROM signatures WHERE kind = ? AND advert_id IN ({in_})",
            advert_ids,
            before=[kind],
        )
        return dict(sorted((str(a), bytes(d)) for a, d in rows))

    def find_similar(
        self, kind: str, keys: Sequence[bytes], *, exclude_advert: str
    ) -> list[SimilarityHit]:
        if kind == CLOSE_KIND:
            with self._lock:
                found_close = self._similarity_index().close_matches(
                    [close_number(k) for k in keys], exclude=exclude_advert
                )
            return [SimilarityHit(kind, keys[i], a, tail) for i, a, tail in found_close]
        found = self._select_in(
            "SELECT key, advert_id, extra FROM simkeys "
            "WHERE kind = ? AND advert_id != ? AND key IN ({in_})",
            keys,
            before=[kind, exclude_advert],
        )
        return [SimilarityHit(kind, bytes(k), a, e) for k, a, e in found]

    def _index_own_row(
        self,
        seq: int,
        advert_id: str,
        bands: list[int],
        photos: list[int],
        rare: list[int],
        tokens: bytes | None,
        close: list[int],
    ) -> None:
        """Index the key-log row this connection just wrote, rather than reading it back,
        when it directly follows what the index holds; otherwise the next lookup catches up."""
        index = self._index
        if index is not None and not self._index_stale and seq == index.seq + 1:
            index.add(seq, advert_id, bands, photos, rare, tokens, close)
        else:
            self._index_stale = True

    def _similarity_index(self) -> SimilarityIndex:
        """The in-memory index, caught up with every key-log row this connection can see."""
        # Read before the catch-up: a commit landing in between is then read again next time,
        # never missed. A check asks several times; only the first one reads the log.
        if self._batch_version is not None:
            # A batch holds the write lock: no other connection can commit until it ends.
            version = self._batch_version
        else:
            version = int(self._db.execute("PRAGMA data_version").fetchone()[0])
            if self._in_batch:
                self._batch_version = version
        index = self._index
        if index is None:
            index = SimilarityIndex()
            index.load(self._db.execute(f"SELECT {_KEYLOG_COLUMNS} ORDER BY seq"))
            self._index = index
        elif self._index_stale or version != self._index_version:
            rows = self._db.execute(
                f"SELECT {_KEYLOG_COLUMNS} WHERE seq > ? ORDER BY seq",
                (index.seq,),
            ).fetchall()
            for seq, advert_id, bands, photos, rare, tokens, close in rows:
                index.add(
                    seq,
                    advert_id,
                    _unpack(bands),
                    _unpack(photos),
                    _unpack(rare),
                    tokens,
                    _unpack(close),
                )
        self._index_version = version
        self._index_stale = False
        return index

    def text_candidates(
        self, band_keys: Sequence[bytes], *, exclude_advert: str, limit_per_key: int, top: int
    ) -> list[str]:
        with self._lock:
            return self._similarity_index().text_candidates(
                band_numbers(band_keys),
                exclude=exclude_advert,
                limit_per_key=limit_per_key,
                top=top,
            )

    def text_candidate_tokens(
        self, band_keys: Sequence[bytes], *, exclude_advert: str, limit_per_key: int, top: int
    ) -> dict[str, bytes]:
        with self._lock:
            return self._similarity_index().text_candidate_tokens(
                band_numbers(band_keys),
                exclude=exclude_advert,
                limit_per_key=limit_per_key,
                top=top,
            )

    def rare_candidates(
        self, keys: Sequence[bytes], *, exclude_advert: str, min_shared: int, common_at: int
    ) -> list[str]:
        with self._lock:
            return self._similarity_index().rare_candidates(
                [token_number(k) for k in keys],
                exclude=exclude_advert,
                min_shared=min_shared,
                common_at=common_at,
            )

    def photo_matches(
        self, hashes: Sequence[int], *, max_distance: int, exclude_advert: str
    ) -> dict[str, int]:
        with self._lock:
            return self._similarity_index().photo_matches(
                hashes, max_distance=max_distance, exclude=exclude_advert
            )

    def index_bytes(self) -> int:
        """Memory held by the in-memory similarity index (0 until first used)."""
        with self._lock:
            return 0 if self._index is None else self._index.nbytes

    def adverts(self, advert_ids: Sequence[str]) -> dict[str, AdvertRow]:
        rows = self._select_in(
            "SELECT advert_id, account_id, alias_key, age, city, cluster_id "
            "FROM adverts WHERE advert_id IN ({in_})",
            advert_ids,
        )
        return {r[0]: AdvertRow(*r) for r in rows}

    def suppressions(self, kind: str | None = None) -> list[Suppression]:
        sql = "SELECT kind, key, status, accounts, note, created_at FROM suppressions"
        args: tuple[str, ...] = ()
        if kind is not None:
            sql += " WHERE kind = ?"
            args = (kind,)
        with self._lock:
            rows = self._db.execute(sql + " ORDER BY created_at", args).fetchall()
        return [
            Suppression(k, bytes(key), st, acc, note, datetime.fromisoformat(at))
            for k, key, st, acc, note, at in rows
        ]

    def set_suppression(
        self,
        kind: str,
        key: bytes,
        status: str,
        *,
        actor: str,
        note: str = "",
        accounts: int | None = None,
    ) -> None:
        if status not in ("suppressed", "quarantined", "confirmed"):
            raise StoreError(f"unknown suppression status {status!r}")
        with self._tx() as db:
            db.execute(
                "INSERT INTO suppressions (kind, key, status, accounts, note, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (kind, key) DO UPDATE SET "
                "status = excluded.status, note = excluded.note, "
                "accounts = COALESCE(excluded.accounts, accounts)",
                (kind, key, status, accounts, note, _now()),
            )
            self._append(
                db,
                f"link.{status}",
                actor=actor,
                payload={"kind": kind, "key": key.hex(), "note": note},
            )

    def _quarantine(
        self, db: sqlite3.Connection, ident: IdentifierKey, accounts: int, *, advert_id: str
    ) -> None:
        # Never overrides a person's choice (confirmed or suppressed).
        cur = db.execute(
            "INSERT OR IGNORE INTO suppressions (kind, key, status, accounts, note, created_at) "
            "VALUES (?, ?, 'quarantined', ?, 'linked unusually many accounts', ?)",
            (ident.kind, ident.key, accounts, _now()),
        )
        if cur.rowcount:
            self._append(
                db,
                "link.quarantined",
                actor="guard",
                advert_id=advert_id,
                payload={"kind": ident.kind, "key": ident.key.hex(), "accounts": accounts},
            )

    def _join_clusters(
        self, db: sqlite3.Connection, advert_id: str, linked: Sequence[str], seen: str
    ) -> tuple[str, bool]:
        """The cluster the advert joins (merging the linked adverts' clusters) and whether the
        advert was stored before."""
        ids = [advert_id, *linked]
        marks = ",".join("?" * len(ids))
        rows = db.execute(
            f"SELECT DISTINCT c.cluster_id, c.size FROM adverts a JOIN clusters c "
            f"ON c.cluster_id = a.cluster_id WHERE a.advert_id IN ({marks})",
            ids,
        ).fetchall()
        own = db.execute("SELECT 1 FROM adverts WHERE advert_id = ?", (advert_id,)).fetchone()
        if not rows:
            cluster_id = f"c-{uuid.uuid4().hex[:16]}"
            db.execute(
                "INSERT INTO clusters (cluster_id, size, first_seen, last_seen) "
                "VALUES (?, 1, ?, ?)",
                (cluster_id, seen, seen),
            )
            return cluster_id, own is not None
        rows.sort(key=lambda r: (-r[1], r[0]))
        survivor = str(rows[0][0])
        absorbed = [str(r[0]) for r in rows[1:]]
        added = 0 if own else 1
        if absorbed:
            marks = ",".join("?" * len(absorbed))
            db.execute(
                f"UPDATE adverts SET cluster_id = ? WHERE cluster_id IN ({marks})",
                [survivor, *absorbed],
            )
            first = db.execute(
                f"SELECT MIN(first_seen) FROM clusters WHERE cluster_id IN ({marks})", absorbed
            ).fetchone()[0]
            db.execute(
                "UPDATE clusters SET first_seen = MIN(first_seen, ?) WHERE cluster_id = ?",
                (first, survivor),
            )
            added += sum(int(r[1]) for r in rows[1:])
            db.execute(f"DELETE FROM clusters WHERE cluster_id IN ({marks})", absorbed)
            self._append(
                db,
                "cluster.merged",
                actor="guard",
                advert_id=advert_id,
                payload={"into": survivor, "absorbed": absorbed},
            )
        db.execute(
            "UPDATE clusters SET size = size + ?, last_seen = MAX(last_seen, ?), "
            "first_seen = MIN(first_seen, ?) WHERE cluster_id = ?",
            (added, seen, seen, survivor),
        )
        return survivor, own is not None

    def cluster_summary(self, cluster_id: str, *, max_links: int = 2000) -> ClusterSummary | None:
        with self._lock:
            head = self._db.execute(
                "SELECT first_seen, last_seen FROM clusters WHERE cluster_id = ?", (cluster_id,)
            ).fetchone()
            if head is None:
                return None
            rows = self._db.execute(
                "SELECT advert_id, account_id, alias_key, age, city FROM adverts "
                "WHERE cluster_id = ? ORDER BY advert_id",
                (cluster_id,),
            ).fetchall()
            edges = self._db.execute(
                "SELECT l.advert_id, l.other_id, l.type, l.strength FROM links l "
                "JOIN adverts a ON a.advert_id = l.advert_id WHERE a.cluster_id = ? "
                "ORDER BY l.advert_id, l.other_id, l.type LIMIT ?",
                (cluster_id, max_links),
            ).fetchall()
        ages = sorted({r[3] for r in rows if r[3] is not None})
        return ClusterSummary(
            cluster_id=cluster_id,
            advert_ids=[r[0] for r in rows],
            account_ids=sorted({r[1] for r in rows}),
            distinct_aliases=len({r[2] for r in rows if r[2] is not None}),
            distinct_ages=len(ages),
            ages=ages,
            cities=sorted({r[4] for r in rows if r[4]}),
            first_seen=datetime.fromisoformat(head[0]),
            last_seen=datetime.fromisoformat(head[1]),
            links=[LinkEdge(*e) for e in edges],
        )

    # -- audit record ---------------------------------------------------------------------

    def _append(
        self,
        db: sqlite3.Connection,
        kind: str,
        *,
        actor: str,
        advert_id: str | None = None,
        decision_id: str | None = None,
        payload: dict[str, Any] | None = None,
    ) -> Event:
        row = db.execute("SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1").fetchone()
        prev = GENESIS_HASH if row is None else str(row[1])
        at = _now()
        body = json.dumps(payload or {}, sort_keys=True, separators=(",", ":"))
        digest = event_hash(prev, at, kind, actor, advert_id, decision_id, body)
        cur = db.execute(
            "INSERT INTO events "
            "(at, kind, actor, advert_id, decision_id, payload, prev_hash, hash) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (at, kind, actor, advert_id, decision_id, body, prev, digest),
        )
        return Event(
            seq=int(cur.lastrowid or 0),
            at=datetime.fromisoformat(at),
            kind=kind,
            actor=actor,
            advert_id=advert_id,
            decision_id=decision_id,
            payload=payload or {},
            prev_hash=prev,
            hash=digest,
        )

    def append_event(
        self,
        kind: str,
        *,
        actor: str,
        advert_id: str | None = None,
        decision_id: str | None = None,
        payload: dict[str, Any] | None = None,
    ) -> Event:
        with self._tx() as db:
            return self._append(
                db, kind, actor=actor, advert_id=advert_id, decision_id=decision_id, payload=payload
            )

    def events(self, *, since_seq: int = 0) -> Iterator[Event]:
        with self._lock:
            rows = self._db.execute(
                "SELECT seq, at, kind, actor, advert_id, decision_id, payload, prev_hash, hash "
                "FROM events WHERE seq > ? ORDER BY seq",
                (since_seq,),
            ).fetchall()
        for seq, at, kind, actor, advert_id, decision_id, payload, prev, digest in rows:
            yield Event(
                seq=seq,
                at=datetime.fromisoformat(at),
                kind=kind,
                actor=actor,
                advert_id=advert_id,
                decision_id=decision_id,
                payload=json.loads(payload),
                prev_hash=prev,
                hash=digest,
            )

    def verify_events(self) -> int:
        prev = GENESIS_HASH
        count = 0
        with self._lock:
            rows = self._db.execute(
                "SELECT seq, at, kind, actor, advert_id, decision_id, payload, prev_hash, hash "
                "FROM events ORDER BY seq"
            )
            for seq, at, kind, actor, advert_id, decision_id, payload, stored_prev, digest in rows:
                expected = event_hash(prev, at, kind, actor, advert_id, decision_id, payload)
                if stored_prev != prev or digest != expected:
                    raise StoreError(f"audit record broken at event {seq}: hash does not match")
                prev = digest
                count += 1
        return count

    # -- snapshots and retention ----------------------------------------------------------

    def snapshot(self, advert_id: str, version: int) -> str | None:
        with self._lock:
            row = self._db.execute(
                "SELECT content FROM snapshots WHERE advert_id = ? AND advert_version = ?",
                (advert_id, version),
            ).fetchone()
        return None if row is None else str(row[0])

    def purge_expired(self, now: datetime) -> int:
        with self._tx() as db:
            cur = db.execute("DELETE FROM snapshots WHERE expires_at <= ?", (_iso(now),))
            purged = cur.rowcount
            if purged:
                self._append(
                    db,
                    "retention.purged",
                    actor="guard",
                    payload={"snapshots": purged, "before": _iso(now)},
                )
            return purged

    # -- housekeeping ---------------------------------------------------------------------

    def meta(self, key: str) -> str | None:
        with self._lock:
            row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, key: str, value: str) -> None:
        with self._tx() as db:
            db.execute(
                "INSERT INTO meta (key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    def integrity_check(self) -> str:
        with self._lock:
            return str(self._db.execute("PRAGMA integrity_check").fetchone()[0])

    def close(self) -> None:
        with self._lock:
            self._checkpointer.close()
            self._db.close()
