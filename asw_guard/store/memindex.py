"""The similarity index a store keeps in memory: text LSH band postings with each advert's keyed
tokens, rare-token postings, photo multi-index hashing and close-number buckets, as numpy arrays
rebuilt from the store's own key log.

Why in memory: a text fingerprint is 32 band keys and a photo 28 chunk keys; as B-tree rows every
check dirtied one random page per key, and the commit, not the lookup, became the cost of a check.
The store now writes one key-log row per advert (band keys, photo hashes, rare-token keys, text
tokens, close-number keys) and this index answers the lookups, at about 12 bytes per band or
rare-token key and 36 bytes per enrolled photo hash (see `nbytes`).

The log is the truth: the index catches up on rows newer than its high-water mark when the
database changed since it last looked, so several processes sharing one store see each other's
adverts. Keys of an advert that was edited stay in the arrays but point to a retired number and
are skipped.
"""

from __future__ import annotations

import itertools
import sys
from collections import defaultdict
from collections.abc import Iterable, Sequence
from functools import cache

import numpy as np
import numpy.typing as npt

U64 = npt.NDArray[np.uint64]
#: (seq, advert id, band keys, photo hashes, rare-token keys, keyed text tokens, close-number
#: keys): a key-log row. The blobs are little-endian uint64 arrays, except the tokens (native
#: uint32) and the close-number keys (pairs: bucket key, clear last digits).
KeyLogRow = tuple[int, str, bytes | None, bytes | None, bytes | None, bytes | None, bytes | None]
#: The signature kind the index also holds: keyed 32-bit token arrays that verify text links.
TOKENS_KIND = "text_tokens"
#: The similarity-key kind the index also holds: close-number buckets.
CLOSE_KIND = "close_number"
I32 = npt.NDArray[np.int32]

#: Photo hashes are 64 bits, split into CHUNKS chunks for multi-index hashing (the one
#: definition: `asw_guard.linking.images` builds its reference index from it too).
CHUNKS = 4
CHUNK_BITS = 64 // CHUNKS
_CHUNK_MASK = (1 << CHUNK_BITS) - 1


def band_number(key: bytes) -> int:
    """A 9-byte band key (band number, 8 hash bytes) as one 64-bit integer."""
    return int.from_bytes(key[1:9], "little") ^ (key[0] << 56)


_BAND_KEY = np.dtype([("band", "u1"), ("hash", "<u8")])


def band_numbers(keys: Sequence[bytes]) -> list[int]:
    """`band_number` of each key, in one pass over their bytes."""
    if not keys:
        return []
    if any(len(k) != 9 for k in keys):
        return [band_number(k) for k in keys]
    pairs = np.frombuffer(b"".join(keys), dtype=_BAND_KEY)
    numbers: list[int] = (
        pairs["hash"] ^ (pairs["band"].astype(np.uint64) << np.uint64(56))
    ).tolist()
    return numbers


def token_number(key: bytes) -> int:
    """A keyed rare-token hash as one 64-bit integer."""
    return int.from_bytes(key[:8], "little")


#: A close-number bucket key, like a rare-token key, is a keyed hash: 64 bits of it suffice.
close_number = token_number


def _merged(keys: U64, vals: I32, new_keys: U64, new_vals: I32) -> tuple[U64, I32]:
    """Sorted arrays with sorted additions inserted in one linear pass; an added value goes
    after the values its key already has, so within a key the newest stays last."""
    at = np.searchsorted(keys, new_keys, side="right")
    return np.insert(keys, at, new_keys), np.insert(vals, at, new_vals)


def _gather(vals: I32, lo: npt.NDArray[np.intp], hi: npt.NDArray[np.intp]) -> I32:
    """vals[lo[i]:hi[i]] for every i, in one indexing operation rather than a slice each."""
    lengths = np.maximum(hi - lo, 0)
    starts = np.repeat(lo - (np.cumsum(lengths) - lengths), lengths)
    return vals[starts + np.arange(int(lengths.sum()))]


class Postings:
    """uint64 key -> int32 values in insertion order, in three tiers by age.

    Additions go to a dict. Every MERGE_AT values the dict is merged into a middle pair of
    sorted arrays (a linear pass over at most MID_AT values), and every MID_AT values the
    middle is merged into the large base (a linear pass over everything). A lookup reads all
    three. The dict stays small because reading a popular key from it costs a Python list of
    every recent value; the middle tier keeps the costly pass over the base rare.
    """

    MERGE_AT = 16_384
    MID_AT = 1 << 21

    def __init__(self) -> None:
        self._keys: U64 = np.empty(0, dtype=np.uint64)
        self._vals: I32 = np.empty(0, dtype=np.int32)
        self._mid_keys: U64 = np.empty(0, dtype=np.uint64)
        self._mid_vals: I32 = np.empty(0, dtype=np.int32)
        self._tail: defaultdict[int, list[int]] = defaultdict(list)
        self._tail_n = 0

    def __len__(self) -> int:
        return len(self._keys) + len(self._mid_keys) + self._tail_n

    @property
    def nbytes(self) -> int:
        arrays = self._keys.nbytes + self._vals.nbytes
        arrays += self._mid_keys.nbytes + self._mid_vals.nbytes
        # The dict of recent additions is bounded by MERGE_AT; counted at ~100 bytes a value.
        return int(arrays) + 100 * self._tail_n

    def load(self, keys: U64, vals: I32) -> None:
        """Bulk additions (a rebuild): one stable sort, insertion order kept within a key."""
        if len(keys) == 0:
            return
        self._flush()
        keys = np.concatenate([self._keys, self._mid_keys, keys])
        vals = np.concatenate([self._vals, self._mid_vals, vals])
        order = np.argsort(keys, kind="stable")
        self._keys, self._vals = keys[order], vals[order]
        self._mid_keys = np.empty(0, dtype=np.uint64)
        self._mid_vals = np.empty(0, dtype=np.int32)
        self._retiered()

    def add(self, pairs: Iterable[tuple[int, int]]) -> None:
        """Add (key, value) pairs."""
        tail = self._tail
        added = 0
        for k, value in pairs:
            tail[k].append(value)
            added += 1
        self._tail_n += added
        if self._tail_n >= self.MERGE_AT:
            self._flush()

    def add_same(self, keys: Sequence[int], value: int) -> None:
        """Add each of `keys` with one value: an advert's 32 band keys on every check."""
        tail = self._tail
        for k in keys:
            tail[k].append(value)
        self._tail_n += len(keys)
        if self._tail_n >= self.MERGE_AT:
            self._flush()

    def _flush(self) -> None:
        """The dict into the middle tier, and the middle into the base once it is full."""
        if self._tail_n:
            tk = np.fromiter(
                (k for k, vs in self._tail.items() for _ in vs),
                dtype=np.uint64,
                count=self._tail_n,
            )
            tv = np.fromiter(
                itertools.chain.from_iterable(self._tail.values()),
                dtype=np.int32,
                count=self._tail_n,
            )
            order = np.argsort(tk, kind="stable")
            self._mid_keys, self._mid_vals = _merged(
                self._mid_keys, self._mid_vals, tk[order], tv[order]
            )
            self._tail = defaultdict(list)
            self._tail_n = 0
        if len(self._mid_keys) >= self.MID_AT:
            self._keys, self._vals = _merged(self._keys, self._vals, self._mid_keys, self._mid_vals)
            self._mid_keys = np.empty(0, dtype=np.uint64)
            self._mid_vals = np.empty(0, dtype=np.int32)
        self._retiered()

    def _retiered(self) -> None:
        """Called after the sorted tiers changed."""

    def _tiers(self) -> tuple[tuple[U64, I32], tuple[U64, I32]]:
        """The sorted tiers, newest first."""
        return (self._mid_keys, self._mid_vals), (self._keys, self._vals)

    def _bounds(self, tier: int, q: U64) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]]:
        """Where each of `q` starts and ends in tier `tier` (an index into `_tiers()`)."""
        keys = self._tiers()[tier][0]
        return np.searchsorted(keys, q, side="left"), np.searchsorted(keys, q, side="right")

    def get_each(self, keys: U64, limit: int | None = None) -> tuple[I32, npt.NDArray[np.intp]]:
        """`get_many`, and for each value the position in `keys` of the key that holds it: a
        caller can then tell the keys' values apart without a lookup per key."""
        vals, which = self._lookup(keys, keys.tolist(), limit, each=True)
        assert which is not None
        return vals, which

    def get_many(self, keys: Sequence[int], limit: int | None = None) -> I32:
        """Values of all `keys`, at most `limit` per key (the newest)."""
        if not keys:
            return np.empty(0, dtype=np.int32)
        q = np.fromiter(keys, dtype=np.uint64, count=len(keys))
        return self._lookup(q, keys, limit, each=False)[0]

    def _lookup(
        self, q: U64, keys: Sequence[int], limit: int | None, *, each: bool
    ) -> tuple[I32, npt.NDArray[np.intp] | None]:
        n = len(keys)
        vals: list[I32] = []
        which: list[npt.NDArray[np.intp]] = []
        # The newest first: each tier uses up what is left of the key's limit.
        room = None if limit is None else np.full(n, limit, dtype=np.int64)
        tail = self._tail
        if tail:
            parts: list[Sequence[int]]
            if limit is None:
                parts = [tail.get(k, ()) for k in keys]
            else:
                parts = [tail.get(k, ())[-limit:] for k in keys]
            lengths = np.fromiter(map(len, parts), dtype=np.int64, count=n)
            total = int(lengths.sum())
            if total:
                recent = itertools.chain.from_iterable(parts)
                vals.append(np.fromiter(recent, dtype=np.int32, count=total))
                if each:
                    which.append(np.repeat(np.arange(n), lengths))
            if room is not None:
                room = room - lengths
        for tier, (tier_keys, tier_vals) in enumerate(self._tiers()):
            if len(tier_keys) == 0:
                continue
            lo, hi = self._bounds(tier, q)
            if room is not None:
                lo = np.maximum(lo, hi - room)
                room = room - np.maximum(hi - lo, 0)
            vals.append(_gather(tier_vals, lo, hi))
            if each:
                which.append(np.repeat(np.arange(n), np.maximum(hi - lo, 0)))
        if not vals:
            empty = np.empty(0, dtype=np.intp) if each else None
            return np.empty(0, dtype=np.int32), empty
        joined = vals[0] if len(vals) == 1 else np.concatenate(vals)
        return joined, (np.concatenate(which) if each else None)


class DensePostings(Postings):
    """Postings whose keys are all below `key_space` (the 2**18 photo chunk keys). Each sorted
    tier keeps where every possible key's values start, so a lookup reads two offsets instead of
    binary-searching a large array: a photo asks for some 2,000 chunk variants, and each search
    of millions of keys misses the cache at most of its steps."""

    def __init__(self, key_space: int) -> None:
        super().__init__()
        self.key_space = key_space
        self._starts: list[I32] = []
        self._indexed: list[U64] = []
        self._retiered()

    @property
    def nbytes(self) -> int:
        return super().nbytes + sum(int(s.nbytes) for s in self._starts)

    def _retiered(self) -> None:
        tiers = [keys for keys, _ in self._tiers()]
        if len(self._indexed) == len(tiers) and all(
            a is b for a, b in zip(self._indexed, tiers, strict=True)
        ):
            return
        self._starts = [self._directory(keys) for keys in tiers]
        self._indexed = tiers

    def _directory(self, keys: U64) -> I32:
        if len(keys) == 0:
            return np.empty(0, dtype=np.int32)  # never read: lookups skip an empty tier
        counts = np.bincount(keys.astype(np.intp), minlength=self.key_space)
        if len(counts) > self.key_space:
            raise ValueError(f"a key is not below {self.key_space}")
        starts = np.zeros(self.key_space + 1, dtype=np.int32)
        np.cumsum(counts, out=starts[1:])
        return starts

    def _bounds(self, tier: int, q: U64) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]]:
        starts = self._starts[tier]
        # A key outside the space holds nothing: it reads the empty range at the end.
        at = np.minimum(q, np.uint64(self.key_space)).astype(np.intp)
        return starts[at].astype(np.intp), starts[np.minimum(at + 1, self.key_space)].astype(
            np.intp
        )


class _Growing:
    """A numpy array with amortised appends."""

    def __init__(self, dtype: type[np.generic]) -> None:
        self._data = np.empty(1024, dtype=dtype)
        self.n = 0

    def extend(self, values: Sequence[int]) -> int:
        """Append; returns the index of the first appended value."""
        first = self.n
        need = self.n + len(values)
        if need > len(self._data):
            grown = np.empty(max(need, 2 * len(self._data)), dtype=self._data.dtype)
            grown[: self.n] = self._data[: self.n]
            self._data = grown
        self._data[self.n : need] = values
        self.n = need
        return first

    @property
    def view(self) -> npt.NDArray[np.generic]:
        return self._data[: self.n]

    @property
    def nbytes(self) -> int:
        return int(self._data.nbytes)


@cache
def chunk_flips(radius: int) -> tuple[int, ...]:
    """Every CHUNK_BITS-bit mask with at most `radius` bits set."""
    masks = [0]
    for r in range(1, radius + 1):
        for bits in itertools.combinations(range(CHUNK_BITS), r):
            masks.append(sum(1 << b for b in bits))
    return tuple(masks)


class SimilarityIndex:
    """Band keys and photo hashes of every indexed advert, and the lookups over them."""

    def __init__(self) -> None:
        #: The key log's sequence number this index has caught up to.
        self.seq = 0
        self._ids: list[str] = []
        #: Each advert's keyed token array (a few hundred bytes): verifying up to 100 text
        #: candidates from memory instead of a random row read each.
        self._tokens: list[bytes | None] = []
        self._number: dict[str, int] = {}
        self._alive = bytearray()
        self._bands = Postings()
        self._rare = Postings()
        self._chunks = DensePostings(CHUNKS << CHUNK_BITS)
        self._hashes = _Growing(np.uint64)
        self._hash_owner = _Growing(np.int32)
        #: Close-number bucket key -> row; each row's owner and clear last digits.
        self._close = Postings()
        self._close_owner = _Growing(np.int32)
        self._close_tail = _Growing(np.int64)

    def __len__(self) -> int:
        return len(self._number)

    @property
    def nbytes(self) -> int:
        """Bytes held: the arrays, and the advert id map (list, dict and the id strings)."""
        arrays = self._bands.nbytes + self._rare.nbytes + self._chunks.nbytes
        arrays += self._hashes.nbytes + self._hash_owner.nbytes + len(self._alive)
        arrays += self._close.nbytes + self._close_owner.nbytes + self._close_tail.nbytes
        ids = sys.getsizeof(self._ids) + sys.getsizeof(self._number)
        ids += sum(sys.getsizeof(a) for a in self._ids)
        tokens = sys.getsizeof(self._tokens) + sum(sys.getsizeof(t) for t in self._tokens if t)
        return arrays + ids + tokens

    def _new_number(self, advert_id: str) -> int:
        old = self._number.get(advert_id)
        if old is not None:
            self._alive[old] = 0  # an edit: the earlier keys no longer speak for this advert
            self._tokens[old] = None
        n = len(self._ids)
        self._ids.append(advert_id)
        self._tokens.append(None)
        self._alive.append(1)
        self._number[advert_id] = n
        return n

    def add(
        self,
        seq: int,
        advert_id: str,
        bands: Sequence[int],
        photos: Sequence[int],
        rare: Sequence[int] = (),
        tokens: bytes | None = None,
        close: Sequence[int] = (),
    ) -> None:
        """Index one key-log row; `close` alternates bucket keys and their clear digits."""
        n = self._new_number(advert_id)
        self._tokens[n] = tokens or None
        self._bands.add_same(bands, n)
        self._rare.add_same(rare, n)
        if close:
            first = self._close_tail.extend(close[1::2])
            self._close_owner.extend([n] * (len(close) // 2))
            self._close.add((k, first + i) for i, k in enumerate(close[0::2]))
        if photos:
            first = self._hashes.extend(photos)
            self._hash_owner.extend([n] * len(photos))
            self._chunks.add(
                ((pos << CHUNK_BITS) | ((h >> (CHUNK_BITS * pos)) & _CHUNK_MASK), first + i)
                for i, h in enumerate(photos)
                for pos in range(CHUNKS)
            )
        self.seq = max(self.seq, seq)

    def load(self, rows: Iterable[KeyLogRow]) -> None:
        """Bulk rebuild from key-log rows (see `KeyLogRow`): one pass to number the adverts and
        join the blobs, then whole-array operations (a million rows load in seconds)."""
        names = ("bands", "rare", "photos", "close")
        blobs: dict[str, list[bytes]] = {name: [] for name in names}
        owners: dict[str, list[int]] = {name: [] for name in names}
        sizes: dict[str, list[int]] = {name: [] for name in names}
        for seq, advert_id, bands, photos, rare, tokens, close in rows:
            n = self._new_number(advert_id)
            self._tokens[n] = tokens or None
            for name, data in zip(names, (bands, rare, photos, close), strict=True):
                if data:
                    blobs[name].append(data)
                    owners[name].append(n)
                    sizes[name].append(len(data) // 8)
            self.seq = max(self.seq, seq)

        def joined(name: str) -> tuple[U64, I32]:
            values = np.frombuffer(b"".join(blobs[name]), dtype="<u8").astype(np.uint64)
            owner = np.repeat(np.asarray(owners[name], dtype=np.int32), sizes[name])
            return values, owner

        if blobs["bands"]:
            self._bands.load(*joined("bands"))
        if blobs["rare"]:
            self._rare.load(*joined("rare"))
        if blobs["photos"]:
            hashes, owner = joined("photos")
            first = self._hashes.extend(hashes)  # type: ignore[arg-type]
            self._hash_owner.extend(owner)  # type: ignore[arg-type]
            rows_of = np.arange(first, first + len(hashes), dtype=np.int32)
            self._chunks.load(
                np.concatenate([_position_keys(hashes, pos) for pos in range(CHUNKS)]),
                np.tile(rows_of, CHUNKS),
            )
        if blobs["close"]:
            pairs, owner = joined("close")
            first = self._close_tail.extend(pairs[1::2].astype(np.int64))  # type: ignore[arg-type]
            self._close_owner.extend(owner[0::2])  # type: ignore[arg-type]
            self._close.load(pairs[0::2], np.arange(first, first + len(pairs) // 2, dtype=np.int32))

    def tokens(self, advert_ids: Sequence[str]) -> dict[str, bytes]:
        """The keyed token arrays of these adverts' current versions (those that have one)."""
        found: dict[str, bytes] = {}
        for a in advert_ids:
            n = self._number.get(a)
            data = self._tokens[n] if n is not None else None
            if data is not None:
                found[a] = data
        return found

    def _alive_except(self, numbers: I32, exclude: str) -> npt.NDArray[np.bool_]:
        alive = np.frombuffer(self._alive, dtype=np.uint8)[numbers].astype(bool)
        skip = self._number.get(exclude)
        if skip is not None:
            alive &= numbers != skip
        return alive

    def rare_candidates(
        self, keys: Sequence[int], *, exclude: str, min_shared: int, common_at: int
    ) -> list[str]:
        """Adverts sharing at least `min_shared` of these rare-token keys, not counting keys on
        `common_at` or more adverts (the market's vocabulary, not one writer's habit)."""
        if not keys:
            return []
        # Twice the bar of each key, newest first: retired versions of edited adverts are among
        # them, and only live adverts other than this one count towards "common".
        q = np.fromiter(keys, dtype=np.uint64, count=len(keys))
        values, which = self._rare.get_each(q, 2 * common_at)
        alive = self._alive_except(values, exclude)
        values, which = values[alive], which[alive]
        rare = np.bincount(which, minlength=len(keys)) < common_at
        if int(rare.sum()) < min_shared:
            return []
        numbers, counts = np.unique(values[rare[which]], return_counts=True)
        chosen = numbers[counts >= min_shared]
        return [self._ids[i] for i in chosen.tolist()]

    def text_candidates(
        self, bands: Sequence[int], *, exclude: str, limit_per_key: int, top: int
    ) -> list[str]:
        """Adverts sharing band keys with these, most shared first, then newest first."""
        numbers = self._text_candidate_numbers(bands, exclude, limit_per_key, top)
        return [self._ids[n] for n in numbers]

    def text_candidate_tokens(
        self, bands: Sequence[int], *, exclude: str, limit_per_key: int, top: int
    ) -> dict[str, bytes]:
        """`text_candidates` with each one's keyed token array (those that have one), read by
        number: no lookup by advert id for a hundred candidates per check."""
        found: dict[str, bytes] = {}
        for n in self._text_candidate_numbers(bands, exclude, limit_per_key, top):
            data = self._tokens[n]
            if data is not None:
                found[self._ids[n]] = data
        return found

    def _text_candidate_numbers(
        self, bands: Sequence[int], exclude: str, limit_per_key: int, top: int
    ) -> list[int]:
        found = self._bands.get_many(bands, limit_per_key)
        if len(found) == 0:
            return []
        numbers, counts = np.unique(found, return_counts=True)
        alive = self._alive_except(numbers, exclude)
        numbers, counts = numbers[alive], counts[alive]
        order = np.lexsort((-numbers.astype(np.int64), -counts))[:top]
        result: list[int] = numbers[order].tolist()
        return result

    def photo_matches(
        self, hashes: Sequence[int], *, max_distance: int, exclude: str
    ) -> dict[str, int]:
        """Adverts with any enrolled hash within `max_distance` of any of `hashes`, and the
        smallest distance. Exact: every chunk variant within the pigeonhole radius is probed."""
        if not hashes or self._hashes.n == 0:
            return {}
        # Each query hash's chunk variants, remembering whose: a stored hash is then compared
        # with the query hash that reached it, not with every query hash. Any pair within
        # `max_distance` shares a chunk variant (pigeonhole), so no match is lost.
        q = np.unique(np.fromiter(hashes, dtype=np.uint64, count=len(hashes)))
        flips = np.asarray(chunk_flips(max_distance // CHUNKS), dtype=np.uint64)
        # (query hash, chunk position, variant): flipping bits of a chunk leaves its position.
        keys = np.stack([_position_keys(q, pos) for pos in range(CHUNKS)], axis=1)
        keys = keys[:, :, None] ^ flips[None, None, :]
        rows, which = self._chunks.get_each(keys.reshape(-1))
        if len(rows) == 0:
            return {}
        origin = which // (CHUNKS * len(flips))
        stored = self._hashes.view[rows].astype(np.uint64)
        distance = np.bitwise_count(stored ^ q[origin])
        near = distance <= max_distance
        owners = self._hash_owner.view[rows[near]]
        best: dict[str, int] = {}
        alive = self._alive
        skip = self._number.get(exclude)
        for owner, d in zip(owners.tolist(), distance[near].tolist(), strict=True):
            if not alive[owner] or owner == skip:
                continue
            advert_id = self._ids[owner]
            if d < best.get(advert_id, max_distance + 1):
                best[advert_id] = int(d)
        return best

    def close_matches(self, keys: Sequence[int], *, exclude: str) -> list[tuple[int, str, int]]:
        """(which of `keys`, advert id, its clear digits) for every live advert other than
        `exclude` holding one of these close-number bucket keys."""
        found: list[tuple[int, str, int]] = []
        skip = self._number.get(exclude)
        for i, k in enumerate(keys):
            rows = self._close.get_many([k])
            if len(rows) == 0:
                continue
            owners = self._close_owner.view[rows].tolist()
            tails = self._close_tail.view[rows].tolist()
            for owner, tail in zip(owners, tails, strict=True):
                if self._alive[owner] and owner != skip:
                    found.append((i, self._ids[owner], int(tail)))
        return found


def _position_keys(hashes: U64, pos: int) -> U64:
    shift = np.uint64(CHUNK_BITS * pos)
    chunk = (hashes >> shift) & np.uint64(_CHUNK_MASK)
    return chunk | np.uint64(pos << CHUNK_BITS)
