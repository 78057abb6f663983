"""dashboards: views move to sql/views; indexes the dashboard queries need at scale

The two views the dedup and events migrations created (story_counts, article_events) now live in
sql/views like every other view, applied by the one mechanism after migrations; this revision
drops the migration-made copies so nothing else owns them.

Revision ID: 0008_dashboards
Revises: 0007_hardening
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008_dashboards"
down_revision: str | Sequence[str] | None = "0007_hardening"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute("DROP VIEW IF EXISTS article_events CASCADE")
    op.execute("DROP VIEW IF EXISTS story_counts CASCADE")
    # feed_health reads each feed's latest poll and its last 24 hours of polls
    op.create_index("ix_feed_polls_feed_started", "feed_polls", ["feed_id", "started_at"])
    # feed_health's publication-to-storage lag per feed over the last 7 days
    op.create_index(
        "ix_articles_feed_published",
        "articles",
        ["feed_id", "published_at"],
        postgresql_include=["status", "extracted_at"],  # read from the index alone
    )
    # failures_by_reason / fetch_failures: the failed articles only, read from the index alone
    op.create_index(
        "ix_articles_failed",
        "articles",
        ["failure_reason", "outlet"],
        postgresql_include=["fetched_at", "discovered_at"],
        postgresql_where=sa.text("status = 'failed'"),
    )


def downgrade() -> None:
    op.drop_index("ix_articles_failed", table_name="articles")
    op.drop_index("ix_articles_feed_published", table_name="articles")
    op.drop_index("ix_feed_polls_feed_started", table_name="feed_polls")
