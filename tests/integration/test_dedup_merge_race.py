"""Two real processes merging the same stories at once end with one story each, merged once."""

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

from pipeline.config import get_settings
from pipeline.stages.dedup import dedup_pending

STORIES = 8
SETTINGS = get_settings(database_url="postgresql://unused")


def _paras(n: int) -> list[str]:
    """Six paragraphs of a distinct story: rotated, and every paragraph marked with the story's
    own number, so two stories differ in a figure (the veto) and one story's halves do not."""
    pool = HARBOUR + ELECTION + FOLLOWUP
    paras = pool[n % 15 :] + pool[: n % 15]
    return [f"Dispatch {n} from desk {n}: {p} Filed by desk {n} today." for p in paras[:6]]


def test_two_processes_merging_the_same_stories(clean_db: Engine, database_url: str) -> None:
    halves: dict[int, tuple[int, int]] = {}
    for n in range(STORIES):
        halves[n] = (
            add_article(clean_db, f"https://open-{n}.example/s", wrap(_paras(n)[:3])),
            add_article(clean_db, f"https://close-{n}.example/s", wrap(_paras(n)[3:])),
        )
    dedup_pending(clean_db, SETTINGS)  # two stories per event: the halves share no text
    with clean_db.connect() as conn:
        before = dict(conn.execute(text("SELECT id, story_id FROM articles")).all())
    assert all(before[a] != before[b] for a, b in halves.values())
    left, right, members = [], [], {}
    for n in range(STORIES):
        full = add_article(clean_db, f"https://left-{n}.example/s", wrap(_paras(n)))
        other = add_article(
            clean_db,
            f"https://right-{n}.example/s",
            wrap(_paras(n), dateline="CITY (AP) -", footer="Follow us for more."),
        )
        left.append(full)
        right.append(other)
        members[n] = [*halves[n], full, other]
    ctx = mp.get_context("spawn")
    barrier = ctx.Barrier(2)
    procs = [
        ctx.Process(
            target=slowed_dedup_worker,
            args=(database_url, ids, barrier, "join_story", 0.2),
        )
        for ids in (left, right)
    ]
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=180)
        assert p.exitcode == 0
    with clean_db.connect() as conn:
        story_of = dict(conn.execute(text("SELECT id, story_id FROM articles")).all())
        stories = set(conn.execute(text("SELECT id FROM stories")).scalars())
        merges = conn.execute(text("SELECT from_story_id, into_story_id FROM story_merges")).all()
        canonicals = conn.execute(
            text("SELECT count(*) FROM articles WHERE duplicate_of_id IS NULL")
        ).scalar()
    for n, ids in members.items():
        assert len({story_of[a] for a in ids}) == 1, n
        opening, closing = halves[n]
        assert story_of[opening] == min(before[opening], before[closing])  # the older id
    assert len(stories) == STORIES
    assert len(merges) == STORIES  # each event merged exactly once
    assert {into for _, into in merges} <= stories
    assert canonicals == STORIES
