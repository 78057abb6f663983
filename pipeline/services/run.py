"""Every stage once: sync feeds → poll → fetch + extract → dedup → events.

This is what ``newswire run`` and ``newswire demo`` call; the DAGs call the stages one by one.
Each stage is idempotent and works from the database state (not from the previous stage's
return value), so a run interrupted anywhere is completed by the next one.
"""

from __future__ import annotations

import dataclasses
import importlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine

from pipeline.config import Settings
from pipeline.stages.feeds.feedfile import FeedConfig, load_feeds, sync_feeds
from pipeline.stages.feeds.poll import PollSummary, poll_feeds
from pipeline.stages.fetch.stage import FetchSummary, fetch_pending

LOGGER = logging.getLogger(__name__)

__all__ = ["RunSummary", "StageProgress", "run_once"]

StageProgress = Callable[[str, int, int], None]
"""Called as ``progress(stage, done, total)``; stages are poll, fetch, dedup, events."""

# (stage name, module, function): the later stages are optional so the spine runs without them
_LATER_STAGES = (
    ("dedup", "pipeline.stages.dedup", "dedup_pending"),
    ("events", "pipeline.stages.events", "code_pending"),
)


@dataclass(frozen=True)
class RunSummary:
    """What one run did, stage by stage; ``asdict`` of it is XCom-sized."""

    feeds_synced: int = 0
    poll: PollSummary = field(default_factory=PollSummary)
    fetch: FetchSummary = field(default_factory=FetchSummary)
    dedup: dict[str, Any] | None = None
    events: dict[str, Any] | None = None
    skipped_stages: list[str] = field(default_factory=list)
    seconds: float = 0.0


def _stage(module: str, function: str) -> Callable[..., Any] | None:
    try:
        mod = importlib.import_module(module)
    except ImportError as exc:
        LOGGER.warning("stage %s.%s unavailable: %s", module, function, exc)
        return None
    found = getattr(mod, function, None)
    return found if callable(found) else None


def _as_dict(value: Any) -> dict[str, Any]:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    if isinstance(value, dict):
        return dict(value)
    return {"result": repr(value)}


def run_once(
    engine: Engine,
    settings: Settings,
    *,
    feeds: list[FeedConfig] | None = None,
    progress: StageProgress | None = None,
) -> RunSummary:
    """Run every stage once over *feeds* (default: the configured feeds file).

    Dedup and event coding run when their modules provide ``dedup_pending`` and
    ``code_pending``; a stage that is not installed is listed in ``skipped_stages`` rather than
    silently ignored. Errors in any stage propagate: a run that did only part of its work must
    not look successful.
    """
    started = time.monotonic()
    configs = feeds if feeds is not None else load_feeds(settings.feeds_file)
    synced = sync_feeds(engine, configs)
    poll = poll_feeds(engine, settings, configs)
    if progress is not None:
        progress("poll", poll.feeds_polled, poll.feeds_polled)
    fetch = fetch_pending(
        engine,
        settings,
        progress=(lambda done, total: progress("fetch", done, total)) if progress else None,
    )
    results: dict[str, dict[str, Any] | None] = {}
    skipped: list[str] = []
    for name, module, function in _LATER_STAGES:
        stage = _stage(module, function)
        if stage is None:
            skipped.append(name)
            results[name] = None
            continue
        results[name] = _as_dict(stage(engine, settings, article_ids=None))
        if progress is not None:
            progress(name, 1, 1)
    summary = RunSummary(
        feeds_synced=len(synced),
        poll=poll,
        fetch=fetch,
        dedup=results.get("dedup"),
        events=results.get("events"),
        skipped_stages=skipped,
        seconds=round(time.monotonic() - started, 3),
    )
    LOGGER.info(
        "run finished in %.1fs: feeds polled=%s unchanged=%s failed=%s; articles new=%s "
        "fetched=%s extracted=%s failed=%s; skipped stages=%s",
        summary.seconds,
        poll.feeds_polled,
        poll.feeds_unchanged,
        poll.feeds_failed,
        poll.articles_new,
        fetch.fetched,
        fetch.extracted,
        fetch.failed,
        skipped or "none",
    )
    return summary
