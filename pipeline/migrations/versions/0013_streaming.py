"""Streaming: every feed has its own next poll time, learned from its history (issue 13).

``feeds.next_poll_at`` is what ``poll_feeds(due_only=True)`` selects on (indexed: a dispatcher
asks "which feeds are due" every few seconds); ``entry_rate`` is the learned publication rate
(new entries per second, an EWMA, see ``pipeline/stages/feeds/schedule.py``); ``hint_seconds``
is the shortest interval the feed body last asked for (RSS ``<ttl>``, ``sy:updatePeriod``), kept
because a 304 carries no body. ``feed_polls`` records the decision (``next_poll_at`` and why:
``schedule_reason``) so an operator can see why a feed waits. Two indexes serve the
``freshness`` view's 24-hour window (articles by ``discovered_at``, entries by
``first_seen_at``).

Revision ID: 0013_streaming
Revises: 0009_events_v2
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013_streaming"
down_revision: str | Sequence[str] | None = "0009_events_v2"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add the scheduling columns to ``feeds`` and ``feed_polls``."""
    op.add_column("feeds", sa.Column("next_poll_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("feeds", sa.Column("entry_rate", sa.Float(), nullable=True))
    op.add_column("feeds", sa.Column("hint_seconds", sa.Float(), nullable=True))
    op.create_index("ix_feeds_next_poll_at", "feeds", ["next_poll_at"])
    op.add_column(
        "feed_polls", sa.Column("next_poll_at", sa.DateTime(timezone=True), nullable=True)
    )
    op.add_column("feed_polls", sa.Column("schedule_reason", sa.String(length=16), nullable=True))
    op.create_index("ix_feed_polls_started_at", "feed_polls", ["started_at"])
    # the freshness view reads the last 24 hours of discoveries
    op.create_index("ix_articles_discovered_at", "articles", ["discovered_at"])
    op.create_index("ix_feed_entries_first_seen_at", "feed_entries", ["first_seen_at"])


def downgrade() -> None:
    """Drop them."""
    op.drop_index("ix_feed_entries_first_seen_at", table_name="feed_entries")
    op.drop_index("ix_articles_discovered_at", table_name="articles")
    op.drop_index("ix_feed_polls_started_at", table_name="feed_polls")
    op.drop_column("feed_polls", "schedule_reason")
    op.drop_column("feed_polls", "next_poll_at")
    op.drop_index("ix_feeds_next_poll_at", table_name="feeds")
    op.drop_column("feeds", "hint_seconds")
    op.drop_column("feeds", "entry_rate")
    op.drop_column("feeds", "next_poll_at")
