"""Every decision on a fixed synthetic market, hashed: speed work must not change any of them.

The digest covers all of a decision but its id, its creation time, its timings and the engine
version (none of which are decisions); what each check hands the store (links, identifier keys,
facts, snapshot); and the clusters the store holds at the end of the run. Cluster ids are random
(and so is which id survives a merge of equal-sized clusters), so they enter only as membership:
whether the decision has a cluster, and the sorted groups of advert ids at the end.
If a change is meant to alter decisions, record the new digest here in the same commit.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from asw_guard import Guard
from asw_guard.store.base import CheckRecord
from asw_guard.synth import generate_market

GOLDEN_DIGEST = "82357957c4996c8b955745a73fb3cfc6d0d9a734018a71f7f25efac79bb2b2c9"
N_ADVERTS = 1500
SEED = 3


def _plain(value: object) -> object:
    """JSON-ready form of what a check record holds: dataclasses, bytes, datetimes, tuples."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, bytes):
        return value.hex()
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, Sequence) and not isinstance(value, str):
        return [_plain(v) for v in value]
    return value


def _record_row(record: CheckRecord) -> dict[str, Any]:
    row = {
        f.name: _plain(getattr(record, f.name))
        for f in dataclasses.fields(record)
        # The decision is hashed as stored; the expiry is "now" plus a policy's days.
        if f.name not in ("decision", "snapshot_expires_at")
    }
    row["snapshot_expires"] = record.snapshot_expires_at is not None
    return row


def decisions_digest(db_path: Path, *, workers: int = 0) -> tuple[str, int]:
    market = generate_market(N_ADVERTS, seed=SEED)
    rows: list[dict[str, Any]] = []
    records: list[dict[str, Any]] = []
    with Guard.open(f"sqlite:///{db_path}", hmac_key=b"k" * 32) as guard:
        save = guard.store.save_check

        def recording_save(record: CheckRecord) -> tuple[Any, bool]:
            records.append(_record_row(record))
            return save(record)

        guard.store.save_check = recording_save  # type: ignore[method-assign]
        for decision in guard.check_many(market.adverts, batch_size=32, workers=workers):
            row = decision.model_dump(
                mode="json",
                exclude={"decision_id", "created_at", "timings", "engine_version"},
            )
            row["cluster_id"] = decision.cluster_id is not None
            rows.append(row)
        # Membership as the store holds it once every advert is in: sorted groups of advert ids.
        groups: set[tuple[str, ...]] = set()
        for advert_id in sorted({str(ad["id"]) for ad in market.adverts}):
            summary = guard.cluster(advert_id)
            if summary is not None:
                groups.add(tuple(sorted(summary.advert_ids)))
    payload = json.dumps(
        {"decisions": rows, "records": records, "clusters": sorted(groups)},
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=True,
    )
    return hashlib.sha256(payload.encode("ascii")).hexdigest(), len(rows)


@pytest.mark.parametrize("workers", [0, 1], ids=["in-process", "worker-prepared"])
def test_decisions_on_a_fixed_market_are_unchanged(tmp_path: Path, workers: int) -> None:
    # Adverts prepared by a worker process decide exactly as those prepared in-process.
    digest, n = decisions_digest(tmp_path / "golden.db", workers=workers)
    assert n >= N_ADVERTS
    assert digest == GOLDEN_DIGEST
