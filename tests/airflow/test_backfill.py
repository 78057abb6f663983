"""Backfill discovery: sitemap parsing and date filters (pure), then against the sample corpus."""

from __future__ import annotations

import gzip
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import yaml
from sqlalchemy import Engine, func, select

from pipeline.config import get_settings
from pipeline.models import Article
from pipeline.stages.feeds.backfill import (
    SitemapEntry,
    child_may_cover,
    discover_interval,
    interval_article_ids,
    page_in_interval,
    parse_sitemap,
    url_day,
    url_month,
)
from pipeline.stages.feeds.feedfile import load_feeds
from pipeline.store.feeds import sync_feeds
from tests.airflow.conftest import SAMPLE_DIR

NEWS_SITEMAP = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
  <url>
    <loc>https://a.example/world/story-one</loc>
    <lastmod>2026-11-04T09:00:00Z</lastmod>
    <news:news>
      <news:publication_date>2026-11-02T23:30:00-05:00</news:publication_date>
      <news:title>Story one</news:title>
    </news:news>
  </url>
  <url><loc>https://a.example/2026/11/03/story-two</loc></url>
  <url><loc>https://a.example/undated</loc><lastmod>2026-11-03</lastmod></url>
  <url><lastmod>2026-11-03</lastmod></url>
</urlset>
"""

INDEX = b"""<?xml version="1.0"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <sitemap><loc>https://a.example/sitemaps/archive-2026-11-02.xml</loc></sitemap>
  <sitemap><loc>https://a.example/sitemaps/2026-10.xml</loc></sitemap>
  <sitemap><loc>https://a.example/sitemaps/news.xml</loc><lastmod>2026-11-05T00:00:00Z</lastmod></sitemap>
  <sitemap><loc>https://a.example/sitemaps/old.xml</loc><lastmod>2025-01-01</lastmod></sitemap>
</sitemapindex>
"""

DAY = (datetime(2026, 11, 3, tzinfo=UTC), datetime(2026, 11, 4, tzinfo=UTC))


def test_news_sitemap_entries_carry_dates_and_titles() -> None:
    parsed = parse_sitemap(NEWS_SITEMAP)
    assert parsed.kind == "urlset"
    assert [e.loc for e in parsed.entries] == [
        "https://a.example/world/story-one",
        "https://a.example/2026/11/03/story-two",
        "https://a.example/undated",
    ]
    first = parsed.entries[0]
    assert first.published == datetime(2026, 11, 3, 4, 30, tzinfo=UTC)
    assert first.lastmod == datetime(2026, 11, 4, 9, tzinfo=UTC)
    assert first.title == "Story one"
    assert parsed.entries[2].lastmod == datetime(2026, 11, 3, tzinfo=UTC)


def test_gzipped_sitemap_and_index() -> None:
    parsed = parse_sitemap(gzip.compress(INDEX))
    assert parsed.kind == "index"
    assert len(parsed.entries) == 4


@pytest.mark.parametrize(
    "body",
    [b"<rss><channel/></rss>", b"not xml at all", b""],
    ids=["feed", "text", "empty"],
)
def test_non_sitemaps_are_refused(body: bytes) -> None:
    with pytest.raises(ValueError, match=r"not|empty"):
        parse_sitemap(body)


def test_external_entities_are_not_resolved(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("https://leak.example/")
    body = (
        f'<?xml version="1.0"?><!DOCTYPE u [<!ENTITY x SYSTEM "file://{secret}">]>'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        "<url><loc>&x;</loc></url></urlset>"
    ).encode()
    assert all("leak" not in e.loc for e in parse_sitemap(body).entries)


def test_dates_in_urls() -> None:
    assert url_day("https://a.example/news/2026/11/03/slug") == date(2026, 11, 3)
    assert url_day("https://a.example/sitemaps/archive-2026-11-02.xml") == date(2026, 11, 2)
    assert url_day("https://a.example/20261105/slug") == date(2026, 11, 5)
    assert url_day("https://a.example/2026/13/45/slug") is None
    assert url_day("https://a.example/story-123456789") is None
    assert url_month("https://a.example/sitemaps/2026-10.xml") == (2026, 10)
    assert url_month("https://a.example/sitemaps/archive-2026-11-02.xml") is None


def test_page_filter_prefers_publication_date_then_url_date_then_lastmod() -> None:
    entries = {e.loc: e for e in parse_sitemap(NEWS_SITEMAP).entries}
    kept = {loc for loc, e in entries.items() if page_in_interval(e, *DAY)}
    # published 04:30Z on the 3rd though last modified on the 4th; URL day; lastmod only
    assert kept == set(entries)
    next_day = (DAY[0] + timedelta(days=1), DAY[1] + timedelta(days=1))
    assert not any(page_in_interval(e, *next_day) for e in entries.values())
    assert not page_in_interval(SitemapEntry("https://a.example/x"), *DAY)


def test_index_children_are_pruned_to_the_interval() -> None:
    children = parse_sitemap(INDEX).entries
    read = [c.loc.rsplit("/", 1)[1] for c in children if child_may_cover(c, *DAY)]
    assert read == ["news.xml"]
    nov_2 = (datetime(2026, 11, 2, tzinfo=UTC), datetime(2026, 11, 3, tzinfo=UTC))
    read = [c.loc.rsplit("/", 1)[1] for c in children if child_may_cover(c, *nov_2)]
    assert read == ["archive-2026-11-02.xml", "news.xml"]


def _sample_feed_triples(engine: Engine, feeds_file: Path) -> list[tuple[str, str, int | None]]:
    feeds = load_feeds(feeds_file)
    ids = sync_feeds(engine, feeds)
    return [(f.url, f.outlet, ids[f.name]) for f in feeds]


def test_discovery_over_the_sample_corpus_is_idempotent(
    clean_db: Engine, database_url: str, sample_feeds_file: Path
) -> None:
    settings = get_settings(database_url=database_url, per_host_delay=0.0)
    feeds = _sample_feed_triples(clean_db, sample_feeds_file)
    start = datetime(2026, 11, 2, tzinfo=UTC)
    first = discover_interval(clean_db, settings, feeds, start, start + timedelta(days=1))
    manifest = yaml.safe_load((SAMPLE_DIR / "_manifest.yaml").read_text())
    with clean_db.connect() as conn:
        urls = set(conn.execute(select(Article.url).where(Article.source == "sitemap")).scalars())
        outlets = set(conn.execute(select(Article.outlet).distinct()).scalars())
    paths = {u.split("/", 3)[3] for u in urls}  # http://127.0.0.1:port/<host>/<path>
    for wanted in manifest["sitemap_only"]:
        assert wanted.split("://", 1)[1] in paths
    assert all("/2026/11/02/" in p for p in paths)
    assert first.articles_new == len(urls) > 0
    assert first.sitemaps_read >= 3
    assert sorted(first.to_fetch) == first.to_fetch
    assert outlets <= {"The Capitol Ledger", "Harbour Times", "Eastbridge Post"}

    again = discover_interval(clean_db, settings, feeds, start, start + timedelta(days=1))
    assert again.articles_new == 0
    assert again.to_fetch == first.to_fetch
    with clean_db.connect() as conn:
        assert conn.execute(select(func.count()).select_from(Article)).scalar() == len(urls)
    assert set(interval_article_ids(clean_db, start, start + timedelta(days=1))) >= set(
        first.to_fetch
    )
