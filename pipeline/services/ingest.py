"""The use cases, one per stage: what the CLI, the DAG tasks, ``run_once`` and the tests call.

Each takes explicit settings and an engine (the unit of work: every stage opens its own short
transactions on it) and returns the stage's summary dataclass. None of them decides *where* the
database is or how work is batched across processes — the CLI (``pipeline/cli``) and the DAG
adapter (:mod:`pipeline.services.orchestration`) do that — so the same call does the same thing
from every entry point. Every use case is idempotent: run twice, the second run changes nothing.

Order of the flow: :func:`sync_feeds` → :func:`poll` → :func:`plan_fetch` → :func:`fetch`
(extraction runs inside it, in the worker pool) → :func:`extract` (re-extraction from stored
pages, no network) → :func:`dedup` → :func:`code_events`; :func:`discover` replaces poll for
backfills, :func:`maintain` is the daily housekeeping.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Engine

from pipeline.config import Settings
from pipeline.stages.dedup import DedupSummary, dedup_pending
from pipeline.stages.events import EventsSummary, code_pending
from pipeline.stages.extract.stored import ExtractSummary, extract_pending
from pipeline.stages.feeds.backfill import DiscoverySummary, discover_interval
from pipeline.stages.feeds.feedfile import FeedConfig, load_feeds
from pipeline.stages.feeds.poll import PollSummary, poll_feeds
from pipeline.stages.fetch.stage import FetchSummary, ProgressCallback, fetch_pending
from pipeline.stages.maintenance import HealthSummary, PruneSummary, feed_health, prune_raw_pages
from pipeline.store import claims
from pipeline.store import feeds as feed_store
from pipeline.store.views import refresh_materialized

LOGGER = logging.getLogger(__name__)

__all__ = [
    "MaintenanceSummary",
    "StageProgress",
    "SyncedFeeds",
    "check_feed_health",
    "chunks",
    "code_events",
    "dedup",
    "discover",
    "extract",
    "fetch",
    "maintain",
    "plan_fetch",
    "poll",
    "prune_raw_html",
    "refresh_views",
    "sync_feeds",
]


@dataclass(frozen=True)
class SyncedFeeds:
    """The feeds file as synced into the ``feeds`` table."""

    ids: dict[str, int] = field(default_factory=dict)
    enabled: list[str] = field(default_factory=list)
    """Names to poll, in file order: what the DAG maps its poll task over."""
    configured: int = 0


def chunks(ids: Iterable[int], size: int) -> list[list[int]]:
    """Split *ids* (deduplicated, sorted) into batches of at most *size*.

    Work is handed out in batches, never per article: one Airflow task per article would swamp
    the scheduler with thousands of task instances per run.
    """
    if size < 1:
        raise ValueError(f"batch size must be at least 1, got {size}")
    ordered = sorted(set(ids))
    return [ordered[i : i + size] for i in range(0, len(ordered), size)]


def sync_feeds(
    engine: Engine, settings: Settings, feeds: Sequence[FeedConfig] | None = None
) -> SyncedFeeds:
    """Read the feeds file once (or take *feeds*) and upsert it into the ``feeds`` table."""
    configs = list(feeds) if feeds is not None else load_feeds(settings.feeds_file)
    ids = feed_store.sync_feeds(engine, configs)
    enabled = [feed.name for feed in configs if feed.enabled]
    LOGGER.info("%s enabled feeds of %s", len(enabled), len(configs))
    return SyncedFeeds(ids=ids, enabled=enabled, configured=len(configs))


def poll(
    engine: Engine, settings: Settings, names: Sequence[str], *, due_only: bool = False
) -> PollSummary:
    """Poll the synced feeds *names* (as stored: the YAML is not read again).

    ``due_only`` skips feeds polled less than their interval ago.
    """
    return poll_feeds(engine, settings, feed_store.feed_configs(engine, names), due_only=due_only)


def plan_fetch(engine: Engine, settings: Settings, new_ids: Iterable[int]) -> list[list[int]]:
    """Fetch batches: *new_ids* plus every article already due (the claim's own predicate)."""
    new = sorted(set(new_ids))
    due = claims.due_article_ids(engine)
    batches = chunks([*new, *due], settings.fetch_batch_size)
    LOGGER.info(
        "fetch plan: %s new and %s due articles in %s batches", len(new), len(due), len(batches)
    )
    return batches


def fetch(
    engine: Engine,
    settings: Settings,
    ids: Sequence[int] | None = None,
    *,
    limit: int | None = None,
    progress: ProgressCallback | None = None,
) -> FetchSummary:
    """Claim, fetch, extract and store the due articles (of *ids*, when given)."""
    return fetch_pending(engine, settings, article_ids=ids, limit=limit, progress=progress)


def extract(
    engine: Engine,
    settings: Settings,
    ids: Sequence[int] | None = None,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    force: bool = False,
) -> ExtractSummary:
    """Re-extract stored pages (of *ids*, fetched in ``[since, until)``), without the network."""
    return extract_pending(engine, settings, article_ids=ids, since=since, until=until, force=force)


def dedup(engine: Engine, settings: Settings, ids: Sequence[int] | None = None) -> DedupSummary:
    """Fold the extracted articles (of *ids*) into stories, in one process (order matters)."""
    return dedup_pending(engine, settings, article_ids=ids)


def code_events(
    engine: Engine, settings: Settings, ids: Sequence[int] | None = None
) -> EventsSummary:
    """Code the CAMEO events of the extracted articles (of *ids*) not coded by this coder."""
    return code_pending(engine, settings, article_ids=ids)


def discover(
    engine: Engine,
    settings: Settings,
    start: datetime,
    end: datetime,
    feeds: Sequence[FeedConfig] | None = None,
) -> DiscoverySummary:
    """Find the interval's articles from the outlets' sitemaps and the stored feed entries."""
    synced = sync_feeds(engine, settings, feeds)
    configs = feed_store.feed_configs(engine, synced.enabled)
    return discover_interval(
        engine,
        settings,
        [(f.url, f.outlet, synced.ids.get(f.name)) for f in configs],
        start,
        end,
    )


def prune_raw_html(engine: Engine, settings: Settings, as_of: datetime) -> PruneSummary:
    """Drop raw HTML fetched longer than the retention before *as_of* (rows and hashes stay)."""
    return prune_raw_pages(engine, settings, as_of=as_of)


def refresh_views(engine: Engine) -> list[str]:
    """Refresh the materialised dashboard marts; their names."""
    return refresh_materialized(engine)


def check_feed_health(engine: Engine, as_of: datetime) -> HealthSummary:
    """Classify every feed from its polls of the day before *as_of*."""
    return feed_health(engine, as_of=as_of)


@dataclass(frozen=True)
class MaintenanceSummary:
    """One day's housekeeping."""

    prune: PruneSummary
    health: HealthSummary
    refreshed: list[str] = field(default_factory=list)


def maintain(engine: Engine, settings: Settings, as_of: datetime) -> MaintenanceSummary:
    """All of the daily housekeeping, in the maintenance DAG's order."""
    pruned = prune_raw_html(engine, settings, as_of)
    refreshed = refresh_views(engine)
    return MaintenanceSummary(
        prune=pruned, health=check_feed_health(engine, as_of), refreshed=refreshed
    )


StageProgress = Callable[[str, int, int], None]
"""Called as ``progress(stage, done, total)``; stages are poll, fetch, dedup, events."""
