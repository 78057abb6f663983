"""Join the dedup and events branches into one head.

Dedup (0002) and event coding (0003) were built side by side off the core schema; from here on
there is one line of history, so `alembic upgrade head` and `heads` mean the same thing.

Revision ID: 0004_merge_dedup_events
Revises: 0002_dedup_shingles, 0003_events
Create Date: 2026-11-27
"""

from collections.abc import Sequence

revision: str = "0004_merge_dedup_events"
down_revision: str | Sequence[str] | None = ("0002_dedup_shingles", "0003_events")
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Nothing to change: the merge only joins the two histories."""


def downgrade() -> None:
    """Nothing to undo."""
