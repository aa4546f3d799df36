"""`Guard`: the one object an operator's pipeline talks to."""

from __future__ import annotations

import asyncio
import json
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from contextlib import closing
from datetime import UTC, datetime, timedelta
from itertools import islice
from pathlib import Path
from types import TracebackType

import structlog

from asw_guard._version import __version__
from asw_guard.errors import ConfigError, InvalidAdvert, PolicyError
from asw_guard.indicators import IndicatorRegistry, PriceBook, default_registry
from asw_guard.intake import AdvertInput, parse_advert
from asw_guard.linking import IdentifierLinks, KeyedHasher, LinkIndex, PhotoHash, image_hash
from asw_guard.linking.identifiers import IDENTIFIER_KINDS, canonical_identifier
from asw_guard.linking.sources import CloseNumberLinks, PhotoLinks, RareTokenLinks, TextLinks
from asw_guard.linking.suppress import SuppressionList
from asw_guard.logs import configure_logging, get_logger
from asw_guard.models import (
    Account,
    Action,
    Advert,
    Band,
    Decision,
    DecisionStatus,
    Reason,
    StageTimings,
)
from asw_guard.pipeline import Pipeline, Preparation, Prepared
from asw_guard.policy import READY_POLICIES, LoadedPolicy, load_policy
from asw_guard.secrets import key_fingerprint, load_hmac_key
from asw_guard.store import ClusterSummary, Store, open_store
from asw_guard.store.base import Activity, IdentifierKey, Suppression
from asw_guard.workers import Outcome, PreparePool, Unreadable, prepare_inputs, read_input

log = get_logger("asw_guard")

ACTIVITY_WINDOWS = {"1h": timedelta(hours=1), "24h": timedelta(days=1), "30d": timedelta(days=30)}

PRICE_BOOK_META = "price_book"

#: How often a long-running guard deletes expired snapshots while it checks.
PURGE_INTERVAL_S = 3600.0


def _stored_price_book(store: Store) -> PriceBook:
    """The price statistics this store's market has built up, or a fresh book on the prior."""
    raw = store.meta(PRICE_BOOK_META)
    if raw is None:
        return PriceBook()
    try:
        return PriceBook.from_state(json.loads(raw))
    except (ValueError, KeyError, TypeError):
        log.warning("price_book.unreadable", action="starting from the market prior")
        return PriceBook()


def _file_origin(policy: str | Path | LoadedPolicy) -> tuple[Path, float] | None:
    """A policy file's path and modification time, for `Guard.reload_if_changed`."""
    if isinstance(policy, LoadedPolicy) or str(policy) in READY_POLICIES:
        return None
    try:
        return Path(policy), Path(policy).stat().st_mtime
    except OSError:
        return None


def _batches(
    it: Iterator[AdvertInput], size: int
) -> Generator[tuple[Preparation | None, list[Outcome]]]:
    """Batches read in this process: parsed, and prepared later by the check itself."""
    while chunk := list(islice(it, size)):
        yield None, [read_input(item) for item in chunk]


class Guard:
    """Checks adverts, stores explained decisions, and answers for them later.

    Open one with `Guard.open(...)` and share it: it is safe to use from several threads.
    """

    def __init__(
        self,
        store: Store,
        policy: LoadedPolicy,
        hasher: KeyedHasher,
        registry: IndicatorRegistry,
    ) -> None:
        self.store = store
        self._hasher = hasher
        self._registry = registry
        self._lock = threading.Lock()
        self._next_purge = 0.0
        self._suppressions = SuppressionList(store)
        self._pipeline = self._build(policy)
        #: Where the policy came from and its modification time, for `reload_if_changed`.
        self._policy_origin: tuple[Path, float] | None = None
        #: The market's price statistics, kept in the store between processes.
        self._price_book: PriceBook | None = None
        #: Worker processes of `check_many(..., workers=N)`, started on first use.
        self._pool: PreparePool | None = None

    @classmethod
    def open(
        cls,
        store: str | Path | Store | None = None,
        policy: str | Path | LoadedPolicy = "uk-default",
        *,
        hmac_key: bytes | None = None,
        hmac_key_file: str | Path | None = None,
        registry: IndicatorRegistry | None = None,
    ) -> Guard:
        """Open a guard on a store URL (SQLite file in the working folder by default).

        The link-index key comes from `hmac_key`, `hmac_key_file`, or the environment
        (`ASW_GUARD_HMAC_KEY`, `ASW_GUARD_HMAC_KEY_FILE`).
        """
        if not structlog.is_configured():
            configure_logging()
        key = hmac_key if hmac_key is not None else load_hmac_key(hmac_key_file)
        loaded = policy if isinstance(policy, LoadedPolicy) else load_policy(policy)
        the_store = store if isinstance(store, Store) else open_store(store)
        fingerprint = key_fingerprint(key)
        known = the_store.meta("hmac_key_fingerprint")
        if known is None:
            the_store.set_meta("hmac_key_fingerprint", fingerprint)
        elif known != fingerprint:
            the_store.close()
            raise ConfigError(
                "this store's link index was built with a different HMAC key; with this key no "
                "advert would link to what is stored. Use the original key."
            )
        book = _stored_price_book(the_store) if registry is None else None
        guard = cls(the_store, loaded, KeyedHasher(key), registry or default_registry(book))
        guard._price_book = book
        guard._policy_origin = _file_origin(policy)
        log.info(
            "guard.opened",
            store=the_store.url.split("?")[0],
            policy=loaded.policy.id,
            policy_hash=loaded.content_hash,
            version=__version__,
        )
        return guard

    def _build(self, policy: LoadedPolicy) -> Pipeline:
        sup = self._suppressions
        links = LinkIndex(
            [
                IdentifierLinks(self.store, suppressions=sup),
                TextLinks(self.store),
                RareTokenLinks(self.store),
                PhotoLinks(self.store, suppressions=sup),
                CloseNumberLinks(self.store),
            ]
        )
        return Pipeline(
            registry=self._registry,
            links=links,
            hasher=self._hasher,
            policy=policy,
            store=self.store,
            suppressions=sup,
        )

    @property
    def policy(self) -> LoadedPolicy:
        return self._pipeline.policy

    def reload_policy(self, policy: str | Path | LoadedPolicy) -> LoadedPolicy:
        """Switch to another policy (a ready name, a file, or a loaded one) without a restart.

        The new policy is loaded and its pipeline built before anything changes, so a broken
        file raises `PolicyError` (naming the file, line and key) and the old policy stays in
        force. Checks already running finish under the policy they started with.
        """
        try:
            loaded = policy if isinstance(policy, LoadedPolicy) else load_policy(policy)
            pipeline = self._build(loaded)
        except PolicyError as exc:
            log.error(
                "policy.reload_failed",
                kept=self.policy.policy.id,
                kept_hash=self.policy.content_hash,
                problems=str(exc).count("\n") + 1,
            )
            raise
        origin = _file_origin(policy)
        with self._lock:
            old = self._pipeline.policy
            self._pipeline = pipeline
            self._policy_origin = origin
        log.info(
            "policy.reloaded",
            policy=loaded.policy.id,
            policy_hash=loaded.content_hash,
            previous_hash=old.content_hash,
        )
        return loaded

    def reload_if_changed(self) -> bool:
        """Reload the policy file when its modification time changed since it was loaded (call
        it from a timer, or before each batch). Only policies given by path are watched.
        Raises `PolicyError` for a broken file, keeping the old policy; True when reloaded.
        """
        origin = self._policy_origin
        if origin is None:
            return False
        path, mtime = origin
        try:
            current = path.stat().st_mtime
        except OSError:
            return False
        if current == mtime:
            return False
        try:
            self.reload_policy(path)
        except PolicyError:
            # Remember the broken version so the same error is not raised on every call.
            with self._lock:
                self._policy_origin = (path, current)
            raise
        return True

    # -- checking -------------------------------------------------------------------------

    def check(self, advert: AdvertInput, account: Account | None = None) -> Decision:
        """Check one advert and store the decision. The same id and version twice returns the
        stored decision and writes nothing; bad input raises `InvalidAdvert`, storing nothing.
        """
        return self._check(parse_advert(advert), account)

    def _check(
        self, ad: Advert, account: Account | None = None, prepared: Prepared | None = None
    ) -> Decision:
        self._purge_when_due()
        stored = self.store.get_decision(ad.id, ad.version)
        if stored is not None:
            return stored
        pipeline = self._pipeline
        try:
            result = pipeline.run(ad, account, prepared=prepared)
        except Exception:
            log.exception("check.failed", advert_id=ad.id, policy=pipeline.policy.policy.id)
            return self._fallback(ad, pipeline.policy)
        decision, created = self.store.save_check(result.record)
        if created:
            log.debug(
                "check.decided",
                advert_id=ad.id,
                action=decision.action.value,
                band=decision.band.value,
                ms=decision.timings.total_ms,
            )
        return decision

    async def acheck(self, advert: AdvertInput, account: Account | None = None) -> Decision:
        """`check` for asyncio code: runs in a worker thread so the event loop is not blocked."""
        return await asyncio.to_thread(self.check, advert, account)

    def check_many(
        self,
        adverts: Iterable[AdvertInput],
        *,
        batch_size: int = 64,
        workers: int = 0,
        on_invalid: Callable[[int, InvalidAdvert], None] | None = None,
    ) -> Iterator[Decision]:
        """Check adverts in order (a backfill), committing `batch_size` decisions at a time.

        Each decision is still all-or-nothing; a run that is killed loses at most its unfinished
        batch and, repeated, resumes where it stopped. An invalid advert raises `InvalidAdvert`
        after the decisions before it are committed and yielded; with `on_invalid`, it is
        passed there instead, with its position in `adverts` (from 0), and the run goes on
        (an exception raised by `on_invalid` ends the run the same way).

        `workers` > 0 starts that many worker processes (kept until `close`) to read the next
        batches while this process links and decides the current one; decisions are the same
        either way. Worth it for thousands of adverts on a machine with a spare core; a script
        using it needs the `if __name__ == "__main__":` guard.
        """
        size = max(1, batch_size)
        it = iter(adverts)
        batches = self._worker_batches(it, size, workers) if workers > 0 else _batches(it, size)
        with closing(batches):
            yield from self._decide_batches(batches, on_invalid)

    def _decide_batches(
        self,
        batches: Iterator[tuple[Preparation | None, list[Outcome]]],
        on_invalid: Callable[[int, InvalidAdvert], None] | None,
    ) -> Iterator[Decision]:
        position = 0
        for how, outcomes in batches:
            # Prepared under settings that changed since (a suppression, a new policy)? Then
            # each is prepared again here.
            current = how is not None and how == self._pipeline.preparation()
            decided: list[Decision] = []
            error: BaseException | None = None
            with self.store.batch():
                for outcome in outcomes:
                    position += 1
                    if isinstance(outcome, Unreadable):
                        if on_invalid is None:
                            error = outcome.error()
                            break
                        try:
                            on_invalid(position - 1, outcome.error())
                        except BaseException as exc:  # the caller's way of stopping the run
                            error = exc
                            break
                    elif isinstance(outcome, Prepared):
                        decided.append(
                            self._check(outcome.advert, prepared=outcome if current else None)
                        )
                    else:
                        decided.append(self._check(outcome))
            yield from decided
            if error is not None:
                raise error

    def _worker_batches(
        self, it: Iterator[AdvertInput], size: int, workers: int
    ) -> Generator[tuple[Preparation | None, list[Outcome]]]:
        pool = self._prepare_pool(workers)
        # Enough batches in flight that the workers are busy while this process decides.
        in_flight = 2 * pool.workers
        pending: deque[tuple[list[AdvertInput], Preparation, Future[list[Outcome]] | None]]
        pending = deque()

        def top_up() -> None:
            while len(pending) < in_flight and (chunk := list(islice(it, size))):
                how = self._pipeline.preparation()
                try:
                    pending.append((chunk, how, pool.submit(chunk, how)))
                except RuntimeError:  # the pool is shut down or broken: read it here
                    pending.append((chunk, how, None))

        try:
            top_up()
            while pending:
                chunk, how, future = pending.popleft()
                top_up()
                yield how, self._outcomes(chunk, how, future)
        finally:
            for _, _, future in pending:
                if future is not None:
                    future.cancel()

    def _outcomes(
        self,
        chunk: list[AdvertInput],
        how: Preparation,
        future: Future[list[Outcome]] | None,
    ) -> list[Outcome]:
        if future is not None:
            try:
                return future.result()
            except Exception as exc:  # a worker died or an input could not be sent
                if isinstance(exc, BrokenProcessPool) and self._pool is not None:
                    self._pool.broken = True
                log.warning(
                    "backfill.worker_failed",
                    error=type(exc).__name__,
                    action="reading the batch in this process",
                )
        return prepare_inputs(chunk, how)

    def _prepare_pool(self, workers: int) -> PreparePool:
        with self._lock:
            pool = self._pool
            if pool is None or pool.workers != workers or pool.broken:
                if pool is not None:
                    pool.close()
                pool = self._pool = PreparePool(workers)
            return pool

    def preview(self, advert: AdvertInput, account: Account | None = None) -> Decision:
        """What `check` would decide, without storing anything."""
        ad = parse_advert(advert)
        return self._pipeline.run(ad, account, record=False).decision

    def decision(self, advert_id: str, version: int | None = None) -> Decision | None:
        """The stored decision for an advert (its newest version unless one is given)."""
        return self.store.get_decision(advert_id, version)

    def cluster(self, advert_id: str) -> ClusterSummary | None:
        """The cluster an advert belongs to: the adverts and accounts strong links join it to."""
        cluster_id = self.store.cluster_of(advert_id)
        return None if cluster_id is None else self.store.cluster_summary(cluster_id)

    # -- what must not link --------------------------------------------------------------

    def _suppression_key(self, kind: str, value: str | bytes) -> tuple[str, bytes]:
        """The stored key of a benign identifier, photo or phrase, canonical as checks see it."""
        if kind == "phrase":
            if not isinstance(value, str) or len(value.strip()) < 3:
                raise ConfigError("a benign phrase is a text of at least 3 characters")
            return "phrase", value.strip().encode("utf-8")
        if kind == "photo":
            photo = (
                image_hash(value)
                if isinstance(value, bytes)
                else PhotoHash.from_hex(value.strip().lower())
            )
            return "photo", photo.hex.encode("ascii")
        if kind not in IDENTIFIER_KINDS:
            raise ConfigError(
                f"unknown kind {kind!r}; one of {', '.join(sorted(IDENTIFIER_KINDS))}, "
                "photo or phrase"
            )
        text = value.decode("utf-8") if isinstance(value, bytes) else value
        canonical = canonical_identifier(kind, text, self.policy.policy.market.phone_region)
        if canonical is None:
            raise ConfigError(f"{kind} {text!r} could not be read")
        return kind, self._hasher.digest(kind, canonical)

    def suppress(self, kind: str, value: str | bytes, *, note: str = "", actor: str) -> None:
        """Mark an identifier, photo (bytes or hash) or phrase as benign: it never links again.

        For a switchboard number, a site watermark, a stock photo or boilerplate the site adds.
        """
        k, key = self._suppression_key(kind, value)
        self.store.set_suppression(k, key, "suppressed", actor=actor, note=note)
        self._suppressions.refresh()

    def confirm(self, kind: str, value: str | bytes, *, note: str = "", actor: str) -> None:
        """A person confirms a quarantined identifier or photo is real evidence: it links again."""
        k, key = self._suppression_key(kind, value)
        self.store.set_suppression(k, key, "confirmed", actor=actor, note=note)
        self._suppressions.refresh()

    def activity(self, kind: str, value: str, now: datetime | None = None) -> dict[str, Activity]:
        """How many adverts, accounts, aliases and cities an identifier has had in the last
        hour, day and 30 days (by posting time), e.g. for a reviewer judging a number."""
        k, key = self._suppression_key(kind, value)
        at = now or datetime.now(UTC)
        return {
            name: self.store.identifier_activity(IdentifierKey(k, key), at - span)
            for name, span in ACTIVITY_WINDOWS.items()
        }

    def quarantined(self) -> list[Suppression]:
        """Identifiers and photos held out of linking until a person confirms or suppresses
        them (keys only: the store never had the raw values)."""
        return [s for s in self.store.suppressions() if s.status == "quarantined"]

    def _fallback(self, ad: Advert, policy: LoadedPolicy) -> Decision:
        """A decision when the check itself failed: the policy's `on_error` action, unstored,
        so that repeating the check later runs it for real.
        """
        action = Action.HOLD if policy.policy.on_error == "hold" else Action.ALLOW
        return Decision(
            decision_id=uuid.uuid4().hex,
            advert_id=ad.id,
            advert_version=ad.version,
            account_id=ad.account_id,
            action=action,
            status=DecisionStatus.PENDING_REVIEW if action.needs_review else DecisionStatus.FINAL,
            score=0.0,
            band=Band.LOW,
            reasons=[
                Reason(
                    indicator="internal_error",
                    category="system",
                    explanation="The check could not complete; the policy's on_error "
                    "action applies",
                    weight=0.0,
                )
            ],
            policy_id=policy.policy.id,
            policy_version=policy.policy.version,
            policy_hash=policy.content_hash,
            advertiser_message=policy.policy.messages.for_action(action),
            warnings=["check incomplete: internal error (see logs)"],
            timings=StageTimings(total_ms=0.0),
            created_at=datetime.now(UTC),
            engine_version=__version__,
        )

    # -- housekeeping ---------------------------------------------------------------------

    def purge_expired(self, now: datetime | None = None) -> int:
        """Enforce retention: delete review snapshots past their date. Returns how many.

        The guard also does this by itself when opened and then hourly while checking, so
        retention holds even if nobody schedules it.
        """
        purged = self.store.purge_expired(now or datetime.now(UTC))
        if purged:
            log.info("retention.purged", snapshots=purged)
        return purged

    def _purge_when_due(self) -> None:
        now = time.monotonic()
        if now < self._next_purge:
            return
        with self._lock:
            if now < self._next_purge:
                return
            self._next_purge = now + PURGE_INTERVAL_S
        self.purge_expired()
        self._save_price_book()

    def _save_price_book(self) -> None:
        if self._price_book is not None:
            self.store.set_meta(PRICE_BOOK_META, json.dumps(self._price_book.state()))

    def close(self) -> None:
        self._save_price_book()
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.close()
        self.store.close()

    def __enter__(self) -> Guard:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
