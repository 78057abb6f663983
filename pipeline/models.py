"""SQLAlchemy 2.0 models of the article store.

Unique keys are what make every stage idempotent: feeds by name, feed entries by (feed, entry
key), articles by canonical URL, raw pages by (article, body hash). Stages write with
``INSERT … ON CONFLICT`` against these keys, so a retried task never duplicates a row.

Dedup and event tables live in their own modules (``pipeline.stages.dedup.models``,
``pipeline.stages.events.models``) on the same :class:`Base`.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base with a naming convention so migrations name constraints stably."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: dict[Any, Any] = {  # noqa: RUF012 - SQLAlchemy reads it as a class attr
        datetime: DateTime(timezone=True),
        dict[str, Any]: JSONB,
        list[str]: ARRAY(Text),
    }


class ArticleStatus(enum.StrEnum):
    """Where an article is in the pipeline; stored as text."""

    PENDING = "pending"  # discovered in a feed or sitemap, not fetched yet
    FETCHED = "fetched"  # raw page stored, not extracted yet
    EXTRACTED = "extracted"  # text and metadata stored
    FAILED = "failed"  # see failure_reason / failure_detail


class FailureReason(enum.StrEnum):
    """Why an article failed; one class per thing a user would do differently about it."""

    HTTP_4XX = "http_4xx"
    HTTP_5XX = "http_5xx"
    TIMEOUT = "timeout"
    CONNECTION = "connection_error"
    TOO_MANY_REDIRECTS = "too_many_redirects"
    TOO_LARGE = "too_large"
    NOT_HTML = "not_html"
    ROBOTS_DISALLOWED = "robots_disallowed"
    EMPTY_EXTRACTION = "empty_extraction"
    BLOCKED_OR_PAYWALL = "blocked_or_paywall"
    INVALID_URL = "invalid_url"
    DECODE_ERROR = "decode_error"
    BLOCKED_ADDRESS = "blocked_address"  # the SSRF guard refused the address or port
    STORAGE_ERROR = "storage_error"  # the database refused this article's row; the rest went on
    INTERNAL = "internal_error"


class PollOutcome(enum.StrEnum):
    """The result of one feed poll."""

    OK = "ok"  # parsed cleanly
    PARTIAL = "partial"  # malformed ("bozo") but entries recovered
    UNCHANGED = "unchanged"  # 304, or the same body hash as last time
    FAILED = "failed"  # nothing usable; see error


class Feed(Base):
    """A configured feed; its HTTP validators live here so the next poll can be conditional."""

    __tablename__ = "feeds"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    url: Mapped[str] = mapped_column(Text)
    outlet: Mapped[str] = mapped_column(String(200))
    language: Mapped[str | None] = mapped_column(String(16))
    enabled: Mapped[bool] = mapped_column(Boolean, default=True, server_default="true")
    poll_interval_minutes: Mapped[int] = mapped_column(Integer, default=15, server_default="15")
    etag: Mapped[str | None] = mapped_column(Text)
    last_modified: Mapped[str | None] = mapped_column(Text)
    body_hash: Mapped[str | None] = mapped_column(String(64))
    last_polled_at: Mapped[datetime | None]
    last_success_at: Mapped[datetime | None]
    consecutive_failures: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # adaptive polling (pipeline.stages.feeds.schedule): when it is due, its learned rate,
    # its body's hint
    next_poll_at: Mapped[datetime | None] = mapped_column(index=True)
    entry_rate: Mapped[float | None]
    hint_seconds: Mapped[float | None]
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(server_default=func.now(), onupdate=func.now())


class FeedPoll(Base):
    """One row per poll: what was asked, what came back, and what it yielded."""

    __tablename__ = "feed_polls"
    __table_args__ = (
        Index("ix_feed_polls_feed_started", "feed_id", "started_at"),  # feed_health
        Index("ix_feed_polls_started_at", "started_at"),  # the global request budget
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    feed_id: Mapped[int] = mapped_column(ForeignKey("feeds.id", ondelete="CASCADE"), index=True)
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    http_status: Mapped[int | None] = mapped_column(Integer)
    final_url: Mapped[str | None] = mapped_column(Text)
    sent_etag: Mapped[str | None] = mapped_column(Text)
    sent_last_modified: Mapped[str | None] = mapped_column(Text)
    etag: Mapped[str | None] = mapped_column(Text)
    last_modified: Mapped[str | None] = mapped_column(Text)
    body_hash: Mapped[str | None] = mapped_column(String(64))
    body_bytes: Mapped[int | None] = mapped_column(Integer)
    feed_format: Mapped[str | None] = mapped_column(String(32))
    entries_seen: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    entries_new: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    outcome: Mapped[str] = mapped_column(String(16))
    error: Mapped[str | None] = mapped_column(Text)
    warning: Mapped[str | None] = mapped_column(Text)
    next_poll_at: Mapped[datetime | None]
    schedule_reason: Mapped[str | None] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(8), default="poll", server_default="poll")
    """``poll`` (we asked) or ``push`` (a WebSub hub delivered the body)."""


class WebSubState(enum.StrEnum):
    """Where a feed's WebSub subscription is (``pipeline.stages.feeds.websub``)."""

    DISCOVERED = "discovered"  # the feed names a hub; no request sent (no callback configured)
    PENDING = "pending"  # subscription requested; waiting for the hub's verification of intent
    ACTIVE = "active"  # verified: the hub pushes; polls fall to the safety-net interval
    DENIED = "denied"  # the hub refused (hub.mode=denied)
    FAILED = "failed"  # the request failed, or verification never came
    EXPIRED = "expired"  # the lease ran out without a renewal


class WebSubSubscription(Base):
    """One push subscription per feed: hub, topic, the secret pushes are signed with, lease."""

    __tablename__ = "websub_subscriptions"

    feed_id: Mapped[int] = mapped_column(
        ForeignKey("feeds.id", ondelete="CASCADE"), primary_key=True
    )
    hub: Mapped[str] = mapped_column(Text)
    topic: Mapped[str] = mapped_column(Text)
    secret: Mapped[str | None] = mapped_column(String(128))
    state: Mapped[str] = mapped_column(String(16))
    lease_seconds: Mapped[int | None] = mapped_column(Integer)
    lease_expires_at: Mapped[datetime | None] = mapped_column(index=True)
    requested_at: Mapped[datetime | None]
    verified_at: Mapped[datetime | None]
    last_push_at: Mapped[datetime | None]
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(server_default=func.now(), onupdate=func.now())


class FeedEntry(Base):
    """An entry as a feed listed it; one article may be listed by many feeds."""

    __tablename__ = "feed_entries"
    __table_args__ = (UniqueConstraint("feed_id", "entry_key"),)

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    feed_id: Mapped[int] = mapped_column(ForeignKey("feeds.id", ondelete="CASCADE"))
    entry_key: Mapped[str] = mapped_column(Text)  # GUID, else canonical link
    guid: Mapped[str | None] = mapped_column(Text)
    link: Mapped[str] = mapped_column(Text)
    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str | None] = mapped_column(Text)
    summary: Mapped[str | None] = mapped_column(Text)
    authors: Mapped[list[str] | None]
    published_at: Mapped[datetime | None] = mapped_column(index=True)
    first_seen_at: Mapped[datetime] = mapped_column(server_default=func.now(), index=True)
    last_seen_at: Mapped[datetime] = mapped_column(server_default=func.now())


class Article(Base):
    """One article per canonical URL, with its extracted text and where it is in the pipeline."""

    __tablename__ = "articles"
    __table_args__ = (
        Index("ix_articles_status_next_attempt", "status", "next_attempt_at"),
        Index("ix_articles_published_at", "published_at"),
        Index("ix_articles_text_hash", "text_hash"),
        Index(
            "ix_articles_claimed_by",
            "claimed_by",
            postgresql_where=text("claimed_by IS NOT NULL"),
        ),
        Index(  # feed_health's lag per feed, from the index alone
            "ix_articles_feed_published",
            "feed_id",
            "published_at",
            postgresql_include=["status", "extracted_at"],
        ),
        Index(  # failures_by_reason, fetch_failures: failed articles from the index alone
            "ix_articles_failed",
            "failure_reason",
            "outlet",
            postgresql_include=["fetched_at", "discovered_at"],
            postgresql_where=text("status = 'failed'"),
        ),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    canonical_url: Mapped[str] = mapped_column(Text, unique=True)
    url: Mapped[str] = mapped_column(Text)  # the first URL it was seen under
    original_urls: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list)
    final_url: Mapped[str | None] = mapped_column(Text)  # after redirects
    guid: Mapped[str | None] = mapped_column(Text)
    feed_id: Mapped[int | None] = mapped_column(ForeignKey("feeds.id", ondelete="SET NULL"))
    outlet: Mapped[str | None] = mapped_column(String(200))
    source: Mapped[str] = mapped_column(String(16), default="feed", server_default="feed")
    # feed metadata, the fallback when the page has none
    feed_title: Mapped[str | None] = mapped_column(Text)
    feed_summary: Mapped[str | None] = mapped_column(Text)
    feed_authors: Mapped[list[str] | None]
    feed_published_at: Mapped[datetime | None]
    # extracted
    title: Mapped[str | None] = mapped_column(Text)
    authors: Mapped[list[str] | None]
    published_at: Mapped[datetime | None]
    date_source: Mapped[str | None] = mapped_column(String(16))  # page / feed / none
    language: Mapped[str | None] = mapped_column(String(16))
    sitename: Mapped[str | None] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str | None] = mapped_column(Text)
    text_hash: Mapped[str | None] = mapped_column(String(64))
    word_count: Mapped[int | None] = mapped_column(Integer)
    extractor_version: Mapped[str | None] = mapped_column(String(64))
    extracted_at: Mapped[datetime | None]
    # the paywall / consent / bot-wall sign seen: on an extracted article, a flag (its text is
    # more than a stub and was kept); on a blocked_or_paywall failure, the reason. NULL: none
    wall_marker: Mapped[str | None] = mapped_column(Text)
    # deduplication (filled by pipeline.stages.dedup; the stories table and its FK come with
    # 0002_dedup)
    story_id: Mapped[int | None] = mapped_column(
        BigInteger,
        # use_alter: stories.canonical_article_id points back here, a cycle to break
        ForeignKey(
            "stories.id", ondelete="SET NULL", use_alter=True, name="fk_articles_story_id_stories"
        ),
        index=True,
    )
    duplicate_of_id: Mapped[int | None] = mapped_column(
        ForeignKey("articles.id", ondelete="SET NULL"), index=True
    )
    dedup_method: Mapped[str | None] = mapped_column(String(16))  # url / text / near / revision
    dedup_score: Mapped[float | None]
    wire_source: Mapped[str | None] = mapped_column(String(32))  # AP, Reuters, AFP, ...
    deduped_at: Mapped[datetime | None]
    # state
    status: Mapped[str] = mapped_column(String(16), default=ArticleStatus.PENDING)
    failure_reason: Mapped[str | None] = mapped_column(String(32))
    failure_detail: Mapped[str | None] = mapped_column(Text)
    http_status: Mapped[int | None] = mapped_column(Integer)
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    next_attempt_at: Mapped[datetime | None]
    # a fetch worker's lease: set when claimed, cleared when done; an expired lease (crash) frees it
    claimed_until: Mapped[datetime | None]
    # who holds the lease: "host:pid:start", so a rerun on the same host frees a dead owner's
    claimed_by: Mapped[str | None] = mapped_column(Text)
    fetched_at: Mapped[datetime | None]
    discovered_at: Mapped[datetime] = mapped_column(server_default=func.now(), index=True)
    updated_at: Mapped[datetime] = mapped_column(server_default=func.now(), onupdate=func.now())


class RawPage(Base):
    """A fetched page, gzip-compressed, kept so any range can be re-processed offline.

    A changed body at the same URL is a new row (a revision); the same body fetched again is not.
    """

    __tablename__ = "raw_pages"
    __table_args__ = (UniqueConstraint("article_id", "body_sha256"),)

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), index=True
    )
    fetched_at: Mapped[datetime] = mapped_column(index=True)
    requested_url: Mapped[str] = mapped_column(Text)
    final_url: Mapped[str] = mapped_column(Text)
    redirects: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list)
    http_status: Mapped[int] = mapped_column(Integer)
    content_type: Mapped[str | None] = mapped_column(Text)
    encoding: Mapped[str | None] = mapped_column(String(64))
    etag: Mapped[str | None] = mapped_column(Text)
    last_modified: Mapped[str | None] = mapped_column(Text)
    body_sha256: Mapped[str] = mapped_column(String(64))
    body_bytes: Mapped[int] = mapped_column(Integer)
    body_gzip: Mapped[bytes | None] = mapped_column(LargeBinary)  # None once pruned
    pruned_at: Mapped[datetime | None]


# ``articles.story_id`` references ``stories``, whose model is the dedup stage's: registering it
# whenever the core models load keeps the metadata whole (an ORM flush sorts every table of the
# metadata and fails on a foreign key to an unknown table; the schema-drift test compares it all).
from pipeline.stages.dedup import models as _dedup_models  # noqa: E402, F401
