"""Writing polls: entries and articles upserted, the ``feed_polls`` row, the feed's validators,
health and next poll time (adaptive, :mod:`pipeline.stages.feeds.schedule`) — one transaction
per feed (:func:`_record_isolated`); many feeds at once in :mod:`pipeline.store.poll_batch`,
which shares the row builders below.

Split from ``pipeline/stages/feeds/poll.py``, which re-exports :class:`PollResult` and
:func:`retry_on_deadlock`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, func, literal_column, select, text, update
from sqlalchemy.dialects.postgresql import insert

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


def article_rows(feed_id: int, outlet: str, entries: list[ParsedEntry]) -> list[dict[str, Any]]:
    """One ``articles`` row per canonical URL among *entries* (the first entry wins), sorted by
    URL so that concurrent writers lock rows in one order."""
    by_url: dict[str, ParsedEntry] = {}
    for entry in entries:
        by_url.setdefault(entry.canonical_url, entry)
    return [
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


INSERT_ARTICLES: Any = (
    insert(Article)
    .on_conflict_do_nothing(index_elements=[Article.canonical_url])
    .returning(Article.canonical_url, Article.id)
)
"""New articles; executemany of this one cached statement is sent as multi-row VALUES pages of
1,000 rows ("insertmanyvalues"), so no statement nears PostgreSQL's 65,535 parameters and
nothing is recompiled per row count (compiling a 10,000-row VALUES took a minute)."""

UPDATE_KNOWN = text(
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
)
"""Known articles: remember any new original URL, fill feed metadata they lack. The WHERE
makes a re-poll of the same entries a no-op."""


def known_params(row: dict[str, Any]) -> dict[str, Any]:
    """:data:`UPDATE_KNOWN`'s parameters for an article row that was not inserted."""
    return {
        "url": row["url"],
        "title": row["feed_title"],
        "summary": row["feed_summary"],
        "published": row["feed_published_at"],
        "canonical": row["canonical_url"],
    }


def entry_rows(
    feed_id: int, entries: list[ParsedEntry], ids: dict[str, int]
) -> list[dict[str, Any]]:
    """``feed_entries`` rows for *entries*, with their articles' *ids* (by canonical URL)."""
    return [
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


def upsert_entries() -> Any:
    """Insert or refresh feed entries, returning each row's feed and whether it is new."""
    base = insert(FeedEntry)
    return base.on_conflict_do_update(
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
    ).returning(FeedEntry.feed_id, literal_column("(xmax = 0)").label("inserted"))


def article_ids(conn: Connection, urls: list[str]) -> dict[str, int]:
    """The ids of the articles with these canonical URLs."""
    ids: dict[str, int] = {}
    for chunk in _chunks(urls):
        ids.update(
            conn.execute(
                select(Article.canonical_url, Article.id).where(Article.canonical_url.in_(chunk))
            ).all()
        )
    return ids


def _store_entries(
    conn: Connection, feed_id: int, outlet: str, entries: list[ParsedEntry]
) -> tuple[int, list[int]]:
    """Upsert articles and feed entries; return (entries new, ids of articles new)."""
    rows = article_rows(feed_id, outlet, entries)
    inserted: dict[str, int] = dict(conn.execute(INSERT_ARTICLES, rows).all()) if rows else {}
    new_ids = list(inserted.values())
    known = [known_params(r) for r in rows if r["canonical_url"] not in inserted]
    if known:
        conn.execute(UPDATE_KNOWN, known)
    ids = article_ids(conn, [r["canonical_url"] for r in rows])
    result = conn.execute(upsert_entries(), entry_rows(feed_id, entries, ids))
    entries_new = sum(1 for row in result if row.inserted)
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
    parsed = result.parsed
    if parsed is not None and parsed.entries and result.outcome is not PollOutcome.FAILED:
        entries_new, new_ids = _store_entries(conn, feed.id, feed.outlet, parsed.entries)
    now = datetime.now(UTC)
    pushed_until = note_poll(conn, feed.id, announce(feed, result, kind), now)
    row = poll_row(
        settings,
        feed,
        started,
        result,
        entries_new=entries_new,
        new_ids=new_ids,
        kind=kind,
        pushed_until=pushed_until,
        now=now,
    )
    conn.execute(insert(FeedPoll).values(**row.poll))
    conn.execute(update(Feed).where(Feed.id == feed.id).values(**row.feed))
    return row.result


@dataclass(frozen=True)
class PollRow:
    """What recording one poll writes besides its entries: the ``feed_polls`` row, the feed's
    new values and the result to report."""

    poll: dict[str, Any]
    feed: dict[str, Any]
    result: PollResult


def poll_row(
    settings: Settings,
    feed: Feed,
    started: datetime,
    result: _Outcome,
    *,
    entries_new: int,
    new_ids: list[int],
    kind: str = "poll",
    pushed_until: datetime | None = None,
    now: datetime | None = None,
) -> PollRow:
    """The ``feed_polls`` row and the feed's update for a poll whose entries are stored (pure
    but for the clock: shared by the one-feed and the batched writers, so both write alike)."""
    response, parsed, outcome = result.response, result.parsed, result.outcome
    now = now or datetime.now(UTC)
    schedule, hint = _schedule(settings, feed, result, entries_new, now)
    if pushed_until is not None:  # the hub pushes: polls are only the safety net
        schedule = push_schedule(schedule, now, settings.max_poll_seconds)
    poll: dict[str, Any] = {
        **clean_value(
            {
                "error": result.error,
                "warning": result.warning,
                "etag": response.etag if response else None,
                "last_modified": response.last_modified if response else None,
                "final_url": response.final_url if response else None,
            }
        ),
        "feed_id": feed.id,
        "started_at": started,
        "finished_at": now,
        "http_status": result.http_status,
        "sent_etag": feed.etag,
        "sent_last_modified": feed.last_modified,
        "body_hash": result.body_hash,
        "body_bytes": len(response.body) if response and not response.not_modified else None,
        "feed_format": parsed.feed_format if parsed else None,
        "entries_seen": len(parsed.entries) if parsed else 0,
        "entries_new": entries_new,
        "outcome": outcome.value,
        "next_poll_at": schedule.next_poll_at,
        "schedule_reason": schedule.reason,
        "kind": kind,
    }
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
    return PollRow(poll, values, summary)


def announce(feed: Feed, result: _Outcome, kind: str = "poll") -> Discovery | None:
    """The hub and topic this poll's response announced (``Link`` header first, then body);
    none for a push: discovery comes from polls only, so what a hub delivers never re-points
    the subscription."""
    parsed, response = result.parsed, result.response
    if kind != "poll" or parsed is None or result.outcome is PollOutcome.FAILED:
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
