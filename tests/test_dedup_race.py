"""Two real processes deduplicating copies of the same stories at once end with one story each."""

from __future__ import annotations

import multiprocessing as mp
import time
from typing import Any

from sqlalchemy import Engine, text
from test_dedup_support import ELECTION, FOLLOWUP, HARBOUR, add_article, wrap

STORIES = 12


def _worker(url: str, ids: list[int], barrier: Any) -> None:
    """A separate OS process, as an Airflow worker would be: own engine, own connections."""
    import pipeline.dedup.store as store
    from pipeline.config import get_settings
    from pipeline.db import make_engine
    from pipeline.dedup import dedup_pending

    lookup = store._find_match

    def slow_lookup(*args: object, **kwargs: object) -> object:
        # widen the gap between "nothing similar stored" and commit, where a race would strike
        found = lookup(*args, **kwargs)  # type: ignore[arg-type]
        time.sleep(0.25)
        return found

    store._find_match = slow_lookup  # type: ignore[assignment]
    engine = make_engine(url)
    barrier.wait(timeout=60)  # start together, so each pair is in flight at the same time
    dedup_pending(engine, get_settings(database_url=url), article_ids=ids)
    engine.dispose()


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
        ctx.Process(target=_worker, args=(database_url, ids, barrier)) for ids in (left, right)
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
