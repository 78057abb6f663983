"""hardening: who holds a fetch lease (host, pid, process start), so reruns can free dead ones

Revision ID: 0007_hardening
Revises: 0006_story_merges
Create Date: 2026-12-01 07:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007_hardening"
down_revision: str | Sequence[str] | None = "0006_story_merges"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """articles.claimed_by, indexed where set (only claimed rows are ever looked up by it)."""
    op.add_column("articles", sa.Column("claimed_by", sa.Text(), nullable=True))
    op.create_index(
        "ix_articles_claimed_by",
        "articles",
        ["claimed_by"],
        postgresql_where=sa.text("claimed_by IS NOT NULL"),
    )


def downgrade() -> None:
    """Drop the owner column and its index."""
    op.drop_index("ix_articles_claimed_by", table_name="articles")
    op.drop_column("articles", "claimed_by")
