"""Task bodies of the event-driven DAGs (``dags/newswire_stream.py``): poll what is due, then
process exactly the new articles.

``newswire_stream`` runs every ``NEWSWIRE_STREAM_INTERVAL_SECONDS`` (default 30) and polls only
the feeds whose adaptive next-poll time has come (:func:`pipeline.poll.poll_feeds` with
``due_only``: claimed under a lock, within the request budget). When that finds new articles it
emits an event on the :data:`NEW_ARTICLES_ASSET` Asset carrying their ids; the
``newswire_stream_process`` DAG is scheduled on that Asset and runs fetch → extract → dedup →
events for those ids only, through the same task functions as ``newswire_ingest``
(:mod:`pipeline.services.orchestration`). Airflow folds the events queued while a processing run
is busy into the next run, so a burst of discoveries becomes one run, not a queue of them.

Nothing here runs at import time (DAG parsing must not touch the database).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from pipeline.services import orchestration as orch

if TYPE_CHECKING:  # the DAG files import this module at parse time: keep it light
    from sqlalchemy import Engine

    from pipeline.config import Settings

LOGGER = logging.getLogger(__name__)

NEW_ARTICLES_ASSET_URI = "newswire://articles/new"
"""The Asset the dispatcher updates when a poll finds new articles (extra: their ids)."""
INTERVAL_ENV = "NEWSWIRE_STREAM_INTERVAL_SECONDS"
DEFAULT_INTERVAL = 30


def stream_interval_seconds() -> int:
    """How often the dispatcher looks for due feeds (environment only: cheap at parse time)."""
    raw = os.environ.get(INTERVAL_ENV, "").strip()
    try:
        value = int(raw) if raw else DEFAULT_INTERVAL
    except ValueError:
        value = DEFAULT_INTERVAL
    return max(5, value)


def poll_due() -> dict[str, Any]:
    """Sync the feeds file, poll the feeds that are due; counts plus the new article ids."""
    from pipeline.stages.feeds.feedfile import load_feeds
    from pipeline.stages.feeds.poll import poll_feeds
    from pipeline.store.feeds import sync_feeds

    settings = orch.resolve_settings()
    feeds = load_feeds(settings.feeds_file)
    with orch.task_engine(settings, migrate=True) as engine:
        sync_feeds(engine, feeds)
        summary = poll_feeds(engine, settings, feeds, due_only=True)
        maintain_websub(engine, settings)
    counts = orch.xcom_summary(summary)
    LOGGER.info(
        "stream poll: %s due feeds polled, %s new articles",
        summary.feeds_polled,
        summary.articles_new,
    )
    return counts


def maintain_websub(engine: Engine, settings: Settings) -> None:
    """WebSub upkeep after the poll (the dispatcher's cadence is ample for leases of days):
    lapsed subscriptions back to polling; requests and renewals when a callback is configured.
    A hub's failure is logged and recorded, never the dispatcher's failure."""
    from pipeline.stages.feeds.websub_io import maintain_subscriptions

    try:
        maintain_subscriptions(engine, settings)
    except Exception:
        LOGGER.exception("websub maintenance failed; polling goes on")


def event_article_ids(events: Iterable[Mapping[str, Any] | None]) -> list[int]:
    """The article ids carried by the triggering Asset events' extras, deduplicated, sorted."""
    ids: set[int] = set()
    for extra in events:
        for value in (extra or {}).get("article_ids") or []:
            if isinstance(value, int) and not isinstance(value, bool):
                ids.add(value)
    return sorted(ids)


def process_ids(article_ids: Sequence[int]) -> dict[str, int]:
    """Fetch, extract, dedup and code *article_ids* in one task, through the ingest functions.

    One task rather than four mapped ones: the dispatcher hands over a handful of articles every
    few seconds, and each extra task instance costs seconds of scheduling and start-up, the
    very latency this path exists to avoid. Large bursts are still batched by
    ``NEWSWIRE_FETCH_BATCH_SIZE``.
    """
    settings = orch.resolve_settings()
    fetched: list[dict[str, Any]] = []
    extracted: list[dict[str, Any]] = []
    coded: list[dict[str, Any]] = []
    for batch in orch.chunks(article_ids, settings.fetch_batch_size):
        fetched.append(orch.fetch_batch(batch))
        extracted.append(orch.extract_batch(batch))
    dedup = orch.dedup_ids(orch.extracted_ids(fetched, extracted))
    for batch in dedup["batches"]:
        coded.append(orch.code_batch(batch))
    return orch.totals(fetch=fetched, extract=extracted, dedup=[dedup["summary"]], events=coded)
