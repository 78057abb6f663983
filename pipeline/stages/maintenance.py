"""Daily housekeeping: prune old raw HTML, refresh materialised views, report feed health.

Raw pages are what makes offline re-processing possible, but they are the bulk of the database;
past ``NEWSWIRE_RAW_RETENTION_DAYS`` their body is dropped (the row and its hash stay, so a
re-fetch of the same body is still recognised). Every step is scoped by an explicit ``as_of``
time — the DAG passes its data interval's end — so re-running a day does the same thing.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, func, select, update

from pipeline.config import Settings
from pipeline.models import RawPage
from pipeline.store.health import ATTENTION, feed_states

LOGGER = logging.getLogger(__name__)

__all__ = ["FeedHealth", "HealthSummary", "PruneSummary", "feed_health", "prune_raw_pages"]


@dataclass(frozen=True)
class PruneSummary:
    """Raw bodies dropped by one prune."""

    cutoff: str
    pages_pruned: int = 0
    bytes_freed: int = 0


@dataclass(frozen=True)
class FeedHealth:
    """One feed's state over the look-back window."""

    name: str
    status: str  # healthy / degraded / failing / stale / disabled
    polls: int
    failed: int
    consecutive_failures: int
    last_success_at: str | None


@dataclass(frozen=True)
class HealthSummary:
    """Feed health counts (XCom-safe) and the feeds needing attention by name."""

    feeds: int = 0
    healthy: int = 0
    degraded: int = 0
    failing: int = 0
    stale: int = 0
    disabled: int = 0
    attention: list[FeedHealth] = field(default_factory=list)


def prune_raw_pages(engine: Engine, settings: Settings, *, as_of: datetime) -> PruneSummary:
    """Drop raw bodies fetched more than ``raw_retention_days`` before *as_of* (0 keeps all)."""
    if settings.raw_retention_days == 0:
        return PruneSummary(cutoff="never")
    cutoff = as_of.astimezone(UTC) - timedelta(days=settings.raw_retention_days)
    due = (RawPage.fetched_at < cutoff, RawPage.body_gzip.is_not(None))
    with engine.begin() as conn:
        # measured first: after the update the bodies are gone
        count, freed = conn.execute(
            select(func.count(), func.coalesce(func.sum(func.length(RawPage.body_gzip)), 0)).where(
                *due
            )
        ).one()
        conn.execute(update(RawPage).where(*due).values(body_gzip=None, pruned_at=func.now()))
    summary = PruneSummary(
        cutoff=cutoff.isoformat(), pages_pruned=int(count), bytes_freed=int(freed)
    )
    LOGGER.info("pruned raw html before %s: pages=%s bytes=%s", summary.cutoff, count, freed)
    return summary


def feed_health(
    engine: Engine, *, as_of: datetime, window: timedelta = timedelta(days=1)
) -> HealthSummary:
    """Classify each feed from its polls in the *window* before *as_of*
    (:class:`pipeline.store.health.FeedState` holds the rule)."""
    as_of = as_of.astimezone(UTC)
    counts = {"healthy": 0, "degraded": 0, "failing": 0, "stale": 0, "disabled": 0}
    attention: list[FeedHealth] = []
    rows = feed_states(engine, as_of=as_of, window=window)
    for state in rows:
        status = state.status
        counts[status] += 1
        if status in ATTENTION:
            health = FeedHealth(
                name=state.name,
                status=status,
                polls=state.polls,
                failed=state.failed,
                consecutive_failures=state.consecutive_failures,
                last_success_at=state.last_success_at.isoformat()
                if state.last_success_at
                else None,
            )
            attention.append(health)
            LOGGER.warning(
                "feed %s is %s: polls=%s failed=%s consecutive_failures=%s last_success=%s",
                state.name,
                status,
                state.polls,
                state.failed,
                state.consecutive_failures,
                health.last_success_at,
            )
    summary = HealthSummary(feeds=len(rows), attention=attention, **counts)
    LOGGER.info(
        "feed health at %s: feeds=%s healthy=%s degraded=%s failing=%s stale=%s disabled=%s",
        as_of.isoformat(),
        summary.feeds,
        summary.healthy,
        summary.degraded,
        summary.failing,
        summary.stale,
        summary.disabled,
    )
    return summary
