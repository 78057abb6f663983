"""Polling against a real loopback server and a real PostgreSQL: parse, store, skip unchanged."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytest_httpserver import HTTPServer
from sqlalchemy import Engine, func, select

from pipeline.config import Settings, get_settings
from pipeline.models import Article, Feed, FeedEntry, FeedPoll
from pipeline.stages.feeds.feedfile import FeedConfig
from pipeline.stages.feeds.poll import parse_feed, poll_feed, poll_feeds

RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Wire World</title><link>https://wire.example/</link>
<item><title>Envoys meet in Geneva</title><link>/world/envoys-meet?utm_source=rss</link>
  <guid isPermaLink="false">wire-1</guid><pubDate>Tue, 28 Feb 2023 10:00:00 GMT</pubDate>
  <author>desk@wire.example (Ana Diaz)</author><description>Talks resume.</description></item>
<item><title>Minister visits Nairobi</title><link>https://www.wire.example/world/minister-visits/</link>
  <guid isPermaLink="false">wire-2</guid><pubDate>{date}</pubDate></item>
<item><title>Minister visits Nairobi (repeat)</title><link>https://wire.example/world/minister-visits</link>
  <guid isPermaLink="false">wire-2</guid></item>
<item><title>Summit set for 2999</title><link>https://wire.example/world/far-future</link>
  <pubDate>Tue, 01 Jan 2999 00:00:00 GMT</pubDate></item>
</channel></rss>
"""

HTML = "<!doctype html><html><head><title>Home</title></head><body>Welcome</body></html>"


@pytest.fixture
def server() -> Iterator[HTTPServer]:
    with HTTPServer(host="127.0.0.1", threaded=True) as srv:
        srv.expect_request("/robots.txt").respond_with_data("", status=404)
        yield srv


@pytest.fixture
def settings() -> Settings:
    return get_settings(per_host_delay=0.0, retries=0, backoff_base=0.0, http_timeout=5.0)


def feed_cfg(server: HTTPServer, path: str = "/feed", name: str = "wire") -> FeedConfig:
    return FeedConfig(name=name, url=server.url_for(path), outlet="wire", language="en")


def count(engine: Engine, model: type) -> int:
    with engine.connect() as conn:
        return int(conn.scalar(select(func.count()).select_from(model)) or 0)


def test_parse_resolves_links_keys_entries_and_drops_bad_dates() -> None:
    settings = get_settings()
    parsed = parse_feed(RSS.encode(), "https://wire.example/feeds/world.xml", settings)
    assert parsed.outcome.value == "ok"
    by_key = {e.key: e for e in parsed.entries}
    assert set(by_key) == {"wire-1", "wire-2", "https://wire.example/world/far-future"}
    first = by_key["wire-1"]
    assert first.link == "https://wire.example/world/envoys-meet?utm_source=rss"
    assert first.canonical_url == "https://wire.example/world/envoys-meet"
    assert first.published_at is not None
    assert first.published_at.year == 2023
    assert first.authors == ["Ana Diaz"]
    assert by_key["wire-2"].published_at is None  # "{date}" placeholder
    assert by_key["https://wire.example/world/far-future"].published_at is None  # absurd


def test_guid_shared_by_different_links_falls_back_to_the_link() -> None:
    body = b"""<rss version="2.0"><channel><title>x</title>
    <item><link>https://a.example/1</link><guid>https://a.example/</guid></item>
    <item><link>https://a.example/2</link><guid>https://a.example/</guid></item>
    </channel></rss>"""
    parsed = parse_feed(body, "https://a.example/feed", get_settings())
    assert sorted(e.key for e in parsed.entries) == ["https://a.example/1", "https://a.example/2"]


def test_poll_stores_articles_entries_and_a_poll_row(
    clean_db: Engine, server: HTTPServer, settings: Settings
) -> None:
    server.expect_request("/feed").respond_with_data(RSS, content_type="application/rss+xml")
    result = poll_feed(clean_db, settings, feed_cfg(server))
    assert (result.outcome, result.http_status, result.entries_seen) == ("ok", 200, 3)
    assert result.entries_new == 3
    assert len(result.new_article_ids) == 3
    with clean_db.connect() as conn:
        article = conn.execute(
            select(Article).where(Article.canonical_url == "http://127.0.0.1/world/envoys-meet")
        ).one_or_none()
        urls = set(conn.scalars(select(Article.canonical_url)))
        first = conn.execute(
            select(
                Article.url, Article.feed_title, Article.feed_published_at, Article.status
            ).where(Article.guid == "wire-1")
        ).one()
        poll = conn.execute(
            select(FeedPoll.outcome, FeedPoll.entries_seen, FeedPoll.body_hash)
        ).one()
    assert article is None  # the relative link resolved against the feed URL
    host = server.url_for("/")[len("http://") :].rstrip("/")
    assert f"https://{host}/world/envoys-meet" in urls
    assert first.url == server.url_for("/world/envoys-meet") + "?utm_source=rss"
    assert first.feed_title == "Envoys meet in Geneva"
    assert first.feed_published_at is not None
    assert first.status == "pending"
    assert poll.outcome == "ok"
    assert poll.entries_seen == 3
    assert len(poll.body_hash) == 64


def test_same_body_is_unchanged_and_idempotent(
    clean_db: Engine, server: HTTPServer, settings: Settings
) -> None:
    server.expect_request("/feed").respond_with_data(RSS, content_type="application/rss+xml")
    poll_feed(clean_db, settings, feed_cfg(server))
    before = (count(clean_db, Article), count(clean_db, FeedEntry))
    second = poll_feed(clean_db, settings, feed_cfg(server))
    assert second.outcome == "unchanged"
    assert second.new_article_ids == []
    assert (count(clean_db, Article), count(clean_db, FeedEntry)) == before
    assert count(clean_db, FeedPoll) == 2


def test_conditional_get_sends_validators_and_records_unchanged(
    clean_db: Engine, server: HTTPServer, settings: Settings
) -> None:
    server.expect_oneshot_request("/feed").respond_with_data(
        RSS,
        content_type="application/rss+xml",
        headers={"ETag": '"v1"', "Last-Modified": "Tue, 28 Feb 2023 10:00:00 GMT"},
    )
    server.expect_oneshot_request(
        "/feed",
        headers={"If-None-Match": '"v1"', "If-Modified-Since": "Tue, 28 Feb 2023 10:00:00 GMT"},
    ).respond_with_data("", status=304)
    assert poll_feed(clean_db, settings, feed_cfg(server)).outcome == "ok"
    second = poll_feed(clean_db, settings, feed_cfg(server))
    assert (second.outcome, second.http_status) == ("unchanged", 304)
    server.check_assertions()
    with clean_db.connect() as conn:
        rows = conn.execute(
            select(FeedPoll.sent_etag, FeedPoll.outcome).order_by(FeedPoll.id)
        ).all()
        etag = conn.scalar(select(Feed.etag))
    assert [tuple(r) for r in rows] == [(None, "ok"), ('"v1"', "unchanged")]
    assert etag == '"v1"'


def test_changed_body_adds_only_new_entries(
    clean_db: Engine, server: HTTPServer, settings: Settings
) -> None:
    server.expect_oneshot_request("/feed").respond_with_data(RSS, content_type="text/xml")
    extra = RSS.replace(
        "</channel>",
        "<item><title>New</title><link>https://wire.example/world/new</link></item></channel>",
    )
    server.expect_oneshot_request("/feed").respond_with_data(extra, content_type="text/xml")
    poll_feed(clean_db, settings, feed_cfg(server))
    second = poll_feed(clean_db, settings, feed_cfg(server))
    assert (second.outcome, second.entries_seen, second.entries_new) == ("ok", 4, 1)
    assert len(second.new_article_ids) == 1
    assert count(clean_db, Article) == 4


def test_same_article_in_two_feeds_keeps_one_row_and_both_urls(
    clean_db: Engine, server: HTTPServer, settings: Settings
) -> None:
    one = '<rss version="2.0"><channel><item><link>https://x.example/a?utm_medium=a</link></item></channel></rss>'
    two = '<rss version="2.0"><channel><item><link>http://www.x.example/a/</link></item></channel></rss>'
    server.expect_request("/one").respond_with_data(one, content_type="text/xml")
    server.expect_request("/two").respond_with_data(two, content_type="text/xml")
    summary = poll_feeds(
        clean_db, settings, [feed_cfg(server, "/one", "one"), feed_cfg(server, "/two", "two")]
    )
    assert summary.feeds_polled == 2
    assert summary.articles_new == 1
    with clean_db.connect() as conn:
        urls = conn.scalar(select(Article.original_urls))
    assert sorted(urls) == ["http://www.x.example/a/", "https://x.example/a?utm_medium=a"]
    assert count(clean_db, FeedEntry) == 2


def test_html_served_as_feed_fails_clearly(
    clean_db: Engine, server: HTTPServer, settings: Settings
) -> None:
    server.expect_request("/feed").respond_with_data(HTML, content_type="text/html")
    result = poll_feed(clean_db, settings, feed_cfg(server))
    assert result.outcome == "failed"
    assert result.error == "HTML page served where a feed was expected"
    with clean_db.connect() as conn:
        failures, body_hash = conn.execute(select(Feed.consecutive_failures, Feed.body_hash)).one()
    assert (failures, body_hash) == (1, None)


def test_http_error_is_recorded_and_the_other_feeds_go_on(
    clean_db: Engine, server: HTTPServer, settings: Settings
) -> None:
    server.expect_request("/gone").respond_with_data("no", status=404)
    server.expect_request("/feed").respond_with_data(RSS, content_type="text/xml")
    summary = poll_feeds(
        clean_db, settings, [feed_cfg(server, "/gone", "gone"), feed_cfg(server, "/feed", "ok")]
    )
    assert (summary.feeds_failed, summary.feeds_ok) == (1, 1)
    failed = next(r for r in summary.results if r.feed == "gone")
    assert failed.http_status == 404
    assert failed.error is not None
    assert failed.error.startswith("http_4xx")


def test_truncated_feed_keeps_recoverable_entries(
    clean_db: Engine, server: HTTPServer, settings: Settings
) -> None:
    broken = RSS.split("<item><title>Summit", maxsplit=1)[0]  # cut mid-channel: no closing tags
    server.expect_request("/feed").respond_with_data(broken, content_type="text/xml")
    result = poll_feed(clean_db, settings, feed_cfg(server))
    assert result.outcome == "partial"
    assert result.entries_seen == 2
    assert result.warning is not None


def test_disabled_and_not_due_feeds_are_skipped(
    clean_db: Engine, server: HTTPServer, settings: Settings
) -> None:
    server.expect_request("/feed").respond_with_data(RSS, content_type="text/xml")
    off = FeedConfig(name="off", url=server.url_for("/feed"), outlet="w", enabled=False)
    assert poll_feeds(clean_db, settings, [off]).feeds_polled == 0
    poll_feeds(clean_db, settings, [feed_cfg(server)])
    assert poll_feeds(clean_db, settings, [feed_cfg(server)], due_only=True).feeds_polled == 0


def test_placeholder_dates_fall_back_to_the_entry_update_date() -> None:
    body = b"""<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel><title>x</title>
    <item><link>https://a.example/1</link><pubDate>{date}</pubDate></item>
    <item><link>https://a.example/2</link><pubDate>{date}</pubDate>
      <atom:updated>2024-07-19T09:28:23+00:00</atom:updated></item>
    </channel></rss>"""
    parsed = parse_feed(body, "https://a.example/feed", get_settings())
    dates = {e.key: e.published_at for e in parsed.entries}
    assert dates["https://a.example/1"] is None
    assert dates["https://a.example/2"] is not None
    assert dates["https://a.example/2"].isoformat() == "2024-07-19T09:28:23+00:00"


def test_deadlock_victim_is_retried(clean_db: Engine) -> None:
    """Two transactions locking two rows in opposite orders: PostgreSQL aborts one, it reruns."""
    import threading

    from sqlalchemy import text as sql

    from pipeline.store.retry import retry_on_deadlock

    with clean_db.begin() as conn:
        conn.execute(
            sql(
                "INSERT INTO articles (id, canonical_url, url, original_urls, status)"
                " VALUES (1, 'https://a.example/1', 'u', '{}', 'pending'),"
                " (2, 'https://a.example/2', 'u', '{}', 'pending')"
            )
        )
        # explicit ids: move the sequence past them, or later tests' inserts would collide
        conn.execute(sql("SELECT setval(pg_get_serial_sequence('articles', 'id'), 2)"))
    barrier = threading.Barrier(2, timeout=10)
    calls = {"a": 0, "b": 0}

    def work(name: str, first: int, second: int) -> None:
        calls[name] += 1
        with clean_db.begin() as conn:
            conn.execute(
                sql("UPDATE articles SET attempts = attempts + 1 WHERE id = :i"), {"i": first}
            )
            if calls[name] == 1:
                barrier.wait()
            conn.execute(
                sql("UPDATE articles SET attempts = attempts + 1 WHERE id = :i"), {"i": second}
            )

    threads = [
        threading.Thread(target=retry_on_deadlock, args=(lambda: work("a", 1, 2), "a")),
        threading.Thread(target=retry_on_deadlock, args=(lambda: work("b", 2, 1), "b")),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert calls["a"] + calls["b"] == 3  # exactly one victim, run again
    with clean_db.connect() as conn:
        assert list(conn.scalars(sql("SELECT attempts FROM articles ORDER BY id"))) == [2, 2]
