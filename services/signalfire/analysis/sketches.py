"""Near-copy detection: MinHash sketches of a body's word 3-shingles.

Wire copies and lightly edited republications share most 3-word shingles; independent reports
of one event share almost none. A story keeps the sketches of its first few members, and an
article whose estimated shingle Jaccard with one of them is high is a syndicated copy of it.

The sketch is datasketch's "affine32" MinHash (the MurmurHash3 finalizer, then `a * h + b`
modulo 2^32 with datasketch's seeded permutations), computed here in one numpy expression:
building a `MinHash` object per article cost more than the rest of story assignment.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from functools import lru_cache
from typing import cast

import numpy as np
from datasketch import MinHash

SHINGLE_WORDS = 3
NUM_PERM = 64
MINHASH_SCHEME = "affine32"  # pinned: stored sketches must stay comparable
_MAX_HASH = (1 << 32) - 1
# Odd 64-bit multipliers that mix the three word hashes of a shingle into one value.
_MIX = np.array([0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9], dtype=np.uint64)
_FMIX = (np.uint32(16), np.uint32(0x85EBCA6B), np.uint32(13), np.uint32(0xC2B2AE35))
_WORD_HASHES: dict[bytes, int] = {}
_WORD_HASHES_MAX = 500_000


@lru_cache(maxsize=1)
def _permutations() -> tuple[np.ndarray, np.ndarray]:
    """datasketch's seeded affine32 parameters (a odd, b), drawn once."""
    perms = MinHash(num_perm=NUM_PERM, scheme=MINHASH_SCHEME).permutations
    a, b = (np.array(p, dtype=np.uint32) for p in perms)
    a.flags.writeable = b.flags.writeable = False
    return a, b


def _word_hash(word: bytes) -> int:
    """A stable 32-bit hash per word (blake2b): the same in every process."""
    return int.from_bytes(hashlib.blake2b(word, digest_size=4).digest(), "little")


def shingle_hashes(words: Sequence[bytes | str], *, distinct: bool = True) -> np.ndarray:
    """32-bit hashes of the word 3-shingles (uint64 array, each once unless `distinct` is
    False: a MinHash does not mind repeats), mixed in numpy from cached word hashes."""
    if not words:
        return np.zeros(0, dtype=np.uint64)
    seq: Sequence[bytes] = (
        [w.encode() if isinstance(w, str) else w for w in words]
        if isinstance(words[0], str)
        else cast("Sequence[bytes]", words)
    )
    missing = set(seq).difference(_WORD_HASHES)  # a dict argument: looked up, not copied
    if missing:
        if len(_WORD_HASHES) + len(missing) > _WORD_HASHES_MAX:
            _WORD_HASHES.clear()
            missing = set(seq)
        _WORD_HASHES.update(zip(missing, map(_word_hash, missing), strict=True))
    ids = np.fromiter(map(_WORD_HASHES.__getitem__, seq), dtype=np.uint64, count=len(seq))
    if len(ids) < SHINGLE_WORDS:
        ids = np.concatenate([ids, np.zeros(SHINGLE_WORDS - len(ids), dtype=np.uint64)])
    n = len(ids) - SHINGLE_WORDS + 1
    with np.errstate(over="ignore"):  # wrap-around multiplication is the point
        mixed = ids[:n] * _MIX[0] + ids[1 : n + 1] * _MIX[1] + ids[2 : n + 2] * _MIX[2]
    hashes = mixed >> np.uint64(32)
    return np.unique(hashes) if distinct else hashes


def sketch(words: Sequence[bytes | str]) -> list[int]:
    """The MinHash of the words' 3-shingles: `NUM_PERM` 32-bit values."""
    hashes = shingle_hashes(words, distinct=False)
    if not len(hashes):
        return [_MAX_HASH] * NUM_PERM
    s1, m1, s2, m2 = _FMIX
    hv = hashes.astype(np.uint32)
    with np.errstate(over="ignore"):
        hv = hv ^ (hv >> s1)
        hv = hv * m1
        hv = hv ^ (hv >> s2)
        hv = hv * m2
        hv = hv ^ (hv >> s1)
        a, b = _permutations()
        values: list[int] = (hv[:, None] * a + b).min(axis=0).tolist()
    return values


def similarity(a: Sequence[int], b: Sequence[int]) -> float:
    """Estimated Jaccard similarity of two sketches (0 when either is missing)."""
    if len(a) != NUM_PERM or len(b) != NUM_PERM:
        return 0.0
    return sum(map(int.__eq__, a, b)) / NUM_PERM


def similarities(sketch_: Sequence[int], others: Sequence[Sequence[int]]) -> list[float]:
    """`similarity` of one sketch with each of several (same length), in one numpy pass."""
    if not others:
        return []
    matrix = np.array(others, dtype=np.uint32)
    equal: list[int] = (matrix == np.array(sketch_, dtype=np.uint32)).sum(axis=1).tolist()
    return [n / len(sketch_) for n in equal]
