"""Stories that stay whole: an article that matches two stories merges them (real PostgreSQL)."""

from __future__ import annotations

from dedup_support import HARBOUR, add_article, article, wrap
from sqlalchemy import Engine, text

from pipeline.config import get_settings
from pipeline.stages.dedup import dedup_pending
from pipeline.stages.dedup.stories import merge_stories

SETTINGS = get_settings(database_url="postgresql://unused")


def _state(engine: Engine) -> tuple[list[tuple[object, ...]], ...]:
    with engine.connect() as conn:
        articles = conn.execute(
            text("SELECT id, story_id, duplicate_of_id, dedup_method FROM articles ORDER BY id")
        ).all()
        stories = conn.execute(text("SELECT id, canonical_article_id FROM stories ORDER BY id"))
        merges = conn.execute(
            text("SELECT from_story_id, into_story_id, via_article_id FROM story_merges")
        ).all()
        return [tuple(r) for r in articles], [tuple(r) for r in stories], [tuple(r) for r in merges]


def test_a_full_copy_merges_the_two_halves_it_contains(clean_db: Engine) -> None:
    """Opening and closing paragraphs arrive first (no shared text: two stories), then the full
    story, which contains both: one story, the older id, the full copy canonical."""
    opening = add_article(clean_db, "https://one.example/a", wrap(HARBOUR[:3]), outlet="One")
    closing = add_article(clean_db, "https://two.example/b", wrap(HARBOUR[3:]), outlet="Two")
    dedup_pending(clean_db, SETTINGS)
    first, second = article(clean_db, opening)["story_id"], article(clean_db, closing)["story_id"]
    assert first != second  # on their own, the halves are different texts

    full = add_article(
        clean_db, "https://three.example/c", wrap(HARBOUR, dateline="MARLOW BAY (AP) —")
    )
    dedup_pending(clean_db, SETTINGS)
    story = {a: article(clean_db, a)["story_id"] for a in (opening, closing, full)}
    assert set(story.values()) == {min(first, second)}  # the older id survives

    articles, stories, merges = _state(clean_db)
    assert stories == [(min(first, second), full)]  # the fullest copy is canonical
    assert merges == [(max(first, second), min(first, second), full)]
    links = {a: dup for a, _story, dup, _method in articles}
    assert links[full] is None
    assert links[opening] is not None
    assert links[closing] is not None
    with clean_db.connect() as conn:
        counts = conn.execute(text("SELECT story_id, article_count FROM story_counts")).all()
    assert [tuple(c) for c in counts] == [(min(first, second), 3)]  # counts follow the merge

    # idempotent: rerunning the stage or the merge itself changes nothing
    before = _state(clean_db)
    assert dedup_pending(clean_db, SETTINGS).processed == 0
    with clean_db.begin() as conn:
        assert merge_stories(conn, first, [second], via=full, score=1.0, reason="again") == 0
    assert _state(clean_db) == before


def test_later_copies_join_the_merged_story(clean_db: Engine) -> None:
    opening = add_article(clean_db, "https://one.example/a", wrap(HARBOUR[:3]))
    closing = add_article(clean_db, "https://two.example/b", wrap(HARBOUR[3:]))
    full = add_article(clean_db, "https://three.example/c", wrap(HARBOUR))
    late = add_article(
        clean_db, "https://four.example/d", wrap(HARBOUR[3:], footer="Follow the Four on social.")
    )
    dedup_pending(clean_db, SETTINGS)
    stories = {article(clean_db, a)["story_id"] for a in (opening, closing, full, late)}
    assert len(stories) == 1
    with clean_db.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM stories")).scalar() == 1
