"""Adaptive polling against loopback servers: publisher hints, back-off, due selection, budget."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from pytest_httpserver import HTTPServer
from sqlalchemy import Engine, select, update

from pipeline.config import Settings, get_settings
from pipeline.models import Feed, FeedPoll
from pipeline.stages.feeds.feedfile import FeedConfig
from pipeline.stages.feeds.poll import claim_due_feeds, poll_feed, poll_feeds
from pipeline.store.feeds import sync_feeds

RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:sy="http://purl.org/rss/1.0/modules/syndication/"><channel>
<title>Wire</title><link>https://wire.example/</link>{extra}
<item><title>One</title><link>https://wire.example/a/{n}-1</link><guid>{n}-1</guid></item>
<item><title>Two</title><link>https://wire.example/a/{n}-2</link><guid>{n}-2</guid></item>
</channel></rss>
"""


@pytest.fixture
def server() -> Iterator[HTTPServer]:
    with HTTPServer(host="127.0.0.1", threaded=True) as srv:
        srv.expect_request("/robots.txt").respond_with_data("", status=404)
        yield srv


@pytest.fixture
def settings() -> Settings:
    return get_settings(
        per_host_delay=0.0,
        retries=0,
        backoff_base=0.0,
        http_timeout=5.0,
        min_poll_seconds=60,
        max_poll_seconds=3600,
        poll_entries_per_poll=0.1,
    )


def reset(server: HTTPServer) -> None:
    server.clear()
    server.expect_request("/robots.txt").respond_with_data("", status=404)


def cfg(server: HTTPServer, name: str = "wire") -> FeedConfig:
    return FeedConfig(name=name, url=server.url_for(f"/{name}"), outlet="wire", language="en")


def feed_row(engine: Engine, name: str = "wire") -> Feed:
    with engine.connect() as conn:
        return conn.execute(select(Feed).where(Feed.name == name)).one()  # type: ignore[return-value]


def last_poll(engine: Engine) -> FeedPoll:
    with engine.connect() as conn:
        return conn.execute(  # type: ignore[return-value]
            select(FeedPoll).order_by(FeedPoll.id.desc()).limit(1)
        ).one()


def interval(row: Feed) -> float:
    assert row.next_poll_at is not None
    assert row.last_polled_at is not None
    return (row.next_poll_at - row.last_polled_at).total_seconds()


def test_first_poll_learns_a_rate_and_sets_the_next_poll(
    clean_db: Engine, server: HTTPServer, settings: Settings
) -> None:
    server.expect_request("/wire").respond_with_data(
        RSS.format(extra="", n="x"), content_type="application/rss+xml"
    )
    poll_feed(clean_db, settings, cfg(server))
    row = feed_row(clean_db)
    # two entries on first sight = two a day: 0.1 entries take 4,320 s, over the 3,600 s maximum
    assert row.entry_rate == pytest.approx(2 / 86400)
    assert interval(row) == 3600
    poll = last_poll(clean_db)
    assert (poll.schedule_reason, poll.next_poll_at) == ("max", row.next_poll_at)


def test_cache_control_max_age_and_rss_ttl_are_honoured(
    clean_db: Engine, server: HTTPServer, settings: Settings
) -> None:
    fast = settings.model_copy(update={"max_poll_seconds": 7200.0, "poll_entries_per_poll": 1e-6})
    server.expect_request("/cached").respond_with_data(
        RSS.format(extra="", n="c"),
        content_type="application/rss+xml",
        headers={"Cache-Control": "public, max-age=900"},
    )
    server.expect_request("/ttl").respond_with_data(
        RSS.format(extra="<ttl>30</ttl>", n="t"), content_type="application/rss+xml"
    )
    server.expect_request("/sy").respond_with_data(
        RSS.format(
            extra="<sy:updatePeriod>hourly</sy:updatePeriod><sy:updateFrequency>4</sy:updateFrequency>",
            n="s",
        ),
        content_type="application/rss+xml",
    )
    poll_feeds(clean_db, fast, [cfg(server, "cached"), cfg(server, "ttl"), cfg(server, "sy")])
    assert interval(feed_row(clean_db, "cached")) == 900
    assert interval(feed_row(clean_db, "ttl")) == 1800
    assert feed_row(clean_db, "ttl").hint_seconds == 1800
    assert interval(feed_row(clean_db, "sy")) == 900


def test_hint_survives_an_unchanged_poll(
    clean_db: Engine, server: HTTPServer, settings: Settings
) -> None:
    fast = settings.model_copy(update={"poll_entries_per_poll": 1e-6})
    server.expect_request("/wire").respond_with_data(
        RSS.format(extra="<ttl>20</ttl>", n="u"),
        content_type="application/rss+xml",
        headers={"ETag": '"v1"'},
    )
    poll_feed(clean_db, fast, cfg(server))
    reset(server)
    server.expect_request("/wire", headers={"If-None-Match": '"v1"'}).respond_with_data(
        "", status=304
    )
    result = poll_feed(clean_db, fast, cfg(server))
    assert result.outcome == "unchanged"
    assert interval(feed_row(clean_db)) == 1200  # the body's <ttl> from the first poll


def test_failures_back_off_and_retry_after_is_a_floor(
    clean_db: Engine, server: HTTPServer, settings: Settings
) -> None:
    fast = settings.model_copy(update={"poll_entries_per_poll": 1e-6})  # learned: the minimum
    server.expect_request("/wire").respond_with_data(
        RSS.format(extra="", n="f"), content_type="application/rss+xml"
    )
    poll_feed(clean_db, fast, cfg(server))
    assert interval(feed_row(clean_db)) == 60
    reset(server)
    server.expect_request("/wire").respond_with_data("down", status=500)
    poll_feed(clean_db, fast, cfg(server))
    assert interval(feed_row(clean_db)) == 120
    poll_feed(clean_db, fast, cfg(server))
    assert interval(feed_row(clean_db)) == 240
    assert last_poll(clean_db).schedule_reason == "backoff"
    reset(server)
    server.expect_request("/wire").respond_with_data(
        "slow down", status=429, headers={"Retry-After": "1000"}
    )
    poll_feed(clean_db, fast, cfg(server))
    assert interval(feed_row(clean_db)) == 1000
    assert last_poll(clean_db).schedule_reason == "retry-after"


def test_due_only_polls_due_feeds_most_overdue_first_within_the_budget(
    clean_db: Engine, server: HTTPServer, settings: Settings
) -> None:
    names = ["a", "b", "c"]
    for name in names:
        server.expect_request(f"/{name}").respond_with_data(
            RSS.format(extra="", n=name), content_type="application/rss+xml"
        )
    feeds = [cfg(server, n) for n in names]
    sync_feeds(clean_db, feeds)
    now = datetime.now(UTC)
    with clean_db.begin() as conn:  # c most overdue, then a; b not due
        for name, due in (("a", -60), ("b", 600), ("c", -600)):
            conn.execute(
                update(Feed)
                .where(Feed.name == name)
                .values(next_poll_at=now + timedelta(seconds=due))
            )
    budget = settings.model_copy(update={"poll_budget_per_minute": 1})
    first = poll_feeds(clean_db, budget, feeds, due_only=True)
    assert [r.feed for r in first.results] == ["c"]
    assert poll_feeds(clean_db, budget, feeds, due_only=True).feeds_polled == 0  # budget spent
    rest = poll_feeds(clean_db, settings, feeds, due_only=True)
    assert [r.feed for r in rest.results] == ["a"]
    assert poll_feeds(clean_db, settings, feeds, due_only=True).feeds_polled == 0


def test_concurrent_claims_never_share_a_feed(clean_db: Engine, settings: Settings) -> None:
    feeds = [
        FeedConfig(name=f"f{i:02d}", url=f"http://127.0.0.1:9/f{i}", outlet="w") for i in range(40)
    ]
    sync_feeds(clean_db, feeds)
    names = [f.name for f in feeds]
    claimed: list[list[str]] = []
    start = threading.Barrier(4)

    def claim() -> None:
        start.wait()
        claimed.append([f.name for f in claim_due_feeds(clean_db, settings, names)])

    threads = [threading.Thread(target=claim) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    every = [name for group in claimed for name in group]
    assert sorted(every) == names  # each feed claimed exactly once
    assert claim_due_feeds(clean_db, settings, names) == []  # leased: not due again
