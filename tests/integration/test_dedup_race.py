"""Two real processes deduplicating copies of the same stories at once end with one story each."""

from __future__ import annotations

import multiprocessing as mp

from dedup_support import (
    ELECTION,
    FOLLOWUP,
    HARBOUR,
    add_article,
    slowed_dedup_worker,
    wrap,
)
from sqlalchemy import Engine, text

STORIES = 12


def _story(n: int) -> list[str]:
    """Distinct stories: rotate and mark the paragraphs so no two share enough wording."""
    paras = (HARBOUR + ELECTION + FOLLOWUP)[n % 15 :] + (HARBOUR + ELECTION + FOLLOWUP)[: n % 15]
    return [
        f"Story {n} item {i}: {p} Filed under topic {n * 7 + i}." for i, p in enumerate(paras[:4])
    ]


def test_two_processes_make_one_story_per_event(clean_db: Engine, database_url: str) -> None:
    left, right, pairs = [], [], []
    for n in range(STORIES):
        body = wrap(_story(n))
        a = add_article(clean_db, f"https://left-{n}.example/story", body)
        b = add_article(
            clean_db, f"https://right-{n}.example/story", wrap(_story(n), dateline="CITY (AP) -")
        )
        left.append(a)
        right.append(b)
        pairs.append((a, b))
    ctx = mp.get_context("spawn")
    barrier = ctx.Barrier(2)
    procs = [
        ctx.Process(
            target=slowed_dedup_worker,
            args=(database_url, ids, barrier, "find_match", 0.25),
        )
        for ids in (left, right)
    ]
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=120)
        assert p.exitcode == 0
    with clean_db.connect() as conn:
        story_of = dict(conn.execute(text("SELECT id, story_id FROM articles")).all())
        n_stories = conn.execute(text("SELECT count(*) FROM stories")).scalar()
        canonicals = conn.execute(
            text(
                "SELECT count(*) FROM articles "
                "WHERE story_id IS NOT NULL AND duplicate_of_id IS NULL"
            )
        ).scalar()
    for a, b in pairs:
        assert story_of[a] is not None
        assert story_of[a] == story_of[b]
    assert n_stories == STORIES
    assert canonicals == STORIES
