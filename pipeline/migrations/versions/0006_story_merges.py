"""dedup: story merges, so a dashboard can follow a story id that was merged into another

When a new article matches members of two stories (above the acceptance threshold, past the
veto), the two are one story: the younger is folded into the older and deleted, and the merge is
recorded here. ``into_story_id`` always names a live story (it is updated when the survivor is
itself merged later), so following an id is one lookup.

Revision ID: 0006_story_merges
Revises: 0005_extract_flags
Create Date: 2026-12-01 07:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_story_merges"
down_revision: str | Sequence[str] | None = "0005_extract_flags"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "story_merges",
        sa.Column("from_story_id", sa.BigInteger(), nullable=False),
        sa.Column("into_story_id", sa.BigInteger(), nullable=False),
        sa.Column("via_article_id", sa.BigInteger(), nullable=True),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column(
            "merged_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
        ),
        sa.PrimaryKeyConstraint("from_story_id", name=op.f("pk_story_merges")),
    )
    op.create_index(
        op.f("ix_story_merges_into_story_id"), "story_merges", ["into_story_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_story_merges_into_story_id"), table_name="story_merges")
    op.drop_table("story_merges")
