"""WebSub (issue 13): push subscriptions per feed, and pushes recorded as polls.

``websub_subscriptions`` holds one subscription per feed: the hub and topic the feed
announced (``rel="hub"`` / ``rel="self"``, in the body or the ``Link`` header), the secret the
hub signs distributions with, the lease, and the state (``discovered`` → ``pending`` →
``active``; ``denied``, ``failed`` or ``expired`` fall back to adaptive polling).
``feed_polls.kind`` tells a pushed body (``push``) from a poll (``poll``): both go through the
same writing path, and the request budget counts polls only.

Revision ID: 0014_websub
Revises: 0013_streaming
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014_websub"
down_revision: str | Sequence[str] | None = "0013_streaming"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create the subscriptions table; add ``feed_polls.kind``."""
    op.create_table(
        "websub_subscriptions",
        sa.Column(
            "feed_id",
            sa.Integer(),
            sa.ForeignKey(
                "feeds.id",
                ondelete="CASCADE",
                name="fk_websub_subscriptions_feed_id_feeds",
            ),
            nullable=False,
        ),
        sa.Column("hub", sa.Text(), nullable=False),
        sa.Column("topic", sa.Text(), nullable=False),
        sa.Column("secret", sa.String(length=128), nullable=True),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("lease_seconds", sa.Integer(), nullable=True),
        sa.Column("lease_expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("verified_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_push_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.PrimaryKeyConstraint("feed_id", name="pk_websub_subscriptions"),
    )
    op.create_index(
        "ix_websub_subscriptions_lease_expires_at",
        "websub_subscriptions",
        ["lease_expires_at"],
    )
    op.add_column(
        "feed_polls",
        sa.Column("kind", sa.String(length=8), server_default="poll", nullable=False),
    )


def downgrade() -> None:
    """Drop them."""
    op.drop_column("feed_polls", "kind")
    op.drop_index("ix_websub_subscriptions_lease_expires_at", table_name="websub_subscriptions")
    op.drop_table("websub_subscriptions")
