"""Stories: locking them, electing their canonical article, merging two that are one.

A story is the cluster of every copy of one wire story. "Join the best match's story" alone
splits a cluster whenever two early copies match different members (a truncated copy and a
write-through of the same story may not match each other, while a later full copy matches
both), so when a new article verifies against members of several stories, those stories are
**merged**: the oldest id survives, the others' members move to it, the better of the two
canonical articles stays canonical, and each merge is recorded in ``story_merges`` so a
dashboard holding an old id can follow it.

Concurrency: every path that writes to a story first takes its row lock through
:func:`lock_stories`, in ascending id order and in one statement, then re-reads which stories
the matched articles belong to. A worker that waited on a story another worker merged away finds
the row gone and its articles in the survivor, and locks that instead; one that merged while
another waited to join hands it a story that still exists. Per-story counts (the
``story_counts`` view, the events marts) read ``articles.story_id``, so they follow a merge
without being touched.
"""

from __future__ import annotations

import logging
from collections.abc import Collection
from typing import Any

from sqlalchemy import Connection, text

from pipeline.stages.dedup.core import Match, election_rank

__all__ = ["lock_stories", "merge_stories", "reelect"]

LOGGER = logging.getLogger(__name__)
_LOCK_ROUNDS = 8


def lock_stories(conn: Connection, guess: dict[int, int | None]) -> dict[int, int]:
    """Lock the stories of the articles in *guess*; return article id -> story id, as locked.

    *guess* maps each article to the story the candidate lookup saw it in. Read committed:
    each statement sees what committed before it started, so after the locks are granted a
    re-read shows any merge that moved these articles meanwhile; repeat until the stories read
    are the stories locked (usually at once: two statements).
    """
    ids = sorted(guess)
    story_of = {a: s for a, s in guess.items() if s is not None}
    for _ in range(_LOCK_ROUNDS):
        wanted = sorted(set(story_of.values()))
        locked = set(
            conn.execute(
                text("SELECT id FROM stories WHERE id = ANY(:ids) ORDER BY id FOR UPDATE"),
                {"ids": wanted},
            ).scalars()
        )
        again = {
            int(a): int(s)
            for a, s in conn.execute(
                text(
                    "SELECT id, story_id FROM articles "
                    "WHERE id = ANY(:ids) AND story_id IS NOT NULL"
                ),
                {"ids": ids},
            ).all()
        }
        if again == story_of and locked >= set(wanted):
            return story_of
        story_of = again
    LOGGER.warning("stories of articles %s kept moving; proceeding with the last read", ids)
    return story_of


def merge_stories(
    conn: Connection, into: int, others: Collection[int], *, via: int, score: float, reason: str
) -> int:
    """Fold *others* into *into* (all locked by the caller); return how many were merged.

    The survivor's canonical article is re-elected between the two canonicals; the loser
    becomes a duplicate of the winner (``dedup_method = 'merge'``, the score of the match that
    bridged them). Idempotent: a story already merged has no row left and is skipped.
    """
    merged = 0
    for story in sorted(set(others) - {into}):
        row = (
            conn.execute(
                text(
                    "SELECT s.id, s.canonical_article_id AS canon, t.canonical_article_id AS keep "
                    "FROM stories AS s JOIN stories AS t ON t.id = :into WHERE s.id = :story"
                ),
                {"story": story, "into": into},
            )
            .mappings()
            .first()
        )
        if row is None:
            continue
        conn.execute(
            text(
                "WITH moved AS (UPDATE articles SET story_id = :into WHERE story_id = :story "
                "RETURNING 1), "
                "followed AS (UPDATE story_merges SET into_story_id = :into "
                "WHERE into_story_id = :story RETURNING 1), "
                "recorded AS (INSERT INTO story_merges (from_story_id, into_story_id, "
                "via_article_id, score, reason) VALUES (:story, :into, :via, :score, :reason) "
                "ON CONFLICT (from_story_id) DO NOTHING RETURNING 1) SELECT 1"
            ),
            {"into": into, "story": story, "via": via, "score": score, "reason": reason},
        )
        conn.execute(text("DELETE FROM stories WHERE id = :story"), {"story": story})
        if row["canon"] is not None:
            _elect_between(conn, into, row["keep"], int(row["canon"]), score)
        merged += 1
        LOGGER.info("story %s merged into %s via article %s (%s)", story, into, via, reason)
    return merged


def _elect_between(
    conn: Connection, story_id: int, current: int | None, challenger: int, score: float
) -> None:
    """After a merge: the better of the two canonical articles leads the merged story."""
    if current is None:
        conn.execute(
            text("UPDATE stories SET canonical_article_id = :a, updated_at = now() WHERE id = :s"),
            {"a": challenger, "s": story_id},
        )
        return
    ranks = _ranks(conn, [current, challenger])
    winner, loser = current, challenger
    if ranks.get(challenger) is not None and (
        ranks.get(current) is None or ranks[challenger] > ranks[current]
    ):
        winner, loser = challenger, current
    conn.execute(
        text(
            "WITH story AS (UPDATE stories SET canonical_article_id = :w, updated_at = now() "
            "WHERE id = :s RETURNING 1), "
            "win AS (UPDATE articles SET duplicate_of_id = NULL, dedup_method = NULL, "
            "dedup_score = NULL WHERE id = :w RETURNING 1), "
            "lose AS (UPDATE articles SET duplicate_of_id = :w, dedup_method = 'merge', "
            "dedup_score = :score WHERE id = :l RETURNING 1) SELECT 1"
        ),
        {"w": winner, "l": loser, "s": story_id, "score": score},
    )


def _ranks(conn: Connection, article_ids: list[int]) -> dict[int, tuple[int, int, int, float, int]]:
    rows = conn.execute(
        text(
            "SELECT article_id, wire_origin, complete, n_tokens, extract(epoch FROM seen_at) "
            "FROM dedup_docs WHERE article_id = ANY(:ids)"
        ),
        {"ids": article_ids},
    ).all()
    return {
        int(r[0]): election_rank(
            wire_origin=bool(r[1]),
            complete=bool(r[2]),
            n_tokens=int(r[3]),
            seen_ts=float(r[4]),
            article_id=int(r[0]),
        )
        for r in rows
    }


def _rank_of(row: Any, prefix: str) -> tuple[int, int, int, float, int] | None:
    if row[f"{prefix}_id"] is None or row[f"{prefix}_tokens"] is None:
        return None
    return election_rank(
        wire_origin=bool(row[f"{prefix}_wire"]),
        complete=bool(row[f"{prefix}_complete"]),
        n_tokens=int(row[f"{prefix}_tokens"]),
        seen_ts=float(row[f"{prefix}_ts"]),
        article_id=int(row[f"{prefix}_id"]),
    )


def reelect(conn: Connection, story_id: int, article_id: int, match: Match) -> bool:
    """Make *article_id* the story's canonical article if it ranks higher; True if it did.

    The displaced canonical becomes a duplicate of the new one, carrying the method and score of
    the match that brought the better copy in; every other member keeps its link, which still
    points inside the story.
    """
    row = (
        conn.execute(
            text(
                "SELECT s.canonical_article_id AS old_id, o.wire_origin AS old_wire, "
                "o.complete AS old_complete, o.n_tokens AS old_tokens, "
                "extract(epoch FROM o.seen_at) AS old_ts, n.article_id AS new_id, "
                "n.wire_origin AS new_wire, n.complete AS new_complete, "
                "n.n_tokens AS new_tokens, extract(epoch FROM n.seen_at) AS new_ts "
                "FROM stories AS s "
                "LEFT JOIN dedup_docs AS o ON o.article_id = s.canonical_article_id "
                "LEFT JOIN dedup_docs AS n ON n.article_id = :a "
                "WHERE s.id = :id FOR UPDATE OF s"
            ),
            {"id": story_id, "a": article_id},
        )
        .mappings()
        .one()
    )
    current = row["old_id"]
    new_rank, old_rank = _rank_of(row, "new"), _rank_of(row, "old")
    if current is not None and (
        new_rank is None or (old_rank is not None and old_rank >= new_rank)
    ):
        conn.execute(text("UPDATE stories SET updated_at = now() WHERE id = :id"), {"id": story_id})
        return False
    conn.execute(
        text(
            "WITH story AS (UPDATE stories SET canonical_article_id = :a, updated_at = now() "
            "WHERE id = :id RETURNING 1), "
            "winner AS (UPDATE articles SET duplicate_of_id = NULL, dedup_method = NULL, "
            "dedup_score = NULL WHERE id = :a RETURNING 1), "
            "loser AS (UPDATE articles SET duplicate_of_id = :a, dedup_method = :method, "
            "dedup_score = :score WHERE id = :old RETURNING 1) SELECT 1"
        ),
        {
            "a": article_id,
            "id": story_id,
            "method": match.method,
            "score": match.score,
            "old": current,
        },
    )
    return True
