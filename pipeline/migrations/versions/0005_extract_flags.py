"""extract flags: the wall marker of an article whose text was kept

The paywall/blocked classification is conservative: a page with a wall sign (a paywall prompt,
a consent banner, a bot check) fails as ``blocked_or_paywall`` only when its text is a stub.
Otherwise the article is stored with its text and this column says which sign was seen, so a
dashboard can tell a teaser or a metered article from a clean one (on a failed stub it holds
the sign that failed it).

Revision ID: 0005_extract_flags
Revises: 0004_merge_dedup_events
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_extract_flags"
down_revision: str | Sequence[str] | None = "0004_merge_dedup_events"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add ``articles.wall_marker`` (NULL: no wall sign seen)."""
    op.add_column("articles", sa.Column("wall_marker", sa.Text(), nullable=True))


def downgrade() -> None:
    """Drop ``articles.wall_marker``."""
    op.drop_column("articles", "wall_marker")
