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

import logging
from collections import Counter
from datetime import datetime
from typing import Any

from psycopg.errors import DeadlockDetected, SerializationFailure
from sqlalchemy import Connection, Engine, bindparam, insert, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.sql import ClauseElement

from pipeline.config import Settings
from pipeline.db import is_connection_loss
from pipeline.models import Feed, FeedPoll, PollOutcome
from pipeline.store.polls import (
    INSERT_ARTICLES,
    UPDATE_KNOWN,
    PollResult,
    _Outcome,
    _record_isolated,
    _storage_failure,
    _write,
    article_ids,
    article_rows,
    entry_rows,
    known_params,
    poll_row,
    upsert_entries,
)
from pipeline.store.retry import retry_on_deadlock

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
    candidates = [row for _, row in sorted(first.values(), key=lambda t: t[1]["canonical_url"])]
    inserted: dict[str, int] = (
        dict(conn.execute(INSERT_ARTICLES, candidates).all()) if candidates else {}
    )
    new_ids: list[list[int]] = [[] for _ in polls]
    for url, article_id in inserted.items():
        new_ids[first[url][0]].append(article_id)
    # every other listing updates the article, in URL order (one lock order for all writers),
    # feeds in batch order within a URL: what writing them one after the other would do
    known = sorted(
        (
            (row["canonical_url"], i, row)
            for i, rows in enumerate(feed_rows)
            for row in rows
            if not (row["canonical_url"] in inserted and first[row["canonical_url"]][0] == i)
        ),
        key=lambda t: (t[0], t[1]),
    )
    if known:
        conn.execute(UPDATE_KNOWN, [known_params(row) for _, _, row in known])
    ids = dict(inserted)
    ids.update(article_ids(conn, [url for url in first if url not in inserted]))
    entries = [
        row
        for feed, _, result in polls
        if result.parsed is not None and _stores_entries(result)
        for row in entry_rows(feed.id, result.parsed.entries, ids)
    ]
    entries_new: Counter[int] = Counter()
    if entries:
        for upserted in conn.execute(upsert_entries(), entries):
            if upserted.inserted:
                entries_new[upserted.feed_id] += 1
    written = [
        poll_row(
            settings,
            feed,
            started,
            result,
            entries_new=entries_new[feed.id],
            new_ids=sorted(new_ids[i]),
        )
        for i, (feed, started, result) in enumerate(polls)
    ]
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
                    LOGGER.warning(
                        "writing %s polls together failed (%s); writing them one by one",
                        len(polls),
                        type(getattr(exc, "orig", None) or exc).__name__,
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
