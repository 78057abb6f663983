"""Finding an article's matches, and deciding which stories one article may join or merge.

The candidate lookup is one query against the LSH band table (primary-key probes: its cost does
not grow with the number of stored articles); each candidate is verified exactly against its
stored shingle set, and the canonical article of each story hit has the last word (a truncated
member cannot vouch for a templated sibling).

**Merges are vetoed unless the stories' canonical articles agree.** One bridging article that
matches members of two stories is how a split story is made whole again, but at 50,000
documents a single wrong bridge (a short text contained in two unrelated stories that share a
background sentence) joined two whole clusters and cost thousands of pairs. So two stories
merge only when, besides no figures-and-names veto between their canonicals, either the two
canonical articles themselves pass the pair test, or the bridging article *covers* both
canonicals (the fullest copies, the stories' "centroids"): Jaccard, or the canonical contained
in the bridge, never the other way round. A truncated copy and a write-through that split a
story both sit inside the full copy that bridges them, so real merges still happen; a bridge
that only touches an outlying member of the other story, or is itself a short text contained in
both, does not.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import numpy as np
from sqlalchemy import Connection, bindparam, text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.types import BigInteger, Text

from pipeline.config import Settings
from pipeline.stages.dedup.core import (
    CONTAINMENT_ACCEPT,
    JACCARD_ACCEPT,
    Fingerprint,
    Match,
    Verdict,
    compare,
    veto_reason,
)
from pipeline.stages.dedup.stories import lock_stories, merge_stories

__all__ = ["Canonical", "LookupStats", "covers", "find_match", "join_story", "merge_allowed"]

MAX_CANDIDATES = 50
CANDIDATE_POOL = 400  # articles sharing buckets considered before picking candidates per story
PER_STORY = 6  # candidates verified per story hit
MAX_MERGES = 8  # other stories one article may fold into its own


@dataclass
class LookupStats:
    """Latencies of the candidate lookups and documents (milliseconds), for the benchmark."""

    lookup_ms: list[float] = field(default_factory=list)
    doc_ms: list[float] = field(default_factory=list)  # whole documents (scratch runs only)


@dataclass(frozen=True)
class Canonical:
    """The stored fingerprint of a story's canonical article (what a merge is judged on)."""

    article_id: int
    signature: bytes
    n_shingles: int
    slots: bytes
    shingles: bytes | None

    @classmethod
    def of(cls, article_id: int, fp: Fingerprint) -> Canonical:
        """The same fields, from a fingerprint just computed (the bridging article's)."""
        return cls(article_id, fp.signature, fp.n_shingles, fp.slots, fp.shingle_set)

    def judge(self, other: Canonical) -> Verdict:
        """The pair test (:func:`pipeline.stages.dedup.core.compare`) between two stored texts."""
        return compare(
            self.signature,
            self.n_shingles,
            self.slots,
            sig_b=other.signature,
            n_b=other.n_shingles,
            slots_b=other.slots,
            set_a=self.shingles,
            set_b=other.shingles,
        )


def merge_allowed(bridge: Fingerprint, bridge_id: int, a: Canonical, b: Canonical) -> str | None:
    """Why the stories led by canonicals *a* and *b* must not merge, or None when they may.

    Not when the canonicals veto each other (figures or names that differ in the same places);
    otherwise when the canonicals pass the pair test between themselves, or when the bridging
    article *covers* each of them (:func:`covers`; a canonical that *is* the bridge is covered).
    A bridge that is merely contained in both (a short text made of a sentence two unrelated
    stories share) vouches for neither.
    """
    if veto_reason(a.slots, b.slots) is not None:
        return "canonicals veto each other"
    if a.judge(b).accepted:
        return None
    for canon in (a, b):
        if canon.article_id != bridge_id and not covers(bridge, canon):
            return "bridge does not cover both canonicals"
    return None


def covers(bridge: Fingerprint, canon: Canonical) -> bool:
    """Does *bridge* hold the canonical article: the pair test, with containment counted only
    in one direction (the canonical's shingles inside the bridge), and no veto?

    A full copy covers the truncated copy that leads one piece of a split story and the
    write-through that leads the other; a short text inside both canonicals covers neither.
    """
    verdict = Canonical.of(-1, bridge).judge(canon)
    if not verdict.accepted:
        return False
    if verdict.jaccard >= JACCARD_ACCEPT:
        return True
    if canon.shingles is None or not bridge.shingle_set:
        return bridge.n_shingles >= canon.n_shingles  # estimates only: the larger holds the other
    theirs = np.frombuffer(canon.shingles, dtype="<u4")
    mine = np.frombuffer(bridge.shingle_set, dtype="<u4")
    if not len(theirs):
        return False
    inside = np.intersect1d(theirs, mine, assume_unique=True).size / len(theirs)
    return bool(inside >= CONTAINMENT_ACCEPT)


def _canonicals(conn: Connection, story_ids: list[int]) -> dict[int, Canonical]:
    rows = conn.execute(
        text(
            "SELECT s.id, d.article_id, d.signature, d.n_shingles, d.slots, d.shingles "
            "FROM stories AS s JOIN dedup_docs AS d ON d.article_id = s.canonical_article_id "
            "WHERE s.id = ANY(:ids)"
        ),
        {"ids": story_ids},
    ).all()
    return {int(r[0]): Canonical(int(r[1]), r[2], int(r[3]), r[4], r[5]) for r in rows}


def find_match(
    conn: Connection,
    settings: Settings,
    article_id: int,
    *,
    ts: datetime,
    fp: Fingerprint,
    url_exact: list[str],
    text_exact: list[str],
    stats: LookupStats | None,
) -> tuple[Match | None, list[Match]]:
    """The best match, and the best accepted match in each *other* story (to merge with)."""
    exact = url_exact + text_exact
    if exact:
        found = conn.execute(
            text(
                "SELECT k.key, k.article_id, "
                "(SELECT a.story_id FROM articles AS a WHERE a.id = k.article_id) "
                "FROM dedup_keys AS k WHERE k.key = ANY(:keys) AND k.article_id <> :id"
            ).bindparams(bindparam("keys", type_=ARRAY(Text))),
            {"keys": exact, "id": article_id},
        ).all()
        if found:
            # a URL match beats a text match; among equals the oldest article wins
            key, owner, story = min(found, key=lambda r: (not r[0].startswith("u:"), r[1]))
            method = "url" if key.startswith("u:") else "text"
            return Match(int(owner), method, 1.0, story), []
    if not fp.near_eligible:
        return None, []
    window = timedelta(days=settings.dedup_window_days)
    started = time.perf_counter()
    candidates = conn.execute(
        text(
            # the band probes first (primary-key lookups), the window filter on their few rows:
            # the cost stays bounded by the buckets' sizes, never by the table's
            "WITH hits AS MATERIALIZED ("
            " SELECT b.article_id, count(*) AS hits FROM dedup_bands AS b"
            " WHERE b.band_key = ANY(:keys) AND b.article_id <> :id"
            " AND b.seen_at BETWEEN :lo AND :hi"
            " GROUP BY b.article_id ORDER BY hits DESC, b.article_id LIMIT :pool), "
            # a few of the best-placed members of EVERY story hit, not the 50 best articles:
            # a big story would crowd out the one a new copy should merge it with
            "ranked AS MATERIALIZED (SELECT h.article_id, h.hits, s.story_id, row_number() "
            " OVER (PARTITION BY s.story_id ORDER BY h.hits DESC, h.article_id) AS rk"
            " FROM hits AS h CROSS JOIN LATERAL ("
            "  SELECT a.story_id FROM articles AS a WHERE a.id = h.article_id) AS s), "
            "top AS MATERIALIZED (SELECT * FROM ranked WHERE rk <= :per_story"
            " ORDER BY rk, hits DESC, article_id LIMIT :limit) "
            # LATERAL: one primary-key probe per candidate, whatever the planner's statistics
            "SELECT d.article_id, d.signature, d.n_shingles, d.slots, d.shingles, t.story_id, "
            "t.hits FROM top AS t CROSS JOIN LATERAL ("
            " SELECT dd.article_id, dd.signature, dd.n_shingles, dd.slots, dd.shingles"
            " FROM dedup_docs AS dd WHERE dd.article_id = t.article_id LIMIT 1) AS d"
        ).bindparams(bindparam("keys", type_=ARRAY(BigInteger))),
        {
            "keys": list(fp.band_keys),
            "lo": ts - window,
            "hi": ts + window,
            "id": article_id,
            "limit": MAX_CANDIDATES,
            "pool": CANDIDATE_POOL,
            "per_story": PER_STORY,
        },
    ).all()
    if stats is not None:
        stats.lookup_ms.append((time.perf_counter() - started) * 1000.0)
    accepted: list[tuple[float, int, int, int]] = []
    for cand_id, signature, n_shingles, slots, shingles, story, hits in candidates:
        verdict = compare(
            fp.signature,
            fp.n_shingles,
            fp.slots,
            sig_b=signature,
            n_b=n_shingles,
            slots_b=slots,
            set_a=fp.shingle_set,
            set_b=shingles,
        )
        if verdict.accepted:
            accepted.append((verdict.score, int(hits), -int(cand_id), int(story)))
    best: Match | None = None
    others: list[Match] = []
    judged: set[int] = set()
    for score, _hits, neg_id, story in sorted(accepted, reverse=True):
        if story in judged:
            continue
        if _vetoed_by_canonical(conn, fp, story, -neg_id):
            continue  # another member of this story may still be judged: the veto is per story
        judged.add(story)
        hit = Match(-neg_id, "near", score, story)
        if best is None:
            best = hit
        elif len(others) < MAX_MERGES:
            others.append(hit)
    return best, others


def join_story(
    conn: Connection, article_id: int, fp: Fingerprint, match: Match, bridged: list[Match]
) -> int | None:
    """Lock the matched story (and those *bridged* to it), merge them; the story to join.

    The stories are re-read under their locks: one merged away meanwhile by another worker is
    replaced by the story it went into. A bridged story merges only when
    :func:`merge_allowed` says the two canonical articles agree (directly, or through the
    bridging article *fp*, matched against both); otherwise it stays apart.
    """
    story_of = lock_stories(conn, {m.article_id: m.story_id for m in (match, *bridged)})
    story_id = story_of.get(match.article_id)
    if story_id is None:
        return None
    others = {story_of[m.article_id] for m in bridged if m.article_id in story_of} - {story_id}
    if not others:
        return story_id
    canon = _canonicals(conn, sorted(others | {story_id}))
    mine = canon.get(story_id)
    compatible = {
        s
        for s in others
        if mine is None
        or canon.get(s) is None
        or merge_allowed(fp, article_id, mine, canon[s]) is None
    }
    if not compatible:
        return story_id
    survivor = min(compatible | {story_id})
    score = min(
        [match.score, *(m.score for m in bridged if story_of.get(m.article_id) in compatible)]
    )
    merge_stories(
        conn,
        survivor,
        (compatible | {story_id}) - {survivor},
        via=article_id,
        score=score,
        reason="one article matched both",
    )
    return survivor


def _vetoed_by_canonical(conn: Connection, fp: Fingerprint, story_id: int, via: int) -> bool:
    """Does the story's canonical article veto what one of its members accepted?

    A truncated copy holds only the opening of its story; a templated sibling with the same
    opening contains it and passes. The canonical (the fullest copy) still has the figures and
    names the sibling changed, so it gets the last word.
    """
    row = conn.execute(
        text(
            "SELECT d.article_id, d.signature, d.n_shingles, d.slots, d.shingles "
            "FROM stories AS s JOIN dedup_docs AS d ON d.article_id = s.canonical_article_id "
            "WHERE s.id = :story"
        ),
        {"story": story_id},
    ).first()
    if row is None or int(row[0]) == via:
        return False
    canonical = Canonical(int(row[0]), row[1], int(row[2]), row[3], row[4])
    return Canonical.of(-1, fp).judge(canonical).vetoed
