"""The pure core of deduplication: fingerprints of one article and the rules that compare two.

Nothing here touches the database. :func:`fingerprint` turns prepared text into everything the
index stores (exact keys, a MinHash signature, LSH band keys, a lede signature, the
number-and-name slots the veto reads); :func:`compare` decides whether two fingerprints are the
same story. Thresholds are module constants documented in ``docs/dedup.md``; tune them with
``newswire dedup --jsonl`` on your own data.
"""

from __future__ import annotations

import functools
import hashlib
import struct
import zlib
from collections import defaultdict
from dataclasses import dataclass

import numpy as np
from datasketch import MinHash

from pipeline.stages.dedup.text import PreparedText

__all__ = [
    "BANDS",
    "Fingerprint",
    "Match",
    "Verdict",
    "compare",
    "election_rank",
    "fingerprint",
    "stable_hash",
    "veto_reason",
]

NUM_PERM = 126  # 42 bands x 3 rows
BANDS, ROWS = 42, 3
LEDE_TOKENS = 40  # the opening words index truncated copies, whose overall Jaccard is low
LEDE_PERM, LEDE_BANDS, LEDE_ROWS = 32, 8, 4
SHINGLE = 3
SEED = 20_241_127
MIN_TEXT_TOKENS = 12  # below this an exact-text match says nothing (a headline, a stub)
MIN_NEAR_TOKENS = 25  # below this near-duplicate matching is skipped altogether
JACCARD_ACCEPT = 0.5
CONTAINMENT_ACCEPT = 0.65
MIN_CONTAINED_SHINGLES = 20
# veto: two texts with the same wording around different numbers or names are different stories
# (a differing number weighs double: copies keep figures, siblings change them all)
NUMBER_WEIGHT, MIN_CONFLICTS, CONFLICT_RATIO = 2, 3, 0.2
# ... and when most of the figures both texts put in the same place differ (even one of one)
NUMBER_MAJORITY = 0.5
_MASK_NUM, _MASK_NAME = "#", "^"


@dataclass(frozen=True)
class Fingerprint:
    """What the index keeps about one article."""

    text_key: str | None  # hash of the story tokens, None when too short to mean anything
    raw_key: str | None  # hash of all tokens, packaging included
    signature: bytes  # NUM_PERM little-endian uint32 MinHash values
    n_shingles: int
    n_tokens: int
    band_keys: tuple[int, ...]  # full-text and lede LSH buckets, signed 64-bit
    slots: bytes  # packed (context, value) uint32 pairs for numbers and names
    shingle_set: bytes  # sorted distinct uint32 shingle hashes: exact verification
    near_eligible: bool  # long enough and not an access wall
    paywall: bool
    truncated: bool


@dataclass(frozen=True)
class Verdict:
    """How two fingerprints compare."""

    jaccard: float
    containment: float
    vetoed: bool
    accepted: bool
    reason: str

    @property
    def score(self) -> float:
        """The evidence reported with a match: the larger of Jaccard and containment."""
        return round(max(self.jaccard, self.containment), 4)


@dataclass(frozen=True)
class Match:
    """An accepted match against a stored article."""

    article_id: int
    method: str  # url / text / near / revision
    score: float
    story_id: int | None = None  # the matched article's story, when the lookup returned it


def _h64(data: bytes) -> int:
    return int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "big", signed=True)


def stable_hash(key: str) -> int:
    """A signed 64-bit hash of *key*, the same in every process (advisory-lock ids, keys)."""
    return _h64(key.encode())


def _h32(text: str) -> int:
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=4).digest(), "big")


def _shingles(tokens: tuple[str, ...] | list[str]) -> set[bytes]:
    if len(tokens) < SHINGLE:
        return {" ".join(tokens).encode()} if tokens else set()
    return {" ".join(tokens[i : i + SHINGLE]).encode() for i in range(len(tokens) - SHINGLE + 1)}


@functools.cache
def _permutations(num_perm: int) -> tuple[np.ndarray, np.ndarray]:
    """datasketch draws its permutations per object; drawing them once saves most of the cost."""
    perms: tuple[np.ndarray, np.ndarray] = MinHash(
        num_perm=num_perm, seed=SEED, scheme="affine32"
    ).permutations
    return perms


def _minhash(shingles: set[bytes], num_perm: int) -> np.ndarray:
    # crc32: stable across processes (unlike hash()) and computed in C, unlike the sha1 default
    mh = MinHash(
        num_perm=num_perm,
        seed=SEED,
        hashfunc=zlib.crc32,
        permutations=_permutations(num_perm),
        scheme="affine32",
    )
    if shingles:
        mh.update_batch(list(shingles))
    values: np.ndarray = mh.hashvalues.astype(np.uint32)
    return values


def _bands(values: np.ndarray, kind: int, bands: int, rows: int) -> list[int]:
    return [
        _h64(struct.pack(">BB", kind, b) + values[b * rows : (b + 1) * rows].tobytes())
        for b in range(bands)
    ]


def _slot_class(token: str) -> str | None:
    if token.isalpha():
        return _MASK_NAME if token[0].isupper() else None
    if any(ch.isdigit() for ch in token):
        return _MASK_NUM
    return _MASK_NAME if token[0].isupper() else None


def _slots(cased: tuple[str, ...]) -> bytes:
    """Numbers and capitalised words keyed by their masked two-word context on each side.

    A template sibling ("Acme earned $5 million" / "Bolt earned $7 million") shares the
    contexts but not the values; a syndicated copy shares both.
    """
    classes = [_slot_class(t) for t in cased]
    masked = [c if c else t.lower() for t, c in zip(cased, classes, strict=True)]
    out = bytearray()
    for i, cls in enumerate(classes):
        if cls is None:
            continue
        left = masked[max(0, i - 2) : i]
        right = masked[i + 1 : i + 3]
        if sum(1 for w in left + right if w not in (_MASK_NUM, _MASK_NAME)) < 2:
            continue  # a context of masks alone (a list of figures) identifies nothing
        context = _h32(cls + "|" + " ".join(left) + "|" + " ".join(right)) & ~1
        if cls == _MASK_NUM:
            context |= 1  # low bit: which kind of slot
        else:
            context &= ~1
        out += struct.pack("<II", context, _h32(cased[i].lower()))
    return bytes(out)


def fingerprint(prepared: PreparedText) -> Fingerprint:
    """Fingerprint prepared text (see :func:`pipeline.stages.dedup.text.prepare_text`)."""
    tokens = prepared.tokens
    joined = " ".join(tokens)
    # an access wall or a page of packaging says nothing about the story: no exact keys
    meaningful = len(tokens) >= MIN_TEXT_TOKENS and not prepared.paywall
    text_key = hashlib.sha256(joined.encode()).hexdigest() if meaningful else None
    shingles = _shingles(tokens)
    values = _minhash(shingles, NUM_PERM)
    shingle_set = np.unique(np.fromiter((zlib.crc32(x) for x in shingles), dtype=np.uint32))
    near = len(tokens) >= MIN_NEAR_TOKENS and not prepared.paywall
    band_keys: list[int] = []
    if near:
        band_keys = _bands(values, 1, BANDS, ROWS)
        lede = _minhash(_shingles(tokens[:LEDE_TOKENS]), LEDE_PERM)
        band_keys += _bands(lede, 2, LEDE_BANDS, LEDE_ROWS)
    return Fingerprint(
        text_key=text_key,
        raw_key=prepared.raw_digest if meaningful else None,
        signature=values.astype("<u4").tobytes(),
        n_shingles=len(shingle_set),
        n_tokens=len(tokens),
        band_keys=tuple(sorted(set(band_keys))),
        slots=_slots(prepared.cased),
        shingle_set=shingle_set.astype("<u4").tobytes(),
        near_eligible=near,
        paywall=prepared.paywall,
        truncated=prepared.truncated,
    )


def _slot_map(slots: bytes) -> dict[int, set[int]]:
    table: dict[int, set[int]] = defaultdict(set)
    for context, value in struct.iter_unpack("<II", slots):
        table[context].add(value)
    return table


def slot_conflicts(a: bytes, b: bytes) -> tuple[int, int, int, int]:
    """(number conflicts, number contexts shared, name conflicts, name contexts shared)."""
    ma, mb = _slot_map(a), _slot_map(b)
    num_c = num_s = name_c = name_s = 0
    for context in ma.keys() & mb.keys():
        conflict = not (ma[context] & mb[context])
        if context & 1:
            num_s += 1
            num_c += conflict
        else:
            name_s += 1
            name_c += conflict
    return num_c, num_s, name_c, name_s


def compare(
    sig_a: bytes,
    n_a: int,
    slots_a: bytes,
    *,
    sig_b: bytes,
    n_b: int,
    slots_b: bytes,
    set_a: bytes | None = None,
    set_b: bytes | None = None,
) -> Verdict:
    """Are two fingerprints the same story? Similar enough, and not vetoed.

    Accept on estimated Jaccard ≥ ``JACCARD_ACCEPT``, or when the smaller text is contained in
    the larger (truncated copies, write-throughs) at ≥ ``CONTAINMENT_ACCEPT``. Veto when the
    shared wording surrounds different numbers or names: a templated brief about another
    company, another count, another race — a false merge loses an event, a miss only a link.
    """
    small = min(n_a, n_b)
    if set_a is not None and set_b is not None:
        # exact, from the stored shingle sets: a MinHash estimate of containment is too noisy
        # when one text is much shorter than the other (a truncated copy, a stub)
        sa = np.frombuffer(set_a, dtype="<u4")
        sb = np.frombuffer(set_b, dtype="<u4")
        inter = float(np.intersect1d(sa, sb, assume_unique=True).size)
        union = len(sa) + len(sb) - inter
        jaccard = inter / union if union else 0.0
        small = min(len(sa), len(sb))
    else:
        va = np.frombuffer(sig_a, dtype="<u4")
        vb = np.frombuffer(sig_b, dtype="<u4")
        jaccard = float(np.count_nonzero(va == vb)) / len(va) if len(va) == len(vb) else 0.0
        inter = jaccard * (n_a + n_b) / (1.0 + jaccard) if jaccard > 0 else 0.0
    containment = min(1.0, inter / small) if small else 0.0
    similar = jaccard >= JACCARD_ACCEPT or (
        small >= MIN_CONTAINED_SHINGLES and containment >= CONTAINMENT_ACCEPT
    )
    if not similar:
        return Verdict(jaccard, containment, vetoed=False, accepted=False, reason="dissimilar")
    reason = veto_reason(slots_a, slots_b)
    if reason is not None:
        return Verdict(jaccard, containment, vetoed=True, accepted=False, reason=reason)
    return Verdict(jaccard, containment, vetoed=False, accepted=True, reason="similar")


def veto_reason(slots_a: bytes, slots_b: bytes) -> str | None:
    """Why two texts are different stories by their figures and names, or None.

    The veto alone, without the similarity test: two stories about to be merged are checked
    canonical against canonical, whatever their overlap.
    """
    num_c, num_s, name_c, name_s = slot_conflicts(slots_a, slots_b)
    conflicts = NUMBER_WEIGHT * num_c + name_c
    shared = NUMBER_WEIGHT * num_s + name_s
    numbers_differ = num_c >= 1 and num_c >= NUMBER_MAJORITY * num_s
    if numbers_differ or (conflicts >= MIN_CONFLICTS and conflicts >= CONFLICT_RATIO * shared):
        return "numbers differ" if num_c else "names differ"
    return None


def election_rank(
    *, wire_origin: bool, complete: bool, n_tokens: int, seen_ts: float, article_id: int
) -> tuple[int, int, int, float, int]:
    """Sort key of a story's canonical article: larger wins.

    Wire original first (the agency's own copy), then complete over truncated or walled copies,
    then the longest, then the earliest, then the lowest id so the choice is stable.
    """
    return (int(wire_origin), int(complete), n_tokens, -seen_ts, -article_id)
