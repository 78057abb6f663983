"""The use cases one at a time, in the ingest DAG's order, on a loopback newsroom.

The same calls ``run_once`` loops over and the DAG tasks make one per task: sync the feeds file
once, poll by name from the feeds table (the YAML is not read again), plan fetch batches with the
claim's own eligibility, fetch, re-extract (a no-op), dedup, code events. Also: what is "due"
is one predicate, so an article leased by a live worker is neither claimed nor planned.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from sqlalchemy import Engine, text

from pipeline.config import Settings, get_settings
from pipeline.services import ingest
from pipeline.stages.feeds.feedfile import FeedConfig
from pipeline.store import claims

PAGE = (
    "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{t}</title></head><body>"
    "<article><h1>{t}</h1>{p}</article></body></html>"
)
TEXT = (
    "<p>Delegations from Arvenia and Coldmark met in Oslo on Monday to discuss a ceasefire along "
    "their disputed border, officials from both governments said after the talks ended.</p>"
) * 6


@pytest.fixture
def newsroom() -> Iterator[HTTPServer]:
    with HTTPServer(host="127.0.0.1", threaded=True) as srv:
        srv.expect_request("/robots.txt").respond_with_data("", status=404)
        items = "".join(
            f"<item><title>Story {i}</title><link>{srv.url_for(f'/news/{i}')}</link>"
            f"<guid>s-{i}</guid><pubDate>Mon, 04 Mar 2024 0{i}:00:00 GMT</pubDate></item>"
            for i in range(2)
        )
        srv.expect_request("/feed.xml").respond_with_data(
            f'<rss version="2.0"><channel><title>N</title>{items}</channel></rss>',
            content_type="application/rss+xml",
        )
        for i in range(2):
            srv.expect_request(f"/news/{i}").respond_with_data(
                PAGE.format(t=f"Talks {i}", p=TEXT), content_type="text/html"
            )
        yield srv


@pytest.fixture
def settings(tmp_path: Path, newsroom: HTTPServer) -> Settings:
    feeds_file = tmp_path / "feeds.yaml"
    feeds_file.write_text(
        f"- name: newsroom\n  url: {newsroom.url_for('/feed.xml')}\n  outlet: newsroom\n"
        "- name: dormant\n  url: https://dormant.example/feed\n  outlet: d\n  enabled: false\n"
    )
    return get_settings(feeds_file=feeds_file, per_host_delay=0.0, retries=0, workers=1)


def test_the_dag_path_through_the_services(clean_db: Engine, settings: Settings) -> None:
    synced = ingest.sync_feeds(clean_db, settings)
    assert synced.enabled == ["newsroom"]
    assert set(synced.ids) == {"newsroom", "dormant"}

    settings.feeds_file.unlink()  # the poll reads the feeds table, not the file
    polled = ingest.poll(clean_db, settings, synced.enabled)
    assert (polled.feeds_polled, polled.articles_new) == (1, 2)

    batches = ingest.plan_fetch(clean_db, settings, polled.new_article_ids)
    assert batches == [sorted(polled.new_article_ids)]

    fetched = ingest.fetch(clean_db, settings, batches[0])
    assert (fetched.fetched, fetched.extracted) == (2, 2)
    assert ingest.extract(clean_db, settings, batches[0]).selected == 0  # nothing left over
    assert ingest.plan_fetch(clean_db, settings, []) == []  # nothing due any more

    deduped = ingest.dedup(clean_db, settings, fetched.extracted_ids)
    assert deduped.processed == 2
    with clean_db.connect() as conn:  # the two pages carry the same text: one story
        assert conn.scalar(text("SELECT count(DISTINCT story_id) FROM articles")) == 1
    coded = ingest.code_events(clean_db, settings, fetched.extracted_ids)
    assert coded.articles_coded == 1  # the story's canonical article; its copy is not coded


def test_poll_refuses_a_feed_that_was_never_synced(clean_db: Engine, settings: Settings) -> None:
    with pytest.raises(KeyError, match="not in the feeds table"):
        ingest.poll(clean_db, settings, ["newsroom"])


def test_one_predicate_for_claiming_and_planning(clean_db: Engine, settings: Settings) -> None:
    synced = ingest.sync_feeds(
        clean_db,
        settings,
        [FeedConfig(name="x", url="https://x.example/feed", outlet="x")],
    )
    with clean_db.begin() as conn:
        ids = list(
            conn.scalars(
                text(
                    "INSERT INTO articles (canonical_url, url, original_urls, feed_id, status,"
                    " next_attempt_at, claimed_until) VALUES"
                    " ('https://x.example/1', 'https://x.example/1', '{}', :f, 'pending', NULL,"
                    "  NULL),"
                    " ('https://x.example/2', 'https://x.example/2', '{}', :f, 'pending', NULL,"
                    "  now() + interval '1 hour'),"
                    " ('https://x.example/3', 'https://x.example/3', '{}', :f, 'failed',"
                    "  now() - interval '1 minute', NULL),"
                    " ('https://x.example/4', 'https://x.example/4', '{}', :f, 'failed',"
                    "  now() + interval '1 hour', NULL),"
                    " ('https://x.example/5', 'https://x.example/5', '{}', :f, 'extracted', NULL,"
                    "  NULL)"
                    " RETURNING id"
                ),
                {"f": synced.ids["x"]},
            )
        )
    due = [ids[0], ids[2]]  # pending and unleased; failed with its retry due
    assert claims.due_article_ids(clean_db) == due
    assert claims.count_due(clean_db) == 2
    assert ingest.plan_fetch(clean_db, settings, []) == [due]
    taken = claims.claim(clean_db, 10, None, "test:1:1", 60.0)
    assert [c.id for c in taken] == due
    assert claims.due_article_ids(clean_db) == []  # now leased: neither claimable nor planned
