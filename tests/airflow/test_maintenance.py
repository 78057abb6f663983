"""Maintenance against a real database: pruning by retention, feed health classification."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, insert, select

from pipeline.config import get_settings
from pipeline.models import Article, Feed, FeedPoll, RawPage
from pipeline.stages.maintenance import feed_health, prune_raw_pages

AS_OF = datetime(2026, 11, 6, 3, 30, tzinfo=UTC)


def _page(conn: object, article_id: int, age_days: int, body: bytes) -> None:
    conn.execute(  # type: ignore[attr-defined]
        insert(RawPage).values(
            article_id=article_id,
            fetched_at=AS_OF - timedelta(days=age_days),
            requested_url=f"https://a.example/{age_days}",
            final_url=f"https://a.example/{age_days}",
            http_status=200,
            body_sha256=f"{age_days:064d}",
            body_bytes=len(body),
            body_gzip=body,
        )
    )


def test_prune_drops_only_old_bodies_and_is_repeatable(clean_db: Engine) -> None:
    with clean_db.begin() as conn:
        article_id = conn.execute(
            insert(Article)
            .values(canonical_url="https://a.example/a", url="https://a.example/a")
            .returning(Article.id)
        ).scalar_one()
        _page(conn, article_id, 100, b"x" * 300)
        _page(conn, article_id, 91, b"y" * 200)
        _page(conn, article_id, 10, b"z" * 100)
    settings = get_settings(raw_retention_days=90)
    summary = prune_raw_pages(clean_db, settings, as_of=AS_OF)
    assert (summary.pages_pruned, summary.bytes_freed) == (2, 500)
    with clean_db.connect() as conn:
        kept = conn.execute(
            select(
                RawPage.body_bytes, RawPage.body_gzip.is_(None), RawPage.pruned_at.is_not(None)
            ).order_by(RawPage.body_bytes)
        ).all()
    assert kept == [(100, False, False), (200, True, True), (300, True, True)]
    assert prune_raw_pages(clean_db, settings, as_of=AS_OF).pages_pruned == 0
    keep_all = prune_raw_pages(clean_db, get_settings(raw_retention_days=0), as_of=AS_OF)
    assert (keep_all.cutoff, keep_all.pages_pruned) == ("never", 0)


def test_feed_health_classes(clean_db: Engine) -> None:
    outcomes = {
        "ok-feed": (["ok", "unchanged"], 0, True),
        "flaky-feed": (["failed", "ok"], 0, True),
        "broken-feed": (["failed", "failed", "failed"], 3, True),
        "silent-feed": ([], 0, True),
        "off-feed": ([], 0, False),
    }
    with clean_db.begin() as conn:
        for name, (polls, consecutive, enabled) in outcomes.items():
            feed_id = conn.execute(
                insert(Feed)
                .values(
                    name=name,
                    url=f"https://a.example/{name}.xml",
                    outlet="a",
                    enabled=enabled,
                    consecutive_failures=consecutive,
                )
                .returning(Feed.id)
            ).scalar_one()
            for i, outcome in enumerate(polls):
                conn.execute(
                    insert(FeedPoll).values(
                        feed_id=feed_id, started_at=AS_OF - timedelta(hours=i + 1), outcome=outcome
                    )
                )
            # a poll after as_of must not count (the run is scoped by its data interval)
            conn.execute(
                insert(FeedPoll).values(
                    feed_id=feed_id, started_at=AS_OF + timedelta(hours=1), outcome="failed"
                )
            )
    health = feed_health(clean_db, as_of=AS_OF)
    assert (health.feeds, health.healthy, health.degraded, health.failing) == (5, 1, 1, 1)
    assert (health.stale, health.disabled) == (1, 1)
    assert {h.name: h.status for h in health.attention} == {
        "flaky-feed": "degraded",
        "broken-feed": "failing",
        "silent-feed": "stale",
    }
