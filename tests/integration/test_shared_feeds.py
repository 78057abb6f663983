"""Every feed in ../shared/corpus/feeds*/ is polled through a real loopback server.

The expectation comes from the corpus MANIFEST (feedparser's own reading of each file): a file
feedparser reads entries from must give us entries (outcome ok or partial); a file with none
must be a recorded failure or an empty success — and no file may raise.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from sqlalchemy import Engine, select

from pipeline.config import Settings, get_settings
from pipeline.models import Article, FeedPoll
from pipeline.stages.feeds.feedfile import FeedConfig
from pipeline.stages.feeds.poll import poll_feed

ROOT = Path(__file__).resolve().parents[2]
CORPUS = (ROOT / ".." / "shared" / "corpus").resolve()


def corpus_files() -> list[str]:
    """Relative paths of every feed file, or a placeholder that skips when the corpus is absent."""
    if not CORPUS.is_dir():
        return ["<absent>"]
    return sorted(
        str(p.relative_to(CORPUS))
        for folder in ("feeds", "feeds_edge")
        for p in (CORPUS / folder).iterdir()
        if p.is_file()
    )


def manifest(corpus: Path) -> dict[str, str]:
    with (corpus / "MANIFEST.tsv").open(encoding="utf-8") as fh:
        return {row["local_path"]: row["notes"] for row in csv.DictReader(fh, delimiter="\t")}


@pytest.fixture(scope="module")
def server() -> Iterator[HTTPServer]:
    with HTTPServer(host="127.0.0.1", threaded=True) as srv:
        yield srv


@pytest.fixture
def settings() -> Settings:
    return get_settings(per_host_delay=0.0, retries=0, respect_robots=False)


@pytest.mark.parametrize("relpath", corpus_files())
def test_shared_feed_is_handled(
    relpath: str, shared_dir: Path, server: HTTPServer, clean_db: Engine, settings: Settings
) -> None:
    corpus = shared_dir / "corpus"
    notes = manifest(corpus).get(relpath, "")
    body = (corpus / relpath).read_bytes()
    content_type = "text/html" if relpath.endswith(".html") else "application/rss+xml"
    path = "/" + relpath
    server.clear()
    server.expect_request(path).respond_with_data(body, content_type=content_type)
    feed = FeedConfig(name="shared", url=server.url_for(path), outlet="shared")

    result = poll_feed(clean_db, settings, feed)

    with clean_db.connect() as conn:
        poll_rows = conn.execute(select(FeedPoll.outcome, FeedPoll.error)).all()
        articles = conn.execute(select(Article.canonical_url, Article.feed_published_at)).all()
    assert len(poll_rows) == 1  # the poll is recorded whatever happened
    match = re.search(r"entries=(\d+)", notes)
    expected_entries = int(match.group(1)) if match else None
    assert result.outcome in {"ok", "partial", "failed"}
    if result.outcome == "failed":
        assert result.error
        assert poll_rows[0].error == result.error
    if relpath.startswith("feeds/"):  # real newsroom feeds: every one yields articles
        assert result.outcome in {"ok", "partial"}, result.error
        assert len(articles) >= 1
    elif expected_entries and result.outcome == "failed":
        # feedparser saw entries but none had a link we could fetch: said so, not hidden
        assert "without a usable link" in (result.error or ""), result.error
    elif expected_entries:
        assert result.entries_seen >= 1
    # placeholder, garbage and absurd dates become NULL; whatever is stored is plausible
    now = datetime.now(UTC)
    for _, published in articles:
        assert published is None or (
            published.year >= settings.min_year and published <= now + timedelta(days=1)
        )
    if relpath.endswith(".html"):
        assert result.error == "HTML page served where a feed was expected"
    assert all(url.startswith("https://") for url, _ in articles)
