"""Dedup tables on the shared :class:`pipeline.models.Base` (created by migration ``0002_dedup``).

``stories`` is the cluster; ``dedup_docs`` what the index knows about each article;
``dedup_keys`` the exact keys (URL variants, text hashes); ``dedup_bands`` the LSH buckets,
one row per (bucket, article), looked up by primary key so a lookup costs the same however many
articles are stored; ``dedup_host_lines`` counts how often an outlet prints a line, which is how
its boilerplate is learned; ``article_revisions`` keeps every version of a changed page;
``story_merges`` (migration ``0006_story_merges``) records which story was folded into which.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column

from pipeline.models import Base

__all__ = [
    "ArticleRevision",
    "DedupBand",
    "DedupDoc",
    "DedupKey",
    "HostLine",
    "Story",
    "StoryMerge",
]


class Story(Base):
    """One story (cluster of copies); counts per story are in the ``story_counts`` view."""

    __tablename__ = "stories"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    canonical_article_id: Mapped[int | None] = mapped_column(
        ForeignKey("articles.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(server_default=func.now())


class DedupDoc(Base):
    """The fingerprint of one article, verified against when a new article lands in its bands."""

    __tablename__ = "dedup_docs"

    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
    )
    host: Mapped[str] = mapped_column(Text)
    seen_at: Mapped[datetime] = mapped_column(index=True)
    text_key: Mapped[str | None] = mapped_column(String(64))
    raw_key: Mapped[str | None] = mapped_column(String(64))
    signature: Mapped[bytes] = mapped_column(LargeBinary)
    slots: Mapped[bytes] = mapped_column(LargeBinary)
    shingles: Mapped[bytes | None] = mapped_column(LargeBinary)  # sorted uint32 shingle hashes
    n_shingles: Mapped[int] = mapped_column(Integer)
    n_tokens: Mapped[int] = mapped_column(Integer)
    complete: Mapped[bool] = mapped_column(Boolean)
    wire_origin: Mapped[bool] = mapped_column(Boolean)
    indexed_at: Mapped[datetime] = mapped_column(server_default=func.now())


class DedupKey(Base):
    """An exact key ('u:' URL key, 't:' story-text hash, 'r:' raw-text hash) and its first owner."""

    __tablename__ = "dedup_keys"

    key: Mapped[str] = mapped_column(Text, primary_key=True)
    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), index=True
    )


class DedupBand(Base):
    """An LSH bucket holding an article; pruned after the rolling window."""

    __tablename__ = "dedup_bands"

    band_key: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    seen_at: Mapped[datetime]  # not indexed: lookups must probe bands, never scan the window


class HostLine(Base):
    """How many articles of a host printed a line (digits folded): its learned boilerplate."""

    __tablename__ = "dedup_host_lines"

    host: Mapped[str] = mapped_column(Text, primary_key=True)
    line_hash: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    docs: Mapped[int] = mapped_column(Integer)


class ArticleRevision(Base):
    """One version of a page whose text changed at the same URL: kept with its time."""

    __tablename__ = "article_revisions"
    __table_args__ = (
        UniqueConstraint("article_id", "text_key"),
        Index("ix_article_revisions_seen_at", "seen_at"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    text_key: Mapped[str] = mapped_column(String(64))
    text_hash: Mapped[str | None] = mapped_column(String(64))
    jaccard_to_previous: Mapped[float | None] = mapped_column(Float)
    seen_at: Mapped[datetime]


class StoryMerge(Base):
    """A story folded into an older one (its id no longer exists): follow ``into_story_id``.

    ``into_story_id`` always names a live story: when the survivor is merged later, the rows
    pointing at it are moved on too, so one lookup resolves any id a dashboard kept.
    """

    __tablename__ = "story_merges"

    from_story_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    into_story_id: Mapped[int] = mapped_column(BigInteger, index=True)
    via_article_id: Mapped[int | None] = mapped_column(BigInteger)
    score: Mapped[float | None] = mapped_column(Float)
    reason: Mapped[str] = mapped_column(Text)
    merged_at: Mapped[datetime] = mapped_column(server_default=func.now())
