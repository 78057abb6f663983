"""The events stage: code every canonical article once per coder version, atomically.

An article is due when it is extracted, has text, is not a duplicate, and its
``event_codings`` row is missing or names another coder version (the code's CODER_VERSION plus
the fingerprint of the dictionaries in use). Its events are replaced (delete + insert) in the
same transaction as its coding row, so a re-code after a dictionary change never leaves an
article half old and half new. Articles that dedup later marks as duplicates lose their own
events: they reach the canonical's through the ``article_events`` view.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Engine, delete, select
from sqlalchemy.dialects.postgresql import insert

from pipeline.config import Settings
from pipeline.models import Article, ArticleStatus
from pipeline.stages.events.coder import CODER_VERSION, code_text
from pipeline.stages.events.lexicon import Lexicon, load_lexicon
from pipeline.stages.events.models import Event as EventRow
from pipeline.stages.events.models import EventCoding
from pipeline.stages.events.sentences import split_sentences
from pipeline.store import locks
from pipeline.store.locks import xact_lock

LOGGER = logging.getLogger(__name__)

BATCH_SIZE = 200


@dataclass(frozen=True)
class EventsSummary:
    """Counts of one run of the stage (small enough for an Airflow XCom)."""

    coder_version: str
    articles_coded: int
    articles_with_events: int
    events_written: int
    sentences: int
    duplicates_cleared: int
    seconds: float


def coder_version(lexicon: Lexicon) -> str:
    """The version stored with each coding: code version + dictionary fingerprint."""
    return f"{CODER_VERSION}+{lexicon.fingerprint}"


def _anchor_date(published_at: datetime | None) -> date | None:
    if published_at is None:
        return None
    if published_at.tzinfo is not None:
        published_at = published_at.astimezone(UTC)
    return published_at.date()


def _rows(
    article_id: int, text: str, day: date | None, lx: Lexicon, version: str
) -> tuple[list[dict[str, Any]], int]:
    events = code_text(text, day, lexicon=lx)
    rows = []
    for index, event in enumerate(events):
        row = event.as_dict()
        row.update(
            article_id=article_id,
            event_index=index,
            event_date=event.event_date,
            start_offset=row.pop("start"),
            end_offset=row.pop("end"),
            coder_version=version,
        )
        rows.append(row)
    return rows, len(split_sentences(text))


def code_pending(
    engine: Engine,
    settings: Settings,
    *,
    article_ids: Sequence[int] | None = None,
    batch_size: int = BATCH_SIZE,
) -> EventsSummary:
    """Code the due canonical articles (optionally only *article_ids*); idempotent."""
    started = time.monotonic()
    lx = load_lexicon(settings.events_dictionary_dirs)
    version = coder_version(lx)
    duplicates = select(Article.id).where(Article.duplicate_of_id.is_not(None))
    if article_ids is not None:
        duplicates = duplicates.where(Article.id.in_(list(article_ids)))
    with engine.begin() as conn:
        cleared = conn.execute(delete(EventRow).where(EventRow.article_id.in_(duplicates))).rowcount
        conn.execute(delete(EventCoding).where(EventCoding.article_id.in_(duplicates)))

    coded = with_events = written = sentences = 0
    last_id = 0
    while True:
        query = (
            select(Article.id, Article.text, Article.published_at)
            .outerjoin(EventCoding, EventCoding.article_id == Article.id)
            .where(
                Article.status == ArticleStatus.EXTRACTED,
                Article.text.is_not(None),
                Article.duplicate_of_id.is_(None),
                (EventCoding.article_id.is_(None)) | (EventCoding.coder_version != version),
                Article.id > last_id,
            )
            .order_by(Article.id)
            .limit(batch_size)
        )
        if article_ids is not None:
            query = query.where(Article.id.in_(list(article_ids)))
        with engine.connect() as conn:
            batch = conn.execute(query).all()
        if not batch:
            break
        last_id = batch[-1].id
        with engine.begin() as conn:  # one transaction: every article in it is all-or-nothing
            for article_id, text, published_at in batch:
                if text is None:  # excluded by the query; keeps the type checker honest
                    continue
                rows, n_sentences = _rows(article_id, text, _anchor_date(published_at), lx, version)
                # per-article lock to commit: two runs re-coding the same article would both
                # delete (nothing yet) and insert, and one fail on (article_id, event_index)
                xact_lock(conn, locks.EVENTS, article_id % 2147483647)
                conn.execute(delete(EventRow).where(EventRow.article_id == article_id))
                if rows:
                    conn.execute(insert(EventRow), rows)
                stmt = insert(EventCoding).values(
                    article_id=article_id,
                    coder_version=version,
                    sentences=n_sentences,
                    events=len(rows),
                )
                conn.execute(
                    stmt.on_conflict_do_update(
                        index_elements=[EventCoding.article_id],
                        set_={
                            "coder_version": stmt.excluded.coder_version,
                            "sentences": stmt.excluded.sentences,
                            "events": stmt.excluded.events,
                            "coded_at": datetime.now(UTC),
                        },
                    )
                )
                coded += 1
                with_events += bool(rows)
                written += len(rows)
                sentences += n_sentences
    summary = EventsSummary(
        coder_version=version,
        articles_coded=coded,
        articles_with_events=with_events,
        events_written=written,
        sentences=sentences,
        duplicates_cleared=cleared,
        seconds=round(time.monotonic() - started, 3),
    )
    LOGGER.info(
        "events: coded %s articles (%s with events), %s events, %s duplicates cleared, "
        "coder %s, %.2fs",
        coded,
        with_events,
        written,
        cleared,
        version,
        summary.seconds,
    )
    return summary
