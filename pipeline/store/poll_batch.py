"""Writing many polls at once: a handful of statements for a whole batch of feeds.

Written one by one, a cold cycle of 500 feeds is some 3,500 statements and 1,000 savepoints
(articles, known articles, ids, entries, the ``feed_polls`` row and the feed, per feed): mostly
round trips and per-statement overhead on both sides. Here a batch's rows go together — one
``INSERT … ON CONFLICT`` for every article of every feed, one for every entry, one multi-row
insert of the ``feed_polls`` rows, a few updates of the feeds — with the same meaning as
writing the feeds one after the other in batch order: an article new to the database is
credited to the first feed of the batch that lists it, and every later listing of it (in the
same batch or not) adds its link and fills missing metadata exactly as a later poll would.

If the database refuses anything of the batch, the batch's savepoint is rolled back and the
polls are written one by one, each in a savepoint of its own, so the one bad feed is recorded
as a storage failure and the others are stored (:func:`record_batch`).
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from datetime import UTC, datetime
from typing import Any

from psycopg.errors import DeadlockDetected, SerializationFailure
from sqlalchemy import Connection, Engine, bindparam, insert, text, update
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlalchemy.sql import ClauseElement

from pipeline.config import Settings
from pipeline.db import is_connection_loss
from pipeline.models import Feed, FeedPoll, PollOutcome
from pipeline.store.polls import (
    PollResult,
    _Outcome,
    _record_isolated,
    _storage_failure,
    _write,
    announce,
    article_rows,
    entry_rows,
    poll_row,
)
from pipeline.store.retry import retry_on_deadlock
from pipeline.store.websub import note_poll

LOGGER = logging.getLogger("pipeline.stages.feeds.poll")

__all__ = ["PendingPoll", "record_batch", "write_batch"]

PendingPoll = tuple[Feed, datetime, _Outcome]
"""A poll fetched and parsed, waiting to be written: the feed, when it started, the outcome."""


def _stores_entries(result: _Outcome) -> bool:
    return bool(
        result.parsed is not None
        and result.parsed.entries
        and result.outcome is not PollOutcome.FAILED
    )


def _json(rows: list[dict[str, Any]]) -> str:
    """Rows as one JSON parameter: one short statement whatever the row count, so neither
    SQLAlchemy nor psycopg renders and re-parses a statement of thousands of placeholders
    (that was most of the client's CPU in storing a cycle), and the server reads it in C."""
    return json.dumps(rows, default=_iso, ensure_ascii=False, separators=(",", ":"))


def _iso(value: object) -> str:
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


_INSERT_ARTICLES = text(
    "INSERT INTO articles (canonical_url, url, original_urls, guid, feed_id, outlet, source,"
    " feed_title, feed_summary, feed_authors, feed_published_at, status) "
    "SELECT r.canonical_url, r.url, r.original_urls, r.guid, r.feed_id, r.outlet, r.source,"
    " r.feed_title, r.feed_summary, r.feed_authors, r.feed_published_at, r.status "
    "FROM jsonb_to_recordset(CAST(:rows AS jsonb)) AS r(canonical_url text, url text,"
    " original_urls text[], guid text, feed_id bigint, outlet text, source text,"
    " feed_title text, feed_summary text, feed_authors text[], feed_published_at timestamptz,"
    " status text) "
    "ORDER BY r.canonical_url "
    "ON CONFLICT (canonical_url) DO NOTHING "
    "RETURNING canonical_url, id"
)
"""New articles of the whole batch, in URL order (one lock order for every writer)."""

_UPDATE_KNOWN = text(
    "UPDATE articles AS a SET"
    " original_urls = a.original_urls || ARRAY(SELECT t.u FROM unnest(k.urls) WITH ORDINALITY"
    "   AS t(u, n) WHERE NOT (t.u = ANY(a.original_urls)) ORDER BY t.n),"
    " feed_title = COALESCE(a.feed_title, k.title),"
    " feed_summary = COALESCE(a.feed_summary, k.summary),"
    " feed_published_at = COALESCE(a.feed_published_at, k.published),"
    " updated_at = now() "
    "FROM jsonb_to_recordset(CAST(:rows AS jsonb)) AS k(canonical text, urls text[],"
    " title text, summary text, published timestamptz) "
    "WHERE a.canonical_url = k.canonical AND ("
    " NOT (k.urls <@ a.original_urls)"
    " OR (a.feed_title IS NULL AND k.title IS NOT NULL)"
    " OR (a.feed_summary IS NULL AND k.summary IS NOT NULL)"
    " OR (a.feed_published_at IS NULL AND k.published IS NOT NULL))"
)
"""Known articles, one row each with all of the batch's listings folded in: the links they
lack appended in listing order, and missing metadata from the first listing that has it —
what the listings' one-by-one updates (:data:`~pipeline.store.polls.UPDATE_KNOWN`) leave."""

_ARTICLE_IDS = text("SELECT canonical_url, id FROM articles WHERE canonical_url = ANY(:urls)")

_UPSERT_ENTRIES = text(
    "INSERT INTO feed_entries (feed_id, entry_key, guid, link, article_id, title, summary,"
    " authors, published_at) "
    "SELECT r.feed_id, r.entry_key, r.guid, r.link, r.article_id, r.title, r.summary,"
    " r.authors, r.published_at "
    "FROM jsonb_to_recordset(CAST(:rows AS jsonb)) AS r(feed_id bigint, entry_key text,"
    " guid text, link text, article_id bigint, title text, summary text, authors text[],"
    " published_at timestamptz) "
    "ORDER BY r.feed_id, r.entry_key "
    "ON CONFLICT (feed_id, entry_key) DO UPDATE SET link = excluded.link,"
    " article_id = excluded.article_id, title = excluded.title, summary = excluded.summary,"
    " authors = excluded.authors, published_at = excluded.published_at, last_seen_at = now() "
    "RETURNING feed_id, (xmax = 0) AS inserted"
)


def _fold(listings: list[dict[str, Any]]) -> dict[str, Any]:
    """One article's later listings, in order, as one :data:`_UPDATE_KNOWN` row."""

    def first(key: str) -> Any:
        return next((row[key] for row in listings if row[key] is not None), None)

    return {
        "canonical": listings[0]["canonical_url"],
        "urls": list(dict.fromkeys(row["url"] for row in listings)),
        "title": first("feed_title"),
        "summary": first("feed_summary"),
        "published": first("feed_published_at"),
    }


def write_batch(conn: Connection, settings: Settings, polls: list[PendingPoll]) -> list[PollResult]:
    """Write *polls* (distinct feeds) in a few statements inside the caller's transaction."""
    # every feed's article rows, and the batch's first row per URL: the one that may insert
    feed_rows: list[list[dict[str, Any]]] = []
    first: dict[str, tuple[int, dict[str, Any]]] = {}
    for i, (feed, _, result) in enumerate(polls):
        rows = (
            article_rows(feed.id, feed.outlet, result.parsed.entries)
            if result.parsed is not None and _stores_entries(result)
            else []
        )
        feed_rows.append(rows)
        for row in rows:
            first.setdefault(row["canonical_url"], (i, row))
    inserted: dict[str, int] = {}
    if first:
        candidates = _json([row for _, row in first.values()])
        for url, article_id in conn.execute(_INSERT_ARTICLES, {"rows": candidates}):
            inserted[url] = article_id
    new_ids: list[list[int]] = [[] for _ in polls]
    for url, article_id in inserted.items():
        new_ids[first[url][0]].append(article_id)
    # every other listing updates its article, as a later poll would (feeds in batch order)
    later: dict[str, list[dict[str, Any]]] = {}
    for i, rows in enumerate(feed_rows):
        for row in rows:
            url = row["canonical_url"]
            if not (url in inserted and first[url][0] == i):
                later.setdefault(url, []).append(row)
    if later:
        folded = [_fold(later[url]) for url in sorted(later)]
        conn.execute(_UPDATE_KNOWN, {"rows": _json(folded)})
    ids = dict(inserted)
    missing = [url for url in first if url not in inserted]
    if missing:
        for url, article_id in conn.execute(_ARTICLE_IDS, {"urls": missing}):
            ids[url] = article_id
    entries = [
        row
        for feed, _, result in polls
        if result.parsed is not None and _stores_entries(result)
        for row in entry_rows(feed.id, result.parsed.entries, ids)
    ]
    entries_new: Counter[int] = Counter()
    if entries:
        for feed_id, is_new in conn.execute(_UPSERT_ENTRIES, {"rows": _json(entries)}):
            if is_new:
                entries_new[feed_id] += 1
    written = []
    for i, (feed, started, result) in enumerate(polls):
        now = datetime.now(UTC)
        # WebSub: what the poll announced, and whether the hub pushes this feed to us now
        pushed_until = note_poll(conn, feed.id, announce(feed, result), now)
        written.append(
            poll_row(
                settings,
                feed,
                started,
                result,
                entries_new=entries_new[feed.id],
                new_ids=sorted(new_ids[i]),
                pushed_until=pushed_until,
                now=now,
            )
        )
    conn.execute(insert(FeedPoll), [w.poll for w in written])
    _update_feeds(conn, [(feed.id, w.feed) for (feed, _, _), w in zip(polls, written, strict=True)])
    return [w.result for w in written]


def _update_feeds(conn: Connection, updates: list[tuple[int, dict[str, Any]]]) -> None:
    """The feeds' new values, one executemany per shape of update (failed, unchanged, new)."""
    groups: dict[tuple[str, ...], list[tuple[int, dict[str, Any]]]] = {}
    for feed_id, values in updates:
        groups.setdefault(tuple(sorted(values)), []).append((feed_id, values))
    for keys, members in groups.items():
        # a value that is an SQL expression (failures + 1) is the same for every member
        sample = members[0][1]
        exprs = {k: sample[k] for k in keys if isinstance(sample[k], ClauseElement)}
        plain = [k for k in keys if k not in exprs]
        stmt = (
            update(Feed)
            .where(Feed.id == bindparam("b_feed_id"))
            .values(**{k: bindparam(f"b_{k}") for k in plain}, **exprs)
        )
        params = [
            {"b_feed_id": feed_id, **{f"b_{k}": values[k] for k in plain}}
            for feed_id, values in sorted(members, key=lambda m: m[0])
        ]
        conn.execute(stmt, params)


def _retryable(exc: BaseException) -> bool:
    orig = getattr(exc, "orig", None)
    return is_connection_loss(exc) or isinstance(orig, DeadlockDetected | SerializationFailure)


def record_batch(engine: Engine, settings: Settings, polls: list[PendingPoll]) -> list[PollResult]:
    """Write several polls in one transaction: all together (:func:`write_batch`), or, if the
    database refuses something of them, one by one, each in a savepoint of its own.

    One commit (and one connection checkout) for many feeds instead of one each: a cycle of
    hundreds of feeds spends far less in round trips and fsyncs. A feed whose data the database
    refuses is rolled back to its savepoint and recorded as a storage failure, as
    :func:`~pipeline.store.polls._record_isolated` does; a deadlock or a lost connection aborts
    (and retries) the batch.
    """
    together = len({feed.id for feed, _, _ in polls}) == len(polls)

    def once() -> list[PollResult]:
        with engine.begin() as conn:
            if together:
                try:
                    with conn.begin_nested():
                        return write_batch(conn, settings, polls)
                except Exception as exc:
                    if _retryable(exc):
                        raise
                    # the database refusing some feed's data is expected (that feed is
                    # found and recorded below); anything else is a bug, shouted about
                    refused = isinstance(exc, SQLAlchemyError)
                    LOGGER.log(
                        logging.WARNING if refused else logging.ERROR,
                        "writing %s polls together failed (%s); writing them one by one",
                        len(polls),
                        type(getattr(exc, "orig", None) or exc).__name__,
                        exc_info=not refused,
                    )
            out: list[PollResult] = []
            for feed, started, result in polls:
                try:
                    with conn.begin_nested():
                        out.append(_write(conn, settings, feed, started, result))
                except Exception as exc:
                    if _retryable(exc):
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
