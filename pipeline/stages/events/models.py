"""ORM tables of the event coder: one row per coded event, one coding-state row per article.

``events`` rows belong to a canonical article; re-coding an article (a new coder version or new
dictionaries) deletes and re-inserts its rows in the same transaction that updates its
``event_codings`` row, so readers never see half an article. Duplicates reach the canonical's
events through the ``article_events`` view (migration ``0003_events``).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column

from pipeline.models import Base


class EventCoding(Base):
    """Which coder version (and dictionary fingerprint) last coded an article, and what it found."""

    __tablename__ = "event_codings"

    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
    )
    coder_version: Mapped[str] = mapped_column(String(64))
    sentences: Mapped[int] = mapped_column(Integer, default=0)
    events: Mapped[int] = mapped_column(Integer, default=0)
    coded_at: Mapped[datetime] = mapped_column(server_default=func.now())


class Event(Base):
    """One source–action–target event with its evidence in the article text."""

    __tablename__ = "events"
    __table_args__ = (
        UniqueConstraint("article_id", "event_index"),
        Index("ix_events_event_date", "event_date"),
        Index("ix_events_root_code", "root_code"),
        Index("ix_events_dyad", "source_country", "target_country"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    event_index: Mapped[int] = mapped_column(Integer)  # order within the article
    sentence_index: Mapped[int] = mapped_column(Integer)
    event_date: Mapped[date | None] = mapped_column(Date)
    date_precision: Mapped[str | None] = mapped_column(String(8))  # day / week / month / year
    date_source: Mapped[str | None] = mapped_column(String(16))  # text / publication
    source_text: Mapped[str | None] = mapped_column(Text)
    source_code: Mapped[str | None] = mapped_column(String(32))
    source_country: Mapped[str | None] = mapped_column(String(16))
    source_role: Mapped[str | None] = mapped_column(String(8))
    target_text: Mapped[str | None] = mapped_column(Text)
    target_code: Mapped[str | None] = mapped_column(String(32))
    target_country: Mapped[str | None] = mapped_column(String(16))
    target_role: Mapped[str | None] = mapped_column(String(8))
    cameo_code: Mapped[str] = mapped_column(String(4))
    base_code: Mapped[str] = mapped_column(String(3))
    root_code: Mapped[str] = mapped_column(String(2))
    quad_class: Mapped[int] = mapped_column(SmallInteger)
    goldstein: Mapped[float] = mapped_column(Float)
    modality: Mapped[str] = mapped_column(String(16))
    location_name: Mapped[str | None] = mapped_column(Text)
    location_country: Mapped[str | None] = mapped_column(String(16))
    trigger: Mapped[str] = mapped_column(Text)
    trigger_start: Mapped[int] = mapped_column(Integer)
    trigger_end: Mapped[int] = mapped_column(Integer)
    start_offset: Mapped[int] = mapped_column(Integer)
    end_offset: Mapped[int] = mapped_column(Integer)
    confidence: Mapped[float] = mapped_column(Float)
    coder_version: Mapped[str] = mapped_column(String(64))
    # the dictionary entry that fired (migration 0009_events_v2)
    pattern_id: Mapped[str | None] = mapped_column(String(200), nullable=True)
