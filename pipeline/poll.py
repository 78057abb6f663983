"""Poll feeds: conditional GET, skip unchanged bodies, parse with feedparser, upsert entries.

A poll is cheap when nothing changed (304, or the same body hash as last time) and never
duplicates anything when something did: entries are keyed by (feed, GUID — or canonical link
when the GUID is missing or not unique in the body) and articles by canonical URL, both written
with ``INSERT … ON CONFLICT``. Every poll leaves one ``feed_polls`` row saying what happened, so
a broken feed is visible rather than silently empty.
"""

from __future__ import annotations

import asyncio
import calendar
import hashlib
import logging
import re
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar
from urllib.parse import urljoin

import feedparser
from psycopg.errors import DeadlockDetected, SerializationFailure
from sqlalchemy import Connection, Engine, func, literal_column, select, text, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from pipeline.config import Settings
from pipeline.db import is_connection_loss
from pipeline.feeds import FeedConfig, load_feeds, sync_feeds
from pipeline.http import FetchError, FetchResponse, HttpClient, is_html_body
from pipeline.models import (
    Article,
    ArticleStatus,
    FailureReason,
    Feed,
    FeedEntry,
    FeedPoll,
    PollOutcome,
)
from pipeline.polling import (
    PollBounds,
    Schedule,
    budget_left,
    cache_max_age,
    feed_hint_seconds,
    next_schedule,
)
from pipeline.sanitize import MAX_KEY_BYTES, clean_text, clean_value, fits_key
from pipeline.urls import InvalidURLError, canonicalize_url

LOGGER = logging.getLogger(__name__)

__all__ = [
    "PollResult",
    "PollSummary",
    "claim_due_feeds",
    "parse_feed",
    "poll_feed",
    "poll_feeds",
    "retry_on_deadlock",
    "sync_feeds",
]

_MAX_TEXT = 20_000  # feed titles/summaries longer than this are junk, not metadata


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


@dataclass(frozen=True)
class ParsedEntry:
    """One usable feed entry, with its link resolved and canonicalised."""

    key: str
    guid: str | None
    link: str
    canonical_url: str
    title: str | None
    summary: str | None
    authors: list[str]
    published_at: datetime | None


@dataclass(frozen=True)
class ParsedFeed:
    """What feedparser made of a body: entries, or why there are none."""

    outcome: PollOutcome
    entries: list[ParsedEntry]
    feed_format: str | None
    error: str | None = None
    warning: str | None = None
    hint_seconds: float | None = None
    """The shortest poll interval the body asks for (``<ttl>``, ``sy:updatePeriod``)."""


# -- pure parsing ----------------------------------------------------------------------------


def _clip(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    value = clean_text(value).strip()
    return value[:_MAX_TEXT] or None


def _entry_key(guid: str | None) -> str | None:
    """A GUID usable as an indexed key: long ones are keyed by their hash."""
    if guid is None or fits_key(guid):
        return guid
    return "sha256:" + hashlib.sha256(guid.encode("utf-8", "replace")).hexdigest()


_NEGATIVE_YEAR = re.compile(r"^\s*[-\u2212]\d")
_FOUR_DIGITS = re.compile(r"(?<!\d)\d{4}(?!\d)")


def _year_matches(raw: Any, year: int) -> bool:
    """Whether the parsed *year* is the one the feed wrote.

    feedparser turns what it cannot read into a date anyway: the ISO year ``-0001`` (a common
    "no date" placeholder) becomes 1 January 2000. A negative year, or a text whose four-digit
    numbers do not include the parsed year, is not a date.
    """
    if not isinstance(raw, str):
        return True
    if _NEGATIVE_YEAR.match(raw):
        return False
    years = _FOUR_DIGITS.findall(raw)
    return not years or str(year) in years


def _entry_date(entry: Any, now: datetime, settings: Settings) -> datetime | None:
    """The entry's date if it is plausible; placeholders, garbage and absurd dates give None."""
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        # plain dict access: FeedParserDict aliases updated→published with a DeprecationWarning
        parsed = dict.get(entry, key)
        if not parsed:
            continue
        if not _year_matches(dict.get(entry, key.removesuffix("_parsed")), parsed.tm_year):
            continue
        try:
            value = datetime.fromtimestamp(calendar.timegm(parsed), tz=UTC)
        except (OverflowError, ValueError, TypeError, OSError):
            continue
        if value.year < settings.min_year:
            continue
        if value > now + timedelta(hours=settings.max_date_skew_hours):
            continue
        return value
    return None


_EMAIL_NAME = re.compile(r"^\S+@\S+\s*\((?P<name>[^)]+)\)$")


def _entry_authors(entry: Any) -> list[str]:
    """Author names; RSS's ``email (Name)`` form becomes the name (feedparser mangles it)."""
    raw = entry.get("authors") or []
    names = [_clip(a.get("name")) for a in raw if isinstance(a, dict)]
    single = _clip(entry.get("author"))
    if len(raw) <= 1 and single:
        match = _EMAIL_NAME.match(single)
        names = [match.group("name").strip() if match else single]
    return list(dict.fromkeys(n for n in names if n))


def _entry_link(entry: Any) -> str | None:
    link = _clip(entry.get("link"))
    if link:
        return link
    for item in entry.get("links") or []:
        if (
            isinstance(item, dict)
            and item.get("href")
            and item.get("rel", "alternate")
            in (
                "alternate",
                None,
            )
        ):
            return str(item["href"]).strip()
    guid = _clip(entry.get("id"))
    if guid and guid.lower().startswith(("http://", "https://")):
        return guid
    return None


def parse_feed(
    body: bytes,
    feed_url: str,
    settings: Settings,
    *,
    content_type: str | None = None,
    now: datetime | None = None,
) -> ParsedFeed:
    """Parse feed *body* (bytes, so feedparser sees the real encoding) into usable entries.

    Relative links are resolved against *feed_url*; an HTML page or a non-feed XML document is a
    failure with a clear error; a malformed ("bozo") feed keeps what could be recovered.
    """
    now = now or datetime.now(UTC)
    headers = {"content-location": feed_url}
    if content_type:
        headers["content-type"] = content_type
    parsed = feedparser.parse(body, response_headers=headers, sanitize_html=False)
    version = parsed.get("version") or None
    bozo = parsed.get("bozo_exception") if parsed.get("bozo") else None
    warning = f"{type(bozo).__name__}: {bozo}" if bozo is not None else None
    if isinstance(bozo, feedparser.NonXMLContentType):
        bozo = None  # a feed served as text/plain or without a type parses fine: note it only
    raw_entries = list(parsed.get("entries") or [])
    channel = parsed.get("feed") or {}
    hint = feed_hint_seconds(
        channel.get("ttl"), channel.get("sy_updateperiod"), channel.get("sy_updatefrequency")
    )
    if not raw_entries:
        if not body.strip():
            return ParsedFeed(PollOutcome.FAILED, [], version, error="empty response body")
        if is_html_body(body) or (content_type or "").startswith("text/html"):
            return ParsedFeed(
                PollOutcome.FAILED,
                [],
                version,
                error="HTML page served where a feed was expected",
                warning=warning,
            )
        if not version:
            return ParsedFeed(
                PollOutcome.FAILED,
                [],
                None,
                error="not an RSS/Atom feed" + (f" ({warning})" if warning else ""),
                warning=warning,
            )
        if bozo is not None:
            return ParsedFeed(
                PollOutcome.FAILED, [], version, error=f"malformed feed, no entries: {warning}"
            )
        return ParsedFeed(PollOutcome.OK, [], version, hint_seconds=hint)

    candidates: list[tuple[str | None, str, str, Any]] = []
    skipped = too_long = 0
    for entry in raw_entries:
        link = _entry_link(entry)
        if not link:
            skipped += 1
            continue
        link = clean_text(link)
        try:
            canonical = canonicalize_url(link, base=feed_url)
        except InvalidURLError:
            skipped += 1
            continue
        absolute = urljoin(feed_url, link)
        if not (fits_key(canonical) and fits_key(absolute)):
            too_long += 1  # an index entry this long is refused by PostgreSQL: note, not crash
            continue
        candidates.append((_clip(entry.get("id")), absolute, canonical, entry))

    # A GUID shared by several different links in one body is not an identifier (some feeds
    # repeat the channel link as every item's guid): key those entries by their link instead.
    guid_links: dict[str, set[str]] = {}
    for guid, _, canonical, _ in candidates:
        if guid:
            guid_links.setdefault(guid, set()).add(canonical)
    entries: dict[str, ParsedEntry] = {}
    for guid, link, canonical, entry in candidates:
        usable_guid = guid if guid and len(guid_links[guid]) == 1 else None
        key = _entry_key(usable_guid) or canonical
        if key in entries:
            continue  # a repeated item: the first one wins
        entries[key] = ParsedEntry(
            key=key,
            guid=guid,
            link=link,
            canonical_url=canonical,
            title=_clip(entry.get("title")),
            summary=_clip(entry.get("summary")),
            authors=_entry_authors(entry),
            published_at=_entry_date(entry, now, settings),
        )
    notes = (
        warning,
        f"{skipped} entries without a usable link" if skipped else None,
        f"{too_long} entries with a link over {MAX_KEY_BYTES} bytes refused" if too_long else None,
    )
    note = "; ".join(n for n in notes if n) or None
    if not entries:
        return ParsedFeed(PollOutcome.FAILED, [], version, error=note or "no usable entries")
    # entries without links are the feed's business (noted); malformed XML makes it partial
    outcome = PollOutcome.PARTIAL if bozo is not None else PollOutcome.OK
    return ParsedFeed(outcome, list(entries.values()), version, warning=note, hint_seconds=hint)


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
    )
    return schedule, hint


_T = TypeVar("_T")
_DEADLOCK_RETRIES = 3


def retry_on_deadlock(work: Callable[[], _T], what: str) -> _T:
    """Run a transaction, retrying it when PostgreSQL picks it as a deadlock victim.

    Pollers and fetchers touch the same article rows in different orders (by URL, by id);
    rare cycles are resolved by PostgreSQL aborting one side, which then simply runs again.
    """
    for attempt in range(1, _DEADLOCK_RETRIES + 1):
        try:
            return work()
        except OperationalError as exc:
            retryable = isinstance(exc.orig, DeadlockDetected | SerializationFailure)
            if not retryable or attempt == _DEADLOCK_RETRIES:
                raise
            LOGGER.warning("%s: %s, retrying (attempt %s)", what, type(exc.orig).__name__, attempt)
            time.sleep(0.05 * attempt)
    raise AssertionError("unreachable")  # pragma: no cover


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
    entries_new, new_ids = 0, list[int]()
    response, parsed, outcome = result.response, result.parsed, result.outcome
    with engine.begin() as conn:
        if parsed is not None and parsed.entries and outcome is not PollOutcome.FAILED:
            entries_new, new_ids = _store_entries(conn, feed.id, feed.outlet, parsed.entries)
        now = datetime.now(UTC)
        schedule, hint = _schedule(settings, feed, result, entries_new, now)
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
            if response is not None and not response.not_modified:
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


async def _fetch_and_parse(client: HttpClient, settings: Settings, feed: Feed) -> _Outcome:
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
    # feedparser is CPU work; keep the event loop free for the other feeds' downloads
    parsed = await asyncio.to_thread(
        parse_feed,
        response.body,
        response.final_url,
        settings,
        content_type=response.headers.get("content-type"),
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


async def _poll_many(engine: Engine, settings: Settings, feeds: list[Feed]) -> list[PollResult]:
    async with HttpClient(settings) as client:

        async def one(feed: Feed) -> PollResult:
            started = datetime.now(UTC)
            try:
                outcome = await _fetch_and_parse(client, settings, feed)
            except Exception as exc:  # one broken feed must not stop the others; it is recorded
                LOGGER.exception("polling %s crashed", feed.name)
                outcome = _Outcome(
                    PollOutcome.FAILED, error=f"internal_error: {type(exc).__name__}: {exc}"
                )
            return await asyncio.to_thread(
                _record_isolated, engine, settings, feed, started, outcome
            )

        return list(await asyncio.gather(*(one(feed) for feed in feeds)))


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
        LOGGER.exception("storing the poll of %s failed; recording the failure", feed.name)
        orig = getattr(exc, "orig", None) or exc
        detail = (str(orig).strip().splitlines() or [type(orig).__name__])[0][:500]
        failed = _Outcome(
            PollOutcome.FAILED,
            http_status=result.http_status,
            error=f"{FailureReason.STORAGE_ERROR.value}: {type(orig).__name__}: {detail}",
            warning=result.error or result.warning,
        )
        return _record(engine, settings, feed, started, failed)


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
) -> PollSummary:
    """Poll every enabled feed (from *feeds*, else the configured feeds file) concurrently.

    ``due_only`` polls only the feeds whose adaptive ``next_poll_at`` has come (see
    :func:`claim_due_feeds`: claimed, so concurrent dispatchers never poll one feed twice,
    and within ``NEWSWIRE_POLL_BUDGET_PER_MINUTE``), for schedulers that call this far more
    often than any feed wants to be polled.
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
    return _poll_rows(engine, settings, rows)


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
                .where(FeedPoll.started_at > now - timedelta(minutes=1))
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


def _poll_rows(engine: Engine, settings: Settings, rows: list[Feed]) -> PollSummary:
    if not rows:
        return PollSummary()
    started = time.monotonic()
    results = asyncio.run(_poll_many(engine, settings, rows))
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
