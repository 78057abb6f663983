"""dedup: stories, fingerprint index, learned boilerplate, revisions (story_counts: sql/views)

Revision ID: 0002_dedup
Revises: 0001_core
Create Date: 2026-11-27 10:55:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002_dedup"
down_revision: str | Sequence[str] | None = "0001_core"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "stories",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column("canonical_article_id", sa.BigInteger(), nullable=True),
        sa.Column("created_at", TS, server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", TS, server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(
            ["canonical_article_id"],
            ["articles.id"],
            name=op.f("fk_stories_canonical_article_id_articles"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stories")),
    )
    op.create_index(
        op.f("ix_stories_canonical_article_id"), "stories", ["canonical_article_id"], unique=False
    )
    op.create_foreign_key(
        op.f("fk_articles_story_id_stories"),
        "articles",
        "stories",
        ["story_id"],
        ["id"],
        ondelete="SET NULL",
    )
    op.create_table(
        "dedup_docs",
        sa.Column("article_id", sa.BigInteger(), nullable=False),
        sa.Column("host", sa.Text(), nullable=False),
        sa.Column("seen_at", TS, nullable=False),
        sa.Column("text_key", sa.String(length=64), nullable=True),
        sa.Column("raw_key", sa.String(length=64), nullable=True),
        sa.Column("signature", sa.LargeBinary(), nullable=False),
        sa.Column("slots", sa.LargeBinary(), nullable=False),
        sa.Column("n_shingles", sa.Integer(), nullable=False),
        sa.Column("n_tokens", sa.Integer(), nullable=False),
        sa.Column("complete", sa.Boolean(), nullable=False),
        sa.Column("wire_origin", sa.Boolean(), nullable=False),
        sa.Column("indexed_at", TS, server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name=op.f("fk_dedup_docs_article_id_articles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("article_id", name=op.f("pk_dedup_docs")),
    )
    op.create_index(op.f("ix_dedup_docs_seen_at"), "dedup_docs", ["seen_at"], unique=False)
    op.create_table(
        "dedup_keys",
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("article_id", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name=op.f("fk_dedup_keys_article_id_articles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_dedup_keys")),
    )
    op.create_index(op.f("ix_dedup_keys_article_id"), "dedup_keys", ["article_id"], unique=False)
    op.create_table(
        "dedup_bands",
        sa.Column("band_key", sa.BigInteger(), nullable=False),
        sa.Column("article_id", sa.BigInteger(), nullable=False),
        sa.Column("seen_at", TS, nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name=op.f("fk_dedup_bands_article_id_articles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("band_key", "article_id", name=op.f("pk_dedup_bands")),
    )
    op.create_index(op.f("ix_dedup_bands_article_id"), "dedup_bands", ["article_id"], unique=False)
    # no index on seen_at: the planner would prefer it to the band probes and scan the window;
    # pruning (once per run) scans the table instead
    op.create_table(
        "dedup_host_lines",
        sa.Column("host", sa.Text(), nullable=False),
        sa.Column("line_hash", sa.BigInteger(), nullable=False),
        sa.Column("docs", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("host", "line_hash", name=op.f("pk_dedup_host_lines")),
    )
    op.create_table(
        "article_revisions",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column("article_id", sa.BigInteger(), nullable=False),
        sa.Column("text_key", sa.String(length=64), nullable=False),
        sa.Column("text_hash", sa.String(length=64), nullable=True),
        sa.Column("jaccard_to_previous", sa.Float(), nullable=True),
        sa.Column("seen_at", TS, nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name=op.f("fk_article_revisions_article_id_articles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_article_revisions")),
        sa.UniqueConstraint("article_id", "text_key", name=op.f("uq_article_revisions_article_id")),
    )
    op.create_index("ix_article_revisions_seen_at", "article_revisions", ["seen_at"], unique=False)


def downgrade() -> None:
    op.execute("DROP VIEW IF EXISTS story_counts")  # made by migrations before 0008
    op.drop_table("article_revisions")
    op.drop_table("dedup_host_lines")
    op.drop_table("dedup_bands")
    op.drop_table("dedup_keys")
    op.drop_table("dedup_docs")
    op.drop_constraint(op.f("fk_articles_story_id_stories"), "articles", type_="foreignkey")
    op.drop_table("stories")
