"""Writing polls: entries and articles upserted, the ``feed_polls`` row, the feed's validators,
health and next poll time (adaptive, :mod:`pipeline.stages.feeds.schedule`) — one transaction
per feed, or per batch of feeds with a savepoint each (:func:`record_batch`).

Split from ``pipeline/stages/feeds/poll.py``, which re-exports :class:`PollResult` and
:func:`retry_on_deadlock`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TypeVar

from psycopg.errors import DeadlockDetected, SerializationFailure
from sqlalchemy import Connection, Engine, func, literal_column, select, text, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.exc import OperationalError

from pipeline.config import Settings
from pipeline.db import is_connection_loss
from pipeline.http.client import FetchResponse
from pipeline.http.responses import link_relations
from pipeline.models import (
    Article,
    ArticleStatus,
    FailureReason,
    Feed,
    FeedEntry,
    FeedPoll,
    PollOutcome,
)
from pipeline.sanitize import clean_value
from pipeline.stages.feeds.parsing import ParsedEntry, ParsedFeed
from pipeline.stages.feeds.schedule import (
    PollBounds,
    Schedule,
    cache_max_age,
    next_schedule,
)
from pipeline.stages.feeds.websub import Discovery, discover, push_schedule
from pipeline.store.retry import retry_on_deadlock
from pipeline.store.websub import note_poll

LOGGER = logging.getLogger("pipeline.stages.feeds.poll")


@dataclass(frozen=True)
class PollResult:
    """What one poll of one feed did."""

    feed: str
    outcome: str
    http_status: int | None = None
    entries_seen: int = 0
    entries_new: int = 0
    new_article_ids: list[int] = field(default_factory=list)
    error: str | None = None
    warning: str | None = None


# -- storage ---------------------------------------------------------------------------------


def _store_entries(
    conn: Connection, feed_id: int, outlet: str, entries: list[ParsedEntry]
) -> tuple[int, list[int]]:
    """Upsert articles and feed entries; return (entries new, ids of articles new)."""
    by_url: dict[str, ParsedEntry] = {}
    for entry in entries:
        by_url.setdefault(entry.canonical_url, entry)
    rows = [
        {
            "canonical_url": e.canonical_url,
            "url": e.link,
            "original_urls": [e.link],
            "guid": e.guid,
            "feed_id": feed_id,
            "outlet": outlet,
            "source": "feed",
            "feed_title": e.title,
            "feed_summary": e.summary,
            "feed_authors": e.authors or None,
            "feed_published_at": e.published_at,
            "status": ArticleStatus.PENDING.value,
        }
        for e in sorted(by_url.values(), key=lambda e: e.canonical_url)
    ]
    # executemany of one cached statement: SQLAlchemy sends it as multi-row VALUES pages of
    # 1,000 rows ("insertmanyvalues"), so no statement nears PostgreSQL's 65,535 parameters
    # and nothing is recompiled per row count (compiling a 10,000-row VALUES took a minute)
    inserted: dict[str, int] = (
        dict(
            conn.execute(
                insert(Article)
                .on_conflict_do_nothing(index_elements=[Article.canonical_url])
                .returning(Article.canonical_url, Article.id),
                rows,
            ).all()
        )
        if rows
        else {}
    )
    new_ids = list(inserted.values())
    # Known articles: remember any new original URL, fill feed metadata they lack. The WHERE
    # makes a re-poll of the same entries a no-op.
    known = [r for r in rows if r["canonical_url"] not in inserted]
    if known:
        conn.execute(
            text(
                "UPDATE articles SET "
                " original_urls = CASE WHEN CAST(:url AS text) = ANY(original_urls)"
                "   THEN original_urls ELSE array_append(original_urls, CAST(:url AS text)) END,"
                " feed_title = COALESCE(feed_title, CAST(:title AS text)),"
                " feed_summary = COALESCE(feed_summary, CAST(:summary AS text)),"
                " feed_published_at = COALESCE(feed_published_at, CAST(:published AS timestamptz)),"
                " updated_at = now() "
                "WHERE canonical_url = :canonical AND ("
                " NOT (CAST(:url AS text) = ANY(original_urls))"
                " OR (feed_title IS NULL AND CAST(:title AS text) IS NOT NULL)"
                " OR (feed_summary IS NULL AND CAST(:summary AS text) IS NOT NULL)"
                " OR (feed_published_at IS NULL"
                "     AND CAST(:published AS timestamptz) IS NOT NULL))"
            ),
            [
                {
                    "url": r["url"],
                    "title": r["feed_title"],
                    "summary": r["feed_summary"],
                    "published": r["feed_published_at"],
                    "canonical": r["canonical_url"],
                }
                for r in known
            ],
        )
    ids: dict[str, int] = {}
    for urls in _chunks(list(by_url)):
        ids.update(
            conn.execute(
                select(Article.canonical_url, Article.id).where(Article.canonical_url.in_(urls))
            ).all()
        )
    entry_rows = [
        {
            "feed_id": feed_id,
            "entry_key": e.key,
            "guid": e.guid,
            "link": e.link,
            "article_id": ids[e.canonical_url],
            "title": e.title,
            "summary": e.summary,
            "authors": e.authors or None,
            "published_at": e.published_at,
        }
        for e in sorted(entries, key=lambda e: e.key)
    ]
    base = insert(FeedEntry)
    upsert: Any = base.on_conflict_do_update(
        index_elements=[FeedEntry.feed_id, FeedEntry.entry_key],
        set_={
            "link": base.excluded.link,
            "article_id": base.excluded.article_id,
            "title": base.excluded.title,
            "summary": base.excluded.summary,
            "authors": base.excluded.authors,
            "published_at": base.excluded.published_at,
            "last_seen_at": func.now(),
        },
    ).returning(FeedEntry.id, literal_column("(xmax = 0)").label("inserted"))
    entries_new = sum(1 for row in conn.execute(upsert, entry_rows) if row.inserted)
    return entries_new, sorted(new_ids)


_CHUNK = 1000  # URLs per IN list: bind parameters stay far below PostgreSQL's 65,535
_C = TypeVar("_C")


def _chunks(items: list[_C]) -> list[list[_C]]:
    return [items[i : i + _CHUNK] for i in range(0, len(items), _CHUNK)] if items else []


@dataclass(frozen=True)
class _Outcome:
    """Everything one poll learned, ready to be written."""

    outcome: PollOutcome
    response: FetchResponse | None = None
    parsed: ParsedFeed | None = None
    http_status: int | None = None
    error: str | None = None
    warning: str | None = None
    body_hash: str | None = None
    retry_after: float | None = None


def poll_bounds(settings: Settings) -> PollBounds:
    """The adaptive-polling bounds from the settings."""
    return PollBounds(
        min_seconds=settings.min_poll_seconds,
        max_seconds=settings.max_poll_seconds,
        entries_per_poll=settings.poll_entries_per_poll,
        rate_window=settings.poll_rate_window_seconds,
    )


def _schedule(
    settings: Settings, feed: Feed, result: _Outcome, entries_new: int, now: datetime
) -> tuple[Schedule, float | None]:
    """The feed's next poll after *result*, and the body hint to keep for later polls."""
    parsed, response = result.parsed, result.response
    failed = result.outcome is PollOutcome.FAILED
    hint = parsed.hint_seconds if parsed is not None and not failed else feed.hint_seconds
    schedule = next_schedule(
        now=now,
        bounds=poll_bounds(settings),
        rate=feed.entry_rate,
        last_poll_at=feed.last_polled_at,
        succeeded=not failed,
        new_entries=entries_new,
        consecutive_failures=feed.consecutive_failures + 1 if failed else 0,
        max_age=cache_max_age(response.headers) if response is not None else None,
        retry_after=result.retry_after,
        feed_hint=hint,
        listed_span=_listed_span(parsed, now) if not failed else None,
    )
    return schedule, hint


def _listed_span(parsed: ParsedFeed | None, now: datetime) -> float | None:
    """Seconds from the oldest dated entry of a body to *now*, if at least two have dates."""
    dates = [e.published_at for e in parsed.entries if e.published_at] if parsed else []
    return (now - min(dates)).total_seconds() if len(dates) >= 2 else None


def _record(
    engine: Engine,
    settings: Settings,
    feed: Feed,
    started: datetime,
    result: _Outcome,
) -> PollResult:
    """Write the poll row, the feed's validators, health and schedule, and any entries,
    atomically."""
    return retry_on_deadlock(
        lambda: _record_once(engine, settings, feed, started, result),
        f"recording poll of {feed.name}",
    )


def _record_once(
    engine: Engine,
    settings: Settings,
    feed: Feed,
    started: datetime,
    result: _Outcome,
) -> PollResult:
    with engine.begin() as conn:
        return _write(conn, settings, feed, started, result)


def _write(
    conn: Connection,
    settings: Settings,
    feed: Feed,
    started: datetime,
    result: _Outcome,
    *,
    kind: str = "poll",
) -> PollResult:
    """Write one poll — or, with *kind* ``push``, one body a WebSub hub delivered: the same
    entries, row and schedule, but the feed's HTTP validators are left to the polls."""
    entries_new, new_ids = 0, list[int]()
    response, parsed, outcome = result.response, result.parsed, result.outcome
    if parsed is not None and parsed.entries and outcome is not PollOutcome.FAILED:
        entries_new, new_ids = _store_entries(conn, feed.id, feed.outlet, parsed.entries)
    now = datetime.now(UTC)
    schedule, hint = _schedule(settings, feed, result, entries_new, now)
    # discovery from polls only: what a hub delivers does not re-point the subscription
    announced = _announced(feed, result) if kind == "poll" else None
    pushed_until = note_poll(conn, feed.id, announced, now)
    if pushed_until is not None:  # the hub pushes: polls are only the safety net
        schedule = push_schedule(schedule, now, settings.max_poll_seconds)
    conn.execute(
        insert(FeedPoll).values(
            **clean_value(
                {
                    "error": result.error,
                    "warning": result.warning,
                    "etag": response.etag if response else None,
                    "last_modified": response.last_modified if response else None,
                    "final_url": response.final_url if response else None,
                }
            ),
            feed_id=feed.id,
            started_at=started,
            finished_at=now,
            http_status=result.http_status,
            sent_etag=feed.etag,
            sent_last_modified=feed.last_modified,
            body_hash=result.body_hash,
            body_bytes=len(response.body) if response and not response.not_modified else None,
            feed_format=parsed.feed_format if parsed else None,
            entries_seen=len(parsed.entries) if parsed else 0,
            entries_new=entries_new,
            outcome=outcome.value,
            next_poll_at=schedule.next_poll_at,
            schedule_reason=schedule.reason,
            kind=kind,
        )
    )
    values: dict[str, Any] = {
        "last_polled_at": now,
        "updated_at": now,
        "next_poll_at": schedule.next_poll_at,
        "entry_rate": schedule.rate,
        "hint_seconds": hint,
    }
    if outcome is PollOutcome.FAILED:
        values["consecutive_failures"] = Feed.consecutive_failures + 1
    else:
        values.update(last_success_at=now, consecutive_failures=0)
        if kind == "push":
            values["body_hash"] = result.body_hash  # a replayed push is then "unchanged"
        elif response is not None and not response.not_modified:
            values.update(
                etag=clean_value(response.etag),
                last_modified=clean_value(response.last_modified),
                body_hash=result.body_hash,
            )
    conn.execute(update(Feed).where(Feed.id == feed.id).values(**values))
    summary = PollResult(
        feed=feed.name,
        outcome=outcome.value,
        http_status=result.http_status,
        entries_seen=len(parsed.entries) if parsed else 0,
        entries_new=entries_new,
        new_article_ids=new_ids,
        error=result.error,
        warning=result.warning,
    )
    LOGGER.info(
        "polled %s: %s status=%s seen=%s new_entries=%s new_articles=%s error=%s",
        feed.name,
        outcome.value,
        result.http_status,
        summary.entries_seen,
        entries_new,
        len(new_ids),
        result.error,
    )
    return summary


def _announced(feed: Feed, result: _Outcome) -> Discovery | None:
    """The hub and topic this poll's response announced (``Link`` header first, then body)."""
    parsed, response = result.parsed, result.response
    if parsed is None or result.outcome is PollOutcome.FAILED:
        return None
    header = link_relations(response.headers.get("link")) if response is not None else []
    return discover(header, [{"rel": r, "href": h} for r, h in parsed.links], feed.url)


def record_push(
    engine: Engine, settings: Settings, feed: Feed, started: datetime, result: _Outcome
) -> PollResult:
    """Write a body a WebSub hub pushed, through the poll's own path (a ``feed_polls`` row of
    kind ``push``); a body the database refuses is recorded as a storage failure."""

    def once(outcome: _Outcome) -> PollResult:
        with engine.begin() as conn:
            return _write(conn, settings, feed, started, outcome, kind="push")

    try:
        return retry_on_deadlock(lambda: once(result), f"recording push to {feed.name}")
    except Exception as exc:
        if is_connection_loss(exc):
            raise
        failed = _storage_failure(feed, result, exc)
        return retry_on_deadlock(lambda: once(failed), f"recording push to {feed.name}")


def _record_isolated(
    engine: Engine, settings: Settings, feed: Feed, started: datetime, result: _Outcome
) -> PollResult:
    """Record a poll; if the database refuses what this feed produced, record that instead.

    One feed's bad data (whatever slipped past sanitising) must not abort the other feeds'
    polls, nor leave this one without a ``feed_polls`` row. A lost connection is not this
    feed's fault: it propagates and ends the run cleanly.
    """
    try:
        return _record(engine, settings, feed, started, result)
    except Exception as exc:
        if is_connection_loss(exc):
            raise
        return _record(engine, settings, feed, started, _storage_failure(feed, result, exc))


def _storage_failure(feed: Feed, result: _Outcome, exc: Exception) -> _Outcome:
    """What to record instead of a poll the database refused."""
    LOGGER.error("storing the poll of %s failed; recording the failure", feed.name, exc_info=exc)
    orig = getattr(exc, "orig", None) or exc
    detail = (str(orig).strip().splitlines() or [type(orig).__name__])[0][:500]
    return _Outcome(
        PollOutcome.FAILED,
        http_status=result.http_status,
        error=f"{FailureReason.STORAGE_ERROR.value}: {type(orig).__name__}: {detail}",
        warning=result.error or result.warning,
    )


PendingPoll = tuple[Feed, datetime, _Outcome]
"""A poll fetched and parsed, waiting to be written: the feed, when it started, the outcome."""


def record_batch(engine: Engine, settings: Settings, polls: list[PendingPoll]) -> list[PollResult]:
    """Write several polls in one transaction, each in a savepoint of its own.

    One commit (and one connection checkout) for many feeds instead of one each: a cycle of
    hundreds of feeds spends far less in round trips and fsyncs. A feed whose data the database
    refuses is rolled back to its savepoint and recorded as a storage failure, as
    :func:`_record_isolated` does; a deadlock or a lost connection aborts (and retries) the batch.
    """

    def once() -> list[PollResult]:
        out: list[PollResult] = []
        with engine.begin() as conn:
            for feed, started, result in polls:
                try:
                    with conn.begin_nested():
                        out.append(_write(conn, settings, feed, started, result))
                except Exception as exc:
                    orig = getattr(exc, "orig", None)
                    if is_connection_loss(exc) or isinstance(
                        orig, DeadlockDetected | SerializationFailure
                    ):
                        raise
                    failed = _storage_failure(feed, result, exc)
                    with conn.begin_nested():
                        out.append(_write(conn, settings, feed, started, failed))
        return out

    try:
        return retry_on_deadlock(once, f"recording {len(polls)} polls")
    except OperationalError as exc:
        if not isinstance(exc.orig, DeadlockDetected | SerializationFailure):
            raise
        # batches sharing articles kept deadlocking each other: write this one feed by feed
        LOGGER.warning(
            "batch of %s polls deadlocked repeatedly; writing them one by one", len(polls)
        )
        return [_record_isolated(engine, settings, f, t, r) for f, t, r in polls]
