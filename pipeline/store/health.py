"""Feed health, computed in one place: the maintenance DAG's report and ``newswire stats``.

One query reads every feed's configuration columns, its latest poll, its polls in a window and
its article count; one function classifies a feed from that. The dashboard's ``feed_health``
view (``sql/views/marts``) reports the same inputs for humans (latest poll, 24-hour error rate,
lag) and leaves the judgement to this module.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, text

FAILING_AFTER = 3
"""Consecutive failed polls after which a feed is reported failing, not just degraded."""
ATTENTION = frozenset({"degraded", "failing", "stale"})

_STATES = text(
    """
    SELECT f.name, f.enabled, f.consecutive_failures, f.last_success_at, f.last_polled_at,
           last_poll.outcome AS last_outcome,
           coalesce(recent.polls, 0) AS polls, coalesce(recent.failed, 0) AS failed,
           (SELECT count(*) FROM articles a WHERE a.feed_id = f.id) AS articles
    FROM feeds f
    LEFT JOIN LATERAL (
        SELECT p.outcome FROM feed_polls p WHERE p.feed_id = f.id ORDER BY p.id DESC LIMIT 1
    ) AS last_poll ON true
    LEFT JOIN LATERAL (
        SELECT count(*) AS polls, count(*) FILTER (WHERE p.outcome = 'failed') AS failed
        FROM feed_polls p
        WHERE p.feed_id = f.id AND p.started_at >= :since AND p.started_at < :until
    ) AS recent ON true
    ORDER BY f.name
    """
)


@dataclass(frozen=True)
class FeedState:
    """What is known about one feed at a moment: the inputs of its health."""

    name: str
    enabled: bool
    consecutive_failures: int
    last_success_at: datetime | None
    last_polled_at: datetime | None
    last_outcome: str | None
    polls: int
    """Polls in the window."""
    failed: int
    """Failed polls in the window."""
    articles: int

    @property
    def status(self) -> str:
        """healthy: polled and its last poll worked; degraded: some polls failed; failing: the
        last ``FAILING_AFTER`` polls or more failed; stale: not polled in the window at all."""
        if not self.enabled:
            return "disabled"
        if self.polls == 0:
            return "stale"
        if self.consecutive_failures >= FAILING_AFTER:
            return "failing"
        if self.failed or self.consecutive_failures:
            return "degraded"
        return "healthy"


def feed_states(
    engine: Engine, *, as_of: datetime, window: timedelta = timedelta(days=1)
) -> list[FeedState]:
    """Every feed's state over the *window* before *as_of*, by name."""
    until = as_of.astimezone(UTC)
    with engine.connect() as conn:
        rows = conn.execute(_STATES, {"since": until - window, "until": until}).all()
    return [
        FeedState(
            name=row.name,
            enabled=bool(row.enabled),
            consecutive_failures=int(row.consecutive_failures),
            last_success_at=row.last_success_at,
            last_polled_at=row.last_polled_at,
            last_outcome=row.last_outcome,
            polls=int(row.polls),
            failed=int(row.failed),
            articles=int(row.articles),
        )
        for row in rows
    ]
