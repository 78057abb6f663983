"""Every stage once: sync feeds → poll → fetch + extract → dedup → events.

This is what ``newswire run`` and ``newswire demo`` call; the DAGs call the same use cases
(:mod:`pipeline.services.ingest`) one task at a time. Each stage is idempotent and works from
the database state (not from the previous stage's return value), so a run interrupted anywhere
is completed by the next one. Every stage is a hard dependency: a missing one is an install
error, not a silently skipped step.
"""

from __future__ import annotations

import dataclasses
import logging
import time
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine

from pipeline.config import Settings
from pipeline.services import ingest
from pipeline.services.ingest import StageProgress
from pipeline.stages.feeds.feedfile import FeedConfig
from pipeline.stages.feeds.poll import PollSummary
from pipeline.stages.fetch.stage import FetchSummary

LOGGER = logging.getLogger(__name__)

__all__ = ["RunSummary", "StageProgress", "run_once"]


@dataclass(frozen=True)
class RunSummary:
    """What one run did, stage by stage; ``asdict`` of it is XCom-sized."""

    feeds_synced: int = 0
    poll: PollSummary = field(default_factory=PollSummary)
    fetch: FetchSummary = field(default_factory=FetchSummary)
    dedup: dict[str, Any] = field(default_factory=dict)
    events: dict[str, Any] = field(default_factory=dict)
    seconds: float = 0.0


def run_once(
    engine: Engine,
    settings: Settings,
    *,
    feeds: list[FeedConfig] | None = None,
    progress: StageProgress | None = None,
) -> RunSummary:
    """Run every use case once over *feeds* (default: the configured feeds file).

    Errors in any stage propagate: a run that did only part of its work must not look
    successful.
    """
    started = time.monotonic()
    synced = ingest.sync_feeds(engine, settings, feeds)
    poll = ingest.poll(engine, settings, synced.enabled)
    if progress is not None:
        progress("poll", poll.feeds_polled, poll.feeds_polled)
    fetch = ingest.fetch(
        engine,
        settings,
        progress=(lambda done, total: progress("fetch", done, total)) if progress else None,
    )
    later: dict[str, dict[str, Any]] = {}
    for name, use_case in (("dedup", ingest.dedup), ("events", ingest.code_events)):
        later[name] = dataclasses.asdict(use_case(engine, settings))
        if progress is not None:
            progress(name, 1, 1)
    summary = RunSummary(
        feeds_synced=len(synced.ids),
        poll=poll,
        fetch=fetch,
        dedup=later["dedup"],
        events=later["events"],
        seconds=round(time.monotonic() - started, 3),
    )
    LOGGER.info(
        "run finished in %.1fs: feeds polled=%s unchanged=%s failed=%s; articles new=%s "
        "fetched=%s extracted=%s failed=%s",
        summary.seconds,
        poll.feeds_polled,
        poll.feeds_unchanged,
        poll.feeds_failed,
        poll.articles_new,
        fetch.fetched,
        fetch.extracted,
        fetch.failed,
    )
    return summary
