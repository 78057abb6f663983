"""Poll feeds: conditional GET, skip unchanged bodies, parse with feedparser, upsert entries.

A poll is cheap when nothing changed (304, or the same body hash as last time) and never
duplicates anything when something did: entries are keyed by (feed, GUID — or canonical link
when the GUID is missing or not unique in the body) and articles by canonical URL, both written
with ``INSERT … ON CONFLICT``. Every poll leaves one ``feed_polls`` row saying what happened, so
a broken feed is visible rather than silently empty.

Each feed has its own next poll time (:mod:`pipeline.stages.feeds.schedule`);
``poll_feeds(due_only=True)`` polls just the feeds that are due. Parsing lives in
:mod:`pipeline.stages.feeds.parsing`, writing in :mod:`pipeline.store.polls`.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, func, literal_column, select, text, update
from sqlalchemy.orm import Session

from pipeline.config import Settings
from pipeline.http.client import FetchError, HttpClient
from pipeline.models import (
    Feed,
    FeedPoll,
    PollOutcome,
)
from pipeline.stages.feeds.feedfile import FeedConfig, load_feeds
from pipeline.stages.feeds.parse_pool import ParsePool, use_processes
from pipeline.stages.feeds.parsing import ParsedEntry, ParsedFeed, parse_feed
from pipeline.stages.feeds.schedule import (
    budget_left,
)
from pipeline.store.feeds import sync_feeds
from pipeline.store.poll_batch import PendingPoll, record_batch
from pipeline.store.polls import (
    PollResult,
    _Outcome,
    _record_isolated,
    poll_bounds,
)

LOGGER = logging.getLogger(__name__)

__all__ = [
    "ParsedEntry",
    "ParsedFeed",
    "PollResult",
    "PollSummary",
    "claim_due_feeds",
    "parse_feed",
    "poll_bounds",
    "poll_feed",
    "poll_feeds",
    "sync_feeds",
]


@dataclass(frozen=True)
class PollSummary:
    """All polls of one run; plain values so Airflow XCom can carry ``asdict`` of it."""

    feeds_polled: int = 0
    feeds_ok: int = 0
    feeds_partial: int = 0
    feeds_unchanged: int = 0
    feeds_failed: int = 0
    entries_seen: int = 0
    entries_new: int = 0
    articles_new: int = 0
    new_article_ids: list[int] = field(default_factory=list)
    results: list[PollResult] = field(default_factory=list)


WRITE_BATCH = 25
"""Polls written per transaction by a batching writer."""
WRITERS = 3
"""Batching writers at once: storing is round trips, so a few in parallel keep up with parsing
on every core; more would mostly add lock waits between batches sharing articles."""


async def _fetch_and_parse(
    client: HttpClient, settings: Settings, feed: Feed, parser: ParsePool | None = None
) -> _Outcome:
    try:
        response = await client.get(
            feed.url, etag=feed.etag, last_modified=feed.last_modified, expect="feed"
        )
    except FetchError as exc:
        return _Outcome(
            PollOutcome.FAILED,
            http_status=exc.http_status,
            error=f"{exc.reason}: {exc.detail}",
            retry_after=exc.retry_after,
        )
    if response.not_modified:
        return _Outcome(PollOutcome.UNCHANGED, response, http_status=304, body_hash=feed.body_hash)
    body_hash = hashlib.sha256(response.body).hexdigest()
    if feed.body_hash == body_hash:
        return _Outcome(
            PollOutcome.UNCHANGED, response, http_status=response.status, body_hash=body_hash
        )
    # feedparser is CPU work: on worker processes it uses every core, on a thread it at least
    # keeps the event loop free for the other feeds' downloads
    content_type = response.headers.get("content-type")
    if parser is not None:
        parsed = await parser.parse(response.body, response.final_url, content_type)
    else:  # one body outside a cycle: on a thread, as the parsing pool's small batches do
        parsed = await asyncio.to_thread(
            parse_feed, response.body, response.final_url, settings, content_type=content_type
        )
    return _Outcome(
        parsed.outcome,
        response,
        parsed,
        http_status=response.status,
        error=parsed.error,
        warning=parsed.warning,
        body_hash=body_hash,
    )


async def _poll_many(
    engine: Engine,
    settings: Settings,
    feeds: list[Feed],
    *,
    parser: ParsePool,
    batch_writes: bool = True,
) -> list[PollResult]:
    """Fetch and parse every feed concurrently; write as results come in.

    With *batch_writes* a few writers (:data:`WRITERS`) each take whatever polls are ready (up
    to :data:`WRITE_BATCH`) and write them in one transaction
    (:func:`~pipeline.store.poll_batch.record_batch`): the database sees a few dozen commits, not
    hundreds, and storing competes less with itself for the GIL.
    Without, each poll is written on its own thread and transaction as it completes.
    """
    queue: asyncio.Queue[PendingPoll | None] = asyncio.Queue()
    written: dict[int, PollResult] = {}

    async def writer() -> None:
        done = False
        while not done:
            item = await queue.get()
            if item is None:
                return
            batch = [item]
            while len(batch) < WRITE_BATCH and not queue.empty():
                nxt = queue.get_nowait()
                if nxt is None:
                    done = True
                    break
                batch.append(nxt)
            for result, (feed, _, _) in zip(
                await asyncio.to_thread(record_batch, engine, settings, batch), batch, strict=True
            ):
                written[feed.id] = result

    async with HttpClient(settings) as client:

        async def one(feed: Feed) -> None:
            started = datetime.now(UTC)
            try:
                outcome = await _fetch_and_parse(client, settings, feed, parser)
            except Exception as exc:  # one broken feed must not stop the others; it is recorded
                LOGGER.exception("polling %s crashed", feed.name)
                outcome = _Outcome(
                    PollOutcome.FAILED, error=f"internal_error: {type(exc).__name__}: {exc}"
                )
            if batch_writes:
                await queue.put((feed, started, outcome))
            else:
                written[feed.id] = await asyncio.to_thread(
                    _record_isolated, engine, settings, feed, started, outcome
                )

        writing = [asyncio.create_task(writer()) for _ in range(WRITERS)]
        try:
            await asyncio.gather(*(one(feed) for feed in feeds))
        finally:
            for _ in writing:
                await queue.put(None)
            await asyncio.gather(*writing)
    return [written[feed.id] for feed in feeds]


def poll_feed(engine: Engine, settings: Settings, feed: FeedConfig) -> PollResult:
    """Poll one configured feed now (its row is created or updated from *feed* first)."""
    summary = poll_feeds(engine, settings, [feed])
    return summary.results[0]


def poll_feeds(
    engine: Engine,
    settings: Settings,
    feeds: list[FeedConfig] | None = None,
    *,
    due_only: bool = False,
    parse_pool: bool | None = None,
    batch_writes: bool = True,
) -> PollSummary:
    """Poll every enabled feed (from *feeds*, else the configured feeds file) concurrently.

    ``due_only`` polls only the feeds whose adaptive ``next_poll_at`` has come (see
    :func:`claim_due_feeds`: claimed, so concurrent dispatchers never poll one feed twice,
    and within ``NEWSWIRE_POLL_BUDGET_PER_MINUTE``), for schedulers that call this far more
    often than any feed wants to be polled.

    Bodies are parsed on worker processes (every core; see
    :mod:`pipeline.stages.feeds.parse_pool`) when there are enough feeds (*parse_pool* forces
    it on or off), and polls are written in batches (*batch_writes*; off: one transaction per
    feed, as they complete).
    """
    configs = feeds if feeds is not None else load_feeds(settings.feeds_file)
    sync_feeds(engine, configs)
    names = [f.name for f in configs if f.enabled]
    if not names:
        return PollSummary()
    if due_only:
        rows = claim_due_feeds(engine, settings, names)
    else:
        with Session(engine, expire_on_commit=False) as session:
            rows = list(
                session.scalars(select(Feed).where(Feed.name.in_(names)).order_by(Feed.name))
            )
            session.expunge_all()
    return _poll_rows(engine, settings, rows, parse_pool=parse_pool, batch_writes=batch_writes)


BUDGET_LOCK = 0x6E657770  # "newp": serialises claims so the per-minute budget holds across workers


def claim_due_feeds(
    engine: Engine, settings: Settings, names: list[str], *, now: datetime | None = None
) -> list[Feed]:
    """Claim the feeds among *names* that are due now, most overdue first, within the budget.

    Due: ``next_poll_at`` has passed, or was never set (a new feed; a feed last polled before
    adaptive polling falls back to ``poll_interval_minutes``). Claiming moves ``next_poll_at``
    a request deadline ahead (a lease: the poll's own record then sets the real next time; a
    crashed poller's feeds come due again by themselves), under an advisory lock so that two
    dispatchers neither claim the same feed nor together exceed the budget, which counts the
    polls started in the last minute.
    """
    now = now or datetime.now(UTC)
    lease = timedelta(seconds=max(settings.request_deadline * (settings.retries + 1), 60.0))
    fallback = Feed.last_polled_at + func.make_interval(0, 0, 0, 0, 0, Feed.poll_interval_minutes)
    due_at = func.coalesce(Feed.next_poll_at, fallback, literal_column("'-infinity'::timestamptz"))
    with Session(engine, expire_on_commit=False) as session, session.begin():
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": BUDGET_LOCK})
        limit = None
        if settings.poll_budget_per_minute > 0:
            recent = session.scalar(
                select(func.count())
                .select_from(FeedPoll)
                .where(
                    FeedPoll.started_at > now - timedelta(minutes=1),
                    FeedPoll.kind == "poll",  # pushes cost the publisher nothing
                )
            )
            limit = budget_left(settings.poll_budget_per_minute, int(recent or 0))
            if limit == 0:
                LOGGER.info("poll budget of %s/min used up", settings.poll_budget_per_minute)
                return []
        stmt = (
            select(Feed)
            .where(Feed.name.in_(names), due_at <= now)
            .order_by(due_at, Feed.name)
            .with_for_update(skip_locked=True)
        )
        if limit is not None:
            stmt = stmt.limit(limit)
        rows = list(session.scalars(stmt))
        if rows:
            session.execute(
                update(Feed)
                .where(Feed.id.in_([f.id for f in rows]))
                .values(next_poll_at=now + lease)
            )
        session.expunge_all()
    return sorted(rows, key=lambda f: f.name)


def _poll_rows(
    engine: Engine,
    settings: Settings,
    rows: list[Feed],
    *,
    parse_pool: bool | None = None,
    batch_writes: bool = True,
) -> PollSummary:
    if not rows:
        return PollSummary()
    started = time.monotonic()
    if parse_pool is None:
        parse_pool = use_processes(settings, len(rows))
    with ParsePool(settings, processes=parse_pool) as parser:
        results = asyncio.run(
            _poll_many(engine, settings, rows, parser=parser, batch_writes=batch_writes)
        )
    counts = Counter(r.outcome for r in results)
    new_ids = sorted({i for r in results for i in r.new_article_ids})
    summary = PollSummary(
        feeds_polled=len(results),
        feeds_ok=counts[PollOutcome.OK.value],
        feeds_partial=counts[PollOutcome.PARTIAL.value],
        feeds_unchanged=counts[PollOutcome.UNCHANGED.value],
        feeds_failed=counts[PollOutcome.FAILED.value],
        entries_seen=sum(r.entries_seen for r in results),
        entries_new=sum(r.entries_new for r in results),
        articles_new=len(new_ids),
        new_article_ids=new_ids,
        results=results,
    )
    LOGGER.info(
        "polled %s feeds in %.1fs: ok=%s partial=%s unchanged=%s failed=%s new_articles=%s",
        summary.feeds_polled,
        time.monotonic() - started,
        summary.feeds_ok,
        summary.feeds_partial,
        summary.feeds_unchanged,
        summary.feeds_failed,
        summary.articles_new,
    )
    return summary
