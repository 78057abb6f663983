"""events: coded events and per-article coding state (the article_events view is in sql/views)

Revision ID: 0003_events
Revises: 0001_core
Create Date: 2026-11-27 11:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_events"
down_revision: str | Sequence[str] | None = "0001_core"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "event_codings",
        sa.Column("article_id", sa.BigInteger(), nullable=False),
        sa.Column("coder_version", sa.String(length=64), nullable=False),
        sa.Column("sentences", sa.Integer(), nullable=False),
        sa.Column("events", sa.Integer(), nullable=False),
        sa.Column("coded_at", TS, server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name=op.f("fk_event_codings_article_id_articles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("article_id", name=op.f("pk_event_codings")),
    )
    op.create_table(
        "events",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column("article_id", sa.BigInteger(), nullable=False),
        sa.Column("event_index", sa.Integer(), nullable=False),
        sa.Column("sentence_index", sa.Integer(), nullable=False),
        sa.Column("event_date", sa.Date(), nullable=True),
        sa.Column("date_precision", sa.String(length=8), nullable=True),
        sa.Column("date_source", sa.String(length=16), nullable=True),
        sa.Column("source_text", sa.Text(), nullable=True),
        sa.Column("source_code", sa.String(length=32), nullable=True),
        sa.Column("source_country", sa.String(length=16), nullable=True),
        sa.Column("source_role", sa.String(length=8), nullable=True),
        sa.Column("target_text", sa.Text(), nullable=True),
        sa.Column("target_code", sa.String(length=32), nullable=True),
        sa.Column("target_country", sa.String(length=16), nullable=True),
        sa.Column("target_role", sa.String(length=8), nullable=True),
        sa.Column("cameo_code", sa.String(length=4), nullable=False),
        sa.Column("base_code", sa.String(length=3), nullable=False),
        sa.Column("root_code", sa.String(length=2), nullable=False),
        sa.Column("quad_class", sa.SmallInteger(), nullable=False),
        sa.Column("goldstein", sa.Float(), nullable=False),
        sa.Column("modality", sa.String(length=16), nullable=False),
        sa.Column("location_name", sa.Text(), nullable=True),
        sa.Column("location_country", sa.String(length=16), nullable=True),
        sa.Column("trigger", sa.Text(), nullable=False),
        sa.Column("trigger_start", sa.Integer(), nullable=False),
        sa.Column("trigger_end", sa.Integer(), nullable=False),
        sa.Column("start_offset", sa.Integer(), nullable=False),
        sa.Column("end_offset", sa.Integer(), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("coder_version", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name=op.f("fk_events_article_id_articles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_events")),
        sa.UniqueConstraint("article_id", "event_index", name=op.f("uq_events_article_id")),
    )
    op.create_index("ix_events_event_date", "events", ["event_date"])
    op.create_index("ix_events_root_code", "events", ["root_code"])
    op.create_index("ix_events_dyad", "events", ["source_country", "target_country"])


def downgrade() -> None:
    op.execute("DROP VIEW IF EXISTS article_events")  # made by migrations before 0008
    op.drop_index("ix_events_dyad", table_name="events")
    op.drop_index("ix_events_root_code", table_name="events")
    op.drop_index("ix_events_event_date", table_name="events")
    op.drop_table("events")
    op.drop_table("event_codings")
