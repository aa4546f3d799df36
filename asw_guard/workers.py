"""Worker processes that prepare adverts for a backfill (`Guard.check_many(..., workers=N)`).

Half of a check needs nothing but the advert: parsing, extraction, identifier keys, similarity
features and the phrase scan (`pipeline.prepare`). Workers do that half for the next batches
while the guard's own process links, decides and writes the current one, so a backfill uses a
second core. Linking and deciding stay in one process and in order: each advert must see every
advert checked before it, and a decision must read the same whichever way it was prepared.

Workers are started with "spawn", never "fork": the guard's process holds SQLite connections
and a checkpoint thread that a forked child must not inherit. A script that uses workers needs
the usual `if __name__ == "__main__":` guard.
"""

from __future__ import annotations

import copyreg
import dataclasses
import multiprocessing
import multiprocessing.connection
import os
import threading
from collections.abc import Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any

from asw_guard.errors import FieldProblem, InvalidAdvert
from asw_guard.intake import AdvertInput, parse_advert
from asw_guard.linking.features import Benign, Features
from asw_guard.linking.identifiers import Identifier
from asw_guard.linking.images import PhotoHash
from asw_guard.linking.numbers import CloseKey
from asw_guard.linking.text import TextFingerprint
from asw_guard.logs import configure_logging
from asw_guard.models import Advert
from asw_guard.pipeline import Preparation, Prepared, prepare
from asw_guard.store.base import IdentifierKey


@dataclass(frozen=True, slots=True)
class Unreadable:
    """An input that is not a valid advert, as `InvalidAdvert` would describe it."""

    problems: tuple[FieldProblem, ...]
    advert_id: str | None

    def error(self) -> InvalidAdvert:
        return InvalidAdvert(list(self.problems), advert_id=self.advert_id)


#: One input's outcome: prepared; parsed but failed to prepare (the guard's process prepares
#: it again, where a failure gets the policy's on_error decision and is logged); or unreadable.
Outcome = Prepared | Advert | Unreadable


def read_input(item: AdvertInput) -> Advert | Unreadable:
    try:
        return parse_advert(item)
    except InvalidAdvert as exc:
        return Unreadable(tuple(exc.problems), exc.advert_id)


def prepare_inputs(inputs: Sequence[AdvertInput], how: Preparation) -> list[Outcome]:
    """Parse and prepare a batch of inputs, in order. Runs in a worker; never raises for one
    bad advert."""
    out: list[Outcome] = []
    for item in inputs:
        advert = read_input(item)
        if isinstance(advert, Unreadable):
            out.append(advert)
            continue
        try:
            out.append(prepare(advert, how))
        except Exception:  # the guard's process prepares it again, logs and falls back
            out.append(advert)
    return out


def _by_fields(obj: Any) -> tuple[type, tuple[Any, ...]]:
    cls = type(obj)
    return cls, tuple(getattr(obj, name) for name in _INIT_FIELDS[cls])


# Frozen slotted dataclasses pickle through a generic state function that lists their fields
# on every object; rebuilding them from their init arguments halves the time this process
# spends receiving a prepared batch.
_INIT_FIELDS: dict[type, tuple[str, ...]] = {
    cls: tuple(f.name for f in dataclasses.fields(cls) if f.init)
    for cls in (
        Prepared,
        Preparation,
        Features,
        Benign,
        TextFingerprint,
        CloseKey,
        PhotoHash,
        Identifier,
        IdentifierKey,
    )
}
for _cls in _INIT_FIELDS:
    copyreg.pickle(_cls, _by_fields)


def _start_worker() -> None:
    # A worker logs through the same redacting processors as the guard's process.
    configure_logging()
    parent = multiprocessing.parent_process()
    if parent is not None:
        # A worker waits on a queue it also holds the writing end of, so it would outlive a
        # guard process that was killed; it leaves as soon as its parent is gone.
        threading.Thread(target=_exit_with, args=(parent.sentinel,), daemon=True).start()


def _exit_with(sentinel: int) -> None:
    multiprocessing.connection.wait([sentinel])
    os._exit(0)


class PreparePool:
    """A pool of worker processes preparing batches of adverts."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        #: Set when a worker died: the guard starts a new pool for its next backfill.
        self.broken = False
        self._pool = ProcessPoolExecutor(
            max_workers=workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_start_worker,
        )

    def submit(self, inputs: Sequence[AdvertInput], how: Preparation) -> Future[list[Outcome]]:
        return self._pool.submit(prepare_inputs, list(inputs), how)

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
