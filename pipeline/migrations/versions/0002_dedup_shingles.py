"""dedup: store each article's shingle set, for exact verification of near-duplicate candidates

Revision ID: 0002_dedup_shingles
Revises: 0002_dedup
Create Date: 2026-11-27 11:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002_dedup_shingles"
down_revision: str | Sequence[str] | None = "0002_dedup"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # NULL for articles indexed before: they are verified on their MinHash estimate instead
    op.add_column("dedup_docs", sa.Column("shingles", sa.LargeBinary(), nullable=True))


def downgrade() -> None:
    op.drop_column("dedup_docs", "shingles")
