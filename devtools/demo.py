"""The offline demo: the whole pipeline over the project's own sample corpus, through replay.

Why it exists: a newcomer without internet access (or a CI runner) should see articles land in
PostgreSQL from one command, with failures recorded and syndicated copies deduplicated, using
exactly the code paths a real run uses. The corpus (``devtools/sample``) is fictional and
described in its README; the Airflow tests reuse :data:`SAMPLE_DIR` and :func:`sample_feeds`.

The replay server listens on fixed ports by default (:data:`DEMO_PORT` and the next three, one
per outlet) because article keys are canonical URLs, and those include the port: random ports
would make every demo run look like new articles. Pass ``port=0`` for random ones (tests).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import yaml
from sqlalchemy import Engine, select

from devtools.replay import ReplayServer
from pipeline.config import Settings
from pipeline.models import Article, ArticleStatus
from pipeline.stages.feeds.feedfile import FeedConfig, load_feeds

if TYPE_CHECKING:
    from pipeline.services.run import RunSummary, StageProgress

LOGGER = logging.getLogger(__name__)

SAMPLE_DIR = Path(__file__).resolve().parent / "sample"
SAMPLE_FEEDS_FILE = SAMPLE_DIR / "_feeds.yaml"
DEMO_PORT = 8765

# Politeness tuned for a loopback server we own: the production per-host delay would only make
# the demo slow, and its declared 5xx answers would cost the full production backoff.
DEMO_OVERRIDES: dict[str, Any] = {
    "per_host_delay": 0.05,
    "per_host_concurrency": 2,
    "backoff_base": 0.1,
    "max_retry_after": 2.0,
    "http_timeout": 10.0,
}


def replay_address(base_url: str, original_url: str) -> str:
    """Where a replay server at *base_url* answers for *original_url* (``/<host>/<path>``)."""
    parts = urlsplit(original_url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise ValueError(f"not an absolute http(s) URL: {original_url!r}")
    query = f"?{parts.query}" if parts.query else ""
    return f"{base_url.rstrip('/')}/{parts.hostname}{parts.path or '/'}{query}"


def sample_feeds(base_url: str) -> list[FeedConfig]:
    """The sample corpus' feeds, pointed at a replay server serving :data:`SAMPLE_DIR`."""
    return [
        feed.model_copy(update={"url": replay_address(base_url, feed.url)})
        for feed in load_feeds(SAMPLE_FEEDS_FILE)
    ]


def served_feeds(server: ReplayServer) -> list[FeedConfig]:
    """Feed configs for every feed a running replay server serves, for a feeds file.

    The sample corpus keeps its own names and outlets; any other corpus gets one feed per
    RSS/Atom file, named after its path and attributed to its host folder.
    """
    if server.root == SAMPLE_DIR.resolve():
        return [
            feed.model_copy(update={"url": server.replay_url(feed.url)})
            for feed in load_feeds(SAMPLE_FEEDS_FILE)
        ]
    feeds = []
    for rel in server.feed_paths():
        host = rel.split("/", 1)[0] if "/" in rel else "replay"
        name = re.sub(r"[^A-Za-z0-9]+", "-", rel).strip("-")[:200]
        feeds.append(FeedConfig(name=name, url=server.url_for(rel), outlet=host[:200]))
    return feeds


def write_feeds_file(feeds: list[FeedConfig], path: Path) -> None:
    """Write *feeds* as a feeds YAML file that
    :func:`pipeline.stages.feeds.feedfile.load_feeds` reads back."""
    path.parent.mkdir(parents=True, exist_ok=True)
    rows = [feed.model_dump(exclude_defaults=True) for feed in feeds]
    path.write_text(
        "# written by `newswire replay --write-feeds`: feeds served by a local replay server\n"
        + yaml.safe_dump(rows, sort_keys=False, allow_unicode=True),
        encoding="utf-8",
    )


def demo_settings(settings: Settings) -> Settings:
    """*settings* with the loopback-friendly politeness of :data:`DEMO_OVERRIDES`."""
    return settings.model_copy(update=DEMO_OVERRIDES)


def serving_settings(settings: Settings, server: ReplayServer) -> Settings:
    """*settings* with the SSRF guard letting through *server*'s own ports (and only those)."""
    allowed = ",".join(p for p in (settings.allowed_hosts, server.allowed_hosts) if p)
    return settings.model_copy(update={"allowed_hosts": allowed})


@dataclass(frozen=True)
class StoredArticle:
    """One row to show the user after the demo."""

    title: str | None
    outlet: str | None
    published_at: datetime | None
    status: str
    failure_reason: str | None
    url: str


def sample_outlets() -> list[str]:
    """The outlet names the sample feeds store their articles under."""
    return sorted({feed.outlet for feed in load_feeds(SAMPLE_FEEDS_FILE)})


def run_demo(
    engine: Engine,
    settings: Settings,
    progress: StageProgress | None = None,
    *,
    port: int = DEMO_PORT,
    server: ReplayServer | None = None,
) -> RunSummary:
    """Serve the sample corpus on loopback and run every pipeline stage once over its feeds.

    Each outlet gets its own port (*port* + 1, + 2, + 3; *port* itself serves the shared-origin
    layout) so robots.txt, politeness and host-keyed dedup see three outlets, as in a real
    crawl. Everything stays on 127.0.0.1; the rows land in *engine*'s database like a real
    run's. Raises ``OSError`` when a port is taken (pass another, or 0 for random ones). A
    running *server* over :data:`SAMPLE_DIR` may be passed instead (tests reuse one).
    """
    from pipeline.services.run import (
        run_once,  # the run module pulls in every stage; load it on use
    )

    if server is None:
        with ReplayServer(SAMPLE_DIR, port=port, per_host_ports=True) as own:
            return run_demo(engine, settings, progress, server=own)
    feeds = served_feeds(server)
    LOGGER.info("demo: sample corpus replayed at %s", ", ".join(f.url for f in feeds))
    summary = run_once(
        engine, serving_settings(demo_settings(settings), server), feeds=feeds, progress=progress
    )
    LOGGER.info(
        "demo finished: %s new articles, %s extracted, %s failed",
        summary.poll.articles_new,
        summary.fetch.extracted,
        summary.fetch.failed,
    )
    return summary


def stored_articles(engine: Engine, limit: int = 50) -> list[StoredArticle]:
    """Articles of the sample outlets, extracted ones first, newest first."""
    stmt = (
        select(
            Article.title,
            Article.feed_title,
            Article.outlet,
            Article.published_at,
            Article.feed_published_at,
            Article.status,
            Article.failure_reason,
            Article.url,
        )
        .where(Article.outlet.in_(sample_outlets()))
        .order_by(
            (Article.status != ArticleStatus.EXTRACTED).asc(),
            Article.published_at.desc().nulls_last(),
            Article.id,
        )
        .limit(limit)
    )
    with engine.connect() as conn:
        return [
            StoredArticle(
                title=row.title or row.feed_title,
                outlet=row.outlet,
                published_at=row.published_at or row.feed_published_at,
                status=row.status,
                failure_reason=row.failure_reason,
                url=row.url,
            )
            for row in conn.execute(stmt)
        ]


__all__ = [
    "DEMO_OVERRIDES",
    "DEMO_PORT",
    "SAMPLE_DIR",
    "SAMPLE_FEEDS_FILE",
    "StoredArticle",
    "demo_settings",
    "replay_address",
    "run_demo",
    "sample_feeds",
    "sample_outlets",
    "served_feeds",
    "serving_settings",
    "stored_articles",
    "write_feeds_file",
]
