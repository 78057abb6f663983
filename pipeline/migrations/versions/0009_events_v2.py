"""Events v2: every event row names the dictionary entry that produced it.

The coder now has two pattern layers (the curated ``verbs.yaml`` and the converted PETRARCH-2
dictionary); ``pattern_id`` ("verbs.yaml#12", "petrarch:ATTACK:L8950") says which entry fired,
so an analyst can trace a doubtful row back to its rule. Nullable: rows coded before this
revision have none until the next re-code (the coder version changed, so that is the next run).

Revision ID: 0009_events_v2
Revises: 0008_dashboards
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009_events_v2"
down_revision: str | Sequence[str] | None = "0008_dashboards"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add ``events.pattern_id``."""
    op.add_column("events", sa.Column("pattern_id", sa.String(length=200), nullable=True))


def downgrade() -> None:
    """Drop ``events.pattern_id``."""
    op.drop_column("events", "pattern_id")
