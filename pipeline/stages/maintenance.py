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

from sqlalchemy import Engine, case, func, select, update

from pipeline.config import Settings
from pipeline.models import Feed, FeedPoll, PollOutcome, RawPage

LOGGER = logging.getLogger(__name__)

__all__ = ["FeedHealth", "HealthSummary", "PruneSummary", "feed_health", "prune_raw_pages"]

FAILING_AFTER = 3
"""Consecutive failed polls after which a feed is reported failing, not just degraded."""


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
    """Classify each feed from its polls in the *window* before *as_of*.

    healthy: polled and its last poll worked; degraded: some polls failed; failing: the last
    ``FAILING_AFTER`` polls or more failed; stale: not polled in the window at all.
    """
    as_of = as_of.astimezone(UTC)
    since = as_of - window
    failed = case((FeedPoll.outcome == PollOutcome.FAILED.value, 1), else_=0)
    polls = (
        select(
            FeedPoll.feed_id,
            func.count().label("polls"),
            func.coalesce(func.sum(failed), 0).label("failed"),
        )
        .where(FeedPoll.started_at >= since, FeedPoll.started_at < as_of)
        .group_by(FeedPoll.feed_id)
        .subquery()
    )
    stmt = (
        select(
            Feed.name,
            Feed.enabled,
            Feed.consecutive_failures,
            Feed.last_success_at,
            func.coalesce(polls.c.polls, 0),
            func.coalesce(polls.c.failed, 0),
        )
        .outerjoin(polls, polls.c.feed_id == Feed.id)
        .order_by(Feed.name)
    )
    counts = {"healthy": 0, "degraded": 0, "failing": 0, "stale": 0, "disabled": 0}
    attention: list[FeedHealth] = []
    with engine.connect() as conn:
        rows = conn.execute(stmt).all()
    for name, enabled, consecutive, last_success, n_polls, n_failed in rows:
        if not enabled:
            status = "disabled"
        elif n_polls == 0:
            status = "stale"
        elif consecutive >= FAILING_AFTER:
            status = "failing"
        elif n_failed or consecutive:
            status = "degraded"
        else:
            status = "healthy"
        counts[status] += 1
        if status in {"degraded", "failing", "stale"}:
            health = FeedHealth(
                name=name,
                status=status,
                polls=int(n_polls),
                failed=int(n_failed),
                consecutive_failures=int(consecutive),
                last_success_at=last_success.isoformat() if last_success else None,
            )
            attention.append(health)
            LOGGER.warning(
                "feed %s is %s: polls=%s failed=%s consecutive_failures=%s last_success=%s",
                name,
                status,
                n_polls,
                n_failed,
                consecutive,
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
