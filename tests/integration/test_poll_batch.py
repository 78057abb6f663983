"""Batched poll writes against a real PostgreSQL: the same rows as writing the polls one by one.

``record_batch`` writes a batch of feeds in a handful of statements; it must leave exactly what
writing the same polls one after the other leaves (articles credited to the first feed listing
them, later listings adding links and filling metadata, entries, poll rows, feed health), stay
idempotent, and when the database refuses one feed's data, record that feed as a storage
failure and store the others.
"""

from __future__ import annotations

import logging
import random
import string
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session

from pipeline.config import Settings, get_settings
from pipeline.models import Feed, PollOutcome
from pipeline.stages.feeds.feedfile import FeedConfig
from pipeline.stages.feeds.parsing import ParsedEntry, ParsedFeed, parse_feed
from pipeline.store.feeds import sync_feeds
from pipeline.store.poll_batch import PendingPoll, record_batch
from pipeline.store.polls import PollResult, _Outcome, _record_isolated

FEEDS = {
    # the seed lists K bare, so later listings have metadata to fill in
    "seed": [("k", None, None, None)],
    "p1": [
        ("x?utm_source=p1", None, "X summary from p1", "Tue, 28 Feb 2023 10:00:00 GMT"),
        ("k", "K title from p1", None, None),
        ("only-p1", "Only in p1", None, None),
    ],
    "p2": [
        ("x", "X title from p2", "X summary from p2", None),
        ("y", "Y from p2", None, None),
        ("k?ref=p2", None, "K summary from p2", "Wed, 01 Mar 2023 08:30:00 GMT"),
    ],
    "p3": [("y", "Y again from p3", "Y summary from p3", None), ("x", None, None, None)],
}


def _rss(items: list[tuple[str, str | None, str | None, str | None]]) -> bytes:
    parts = []
    for path, title, summary, date in items:
        item = f"<link>/news/{path.replace('&', '&amp;')}</link>"
        item += f"<title>{title}</title>" if title else ""
        item += f"<description>{summary}</description>" if summary else ""
        item += f"<pubDate>{date}</pubDate>" if date else ""
        parts.append(f"<item>{item}</item>")
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Batch desk</title>'
        + "".join(parts)
        + "</channel></rss>"
    ).encode()


@pytest.fixture
def settings() -> Settings:
    return get_settings()


def _feeds(engine: Engine, host: str, names: list[str]) -> dict[str, Feed]:
    sync_feeds(
        engine,
        [
            FeedConfig(name=f"{host}-{n}", url=f"https://{host}/feeds/{n}.xml", outlet=host)
            for n in names
        ],
    )
    with Session(engine, expire_on_commit=False) as session:
        rows = {
            f.name.removeprefix(f"{host}-"): f
            for f in session.scalars(select(Feed).where(Feed.outlet == host))
        }
        session.expunge_all()
    return rows


def _parsed(host: str, name: str, settings: Settings) -> _Outcome:
    parsed = parse_feed(_rss(FEEDS[name]), f"https://{host}/feeds/{name}.xml", settings)
    assert parsed.outcome is PollOutcome.OK
    return _Outcome(parsed.outcome, None, parsed, http_status=200, body_hash=f"hash-{name}")


def _polls(engine: Engine, host: str, settings: Settings) -> list[PendingPoll]:
    """The seed is written first (one by one); then p1, p2, p3, a failed and an unchanged poll."""
    feeds = _feeds(engine, host, ["seed", "p1", "p2", "p3", "down", "same"])
    now = datetime.now(UTC)
    _record_isolated(engine, settings, feeds["seed"], now, _parsed(host, "seed", settings))
    return [
        *((feeds[n], now, _parsed(host, n, settings)) for n in ("p1", "p2", "p3")),
        (feeds["down"], now, _Outcome(PollOutcome.FAILED, http_status=503, error="http_5xx: x")),
        (feeds["same"], now, _Outcome(PollOutcome.UNCHANGED, http_status=304)),
    ]


def _state(engine: Engine, host: str, results: list[PollResult]) -> dict[str, Any]:
    """Everything the writes left for *host*, with the host name taken out."""

    def rows(sql: str) -> list[tuple[Any, ...]]:
        with engine.connect() as conn:
            out = conn.execute(text(sql), {"o": host}).all()
        return [
            tuple(
                v.replace(host, "H")
                if isinstance(v, str)
                else [x.replace(host, "H") for x in v]
                if isinstance(v, list)
                else v
                for v in row
            )
            for row in out
        ]

    urls = dict(
        rows("SELECT id, canonical_url FROM articles WHERE outlet = :o")  # type: ignore[arg-type]
    )
    return {
        "articles": rows(
            "SELECT a.canonical_url, a.url, a.original_urls, a.guid, f.name, a.source,"
            " a.feed_title, a.feed_summary, a.feed_authors, a.feed_published_at, a.status"
            " FROM articles a JOIN feeds f ON f.id = a.feed_id WHERE a.outlet = :o"
            " ORDER BY a.canonical_url"
        ),
        "entries": rows(
            "SELECT f.name, e.entry_key, e.guid, e.link, a.canonical_url, e.title, e.summary,"
            " e.authors, e.published_at FROM feed_entries e JOIN feeds f ON f.id = e.feed_id"
            " JOIN articles a ON a.id = e.article_id WHERE f.outlet = :o"
            " ORDER BY f.name, e.entry_key"
        ),
        "polls": rows(
            "SELECT f.name, p.outcome, p.http_status, p.entries_seen, p.entries_new, p.error,"
            " p.body_hash, p.schedule_reason FROM feed_polls p JOIN feeds f ON f.id = p.feed_id"
            " WHERE f.outlet = :o ORDER BY f.name, p.id"
        ),
        "feeds": rows(
            "SELECT name, consecutive_failures, body_hash, last_success_at IS NOT NULL,"
            " last_polled_at IS NOT NULL FROM feeds WHERE outlet = :o ORDER BY name"
        ),
        "results": [
            (
                r.feed.replace(host, "H"),
                r.outcome,
                r.entries_seen,
                r.entries_new,
                sorted(urls[i] for i in r.new_article_ids),
            )
            for r in results
        ],
    }


def _no_fallback(caplog: pytest.LogCaptureFixture) -> None:
    assert not [r for r in caplog.records if "writing them one by one" in r.getMessage()]


def test_batch_writes_what_one_by_one_writes(
    engine: Engine, settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    one, many = "one.batch.example", "many.batch.example"
    polls = _polls(engine, one, settings)
    singly = [_record_isolated(engine, settings, f, t, r) for f, t, r in polls]
    batched = record_batch(engine, settings, _polls(engine, many, settings))
    _no_fallback(caplog)
    expected, got = _state(engine, one, singly), _state(engine, many, batched)
    assert got == expected
    # and what that is, spelled out for the interesting rows
    articles = {a[0]: a for a in got["articles"]}
    x, k = articles["https://H/news/x"], articles["https://H/news/k"]
    assert x[2] == ["https://H/news/x?utm_source=p1", "https://H/news/x"]  # p1's link first
    assert x[4] == "H-p1"
    assert x[6] == "X title from p2"
    assert x[7] == "X summary from p1"
    assert k[4] == "H-seed"
    assert k[6] == "K title from p1"
    assert k[7] == "K summary from p2"
    new = {r[0]: r[4] for r in got["results"]}
    assert new == {
        "H-p1": ["https://H/news/only-p1", "https://H/news/x"],
        "H-p2": ["https://H/news/y"],
        "H-p3": [],
        "H-down": [],
        "H-same": [],
    }


def test_batch_is_idempotent(
    engine: Engine, settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    host = "again.batch.example"
    polls = _polls(engine, host, settings)
    first = record_batch(engine, settings, polls)
    state = _state(engine, host, first)
    again = record_batch(engine, settings, polls)
    _no_fallback(caplog)
    after = _state(engine, host, again)
    assert after["articles"] == state["articles"]
    assert after["entries"] == state["entries"]
    assert [r[3:] for r in after["results"]] == [(0, []) for _ in polls]  # nothing new, twice


def test_a_refused_feed_fails_alone(
    engine: Engine, settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    host = "refused.batch.example"
    polls = _polls(engine, host, settings)
    # a link of 3,000 random characters: its index entry is over PostgreSQL's limit
    noise = "".join(random.Random(7).choices(string.ascii_letters + string.digits, k=3000))
    link = f"https://{host}/news/{noise}"
    bad = ParsedEntry(link, None, link, link, "Too long", None, [], None)
    feed, started, _ = polls[1]
    polls[1] = (
        feed,
        started,
        _Outcome(PollOutcome.OK, None, ParsedFeed(PollOutcome.OK, [bad], "rss20"), 200),
    )
    caplog.set_level(logging.WARNING)
    results = record_batch(engine, settings, polls)
    assert [r.outcome for r in results] == ["ok", "failed", "ok", "failed", "unchanged"]
    assert (results[1].error or "").startswith("storage_error:")
    assert results[0].new_article_ids
    assert results[2].entries_new == 2
    state = _state(engine, host, results)
    assert "https://H/news/y" in {a[0] for a in state["articles"]}  # p3 stored it instead of p2
    assert any("writing them one by one" in r.getMessage() for r in caplog.records)
