"""Fetch pending articles politely, extract them in a process pool, store pages and results.

Throughput comes from overlap: downloads run concurrently on one event loop (politeness enforced by
:mod:`pipeline.http`), each body goes to a :class:`~concurrent.futures.ProcessPoolExecutor` running
:func:`~pipeline.stages.extract.page.extract_page` as soon as it arrives (extraction is CPU-bound,
so it uses every core), and results are written in batches by a background thread. No stage waits
for another to finish a whole batch.

Work is *claimed* before it is fetched: a short transaction marks a batch with a lease
(``claimed_until``) using ``SELECT … FOR UPDATE SKIP LOCKED``, so two workers (two Airflow tasks,
or a CLI run beside a DAG) never fetch the same article, and a crashed worker's lease simply
expires. Every failure is stored on the article with its class; transient ones (timeouts, 5xx,
429, unreachable robots.txt) get ``next_attempt_at`` with exponential spacing across runs until
``max_fetch_attempts``.

Raw pages are kept gzip-compressed, one row per distinct body, so :func:`extract_pending` can
re-extract any range later without the network (after an extractor upgrade, say).
"""

from __future__ import annotations

import asyncio
import ctypes
import functools
import gzip
import hashlib
import itertools
import logging
import multiprocessing
import os
import signal
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import Connection, Engine, bindparam, text, update
from sqlalchemy.dialects.postgresql import insert

from pipeline.config import Settings
from pipeline.db import is_connection_loss
from pipeline.http.client import FetchError, FetchResponse, HttpClient, gzip_body
from pipeline.models import Article, ArticleStatus, FailureReason, RawPage
from pipeline.sanitize import clean_value
from pipeline.stages.extract.page import EXTRACTOR_VERSION, Extraction, FeedMeta, extract_page
from pipeline.store.leases import lease_owner, lease_seconds, reclaim_dead, release
from pipeline.store.retry import retry_on_deadlock

LOGGER = logging.getLogger(__name__)

__all__ = [
    "ExtractSummary",
    "FetchSummary",
    "ProgressCallback",
    "extract_pending",
    "fetch_pending",
]

ProgressCallback = Callable[[int, int], None]
"""Called as ``progress(done, total)`` after each article is settled."""

RETRY_BASE = timedelta(minutes=15)
RETRY_MAX = timedelta(hours=24)
WRITE_BATCH = 50  # rows per write transaction: few round trips, small transactions


@dataclass(frozen=True)
class FetchSummary:
    """What one fetch run did; plain values so Airflow XCom can carry ``asdict`` of it."""

    claimed: int = 0
    fetched: int = 0
    extracted: int = 0
    failed: int = 0
    failed_by_reason: dict[str, int] = field(default_factory=dict)
    retry_scheduled: int = 0
    extracted_ids: list[int] = field(default_factory=list)
    seconds: float = 0.0
    reclaimed: int = 0  # leases of dead owners freed before claiming
    lease_lost: int = 0  # settled articles not written: another worker had reclaimed them


@dataclass(frozen=True)
class ExtractSummary:
    """What one re-extraction run did."""

    selected: int = 0
    extracted: int = 0
    failed: int = 0
    failed_by_reason: dict[str, int] = field(default_factory=dict)
    extracted_ids: list[int] = field(default_factory=list)
    seconds: float = 0.0


@dataclass(frozen=True)
class _Claimed:
    id: int
    url: str
    attempts: int
    fallback: FeedMeta


# -- the process pool ------------------------------------------------------------------------


def _worker_count(settings: Settings) -> int:
    return settings.workers or os.cpu_count() or 1


_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def _die_with_parent(parent: int) -> None:
    """Worker initializer: ask the kernel to SIGKILL this worker when its parent dies.

    Without it, ``kill -9`` of a run (or an OOM kill) leaves every extraction worker alive,
    each holding a few hundred MB, waiting forever on a queue nobody writes to.
    """
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):  # pragma: no cover - no prctl in this libc
            LOGGER.warning("cannot set PR_SET_PDEATHSIG; workers may outlive a killed run")
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


def make_pool(settings: Settings) -> ProcessPoolExecutor:
    """A pool for extraction; on Linux workers are forked and inherit the loaded extractor.

    Workers die with the process that started them (see :func:`_die_with_parent`); they are all
    forked here, from the main thread, since PR_SET_PDEATHSIG follows the forking thread.
    """
    context = (
        multiprocessing.get_context("fork")
        if sys.platform.startswith("linux")
        else multiprocessing.get_context()
    )
    pool = ProcessPoolExecutor(
        max_workers=_worker_count(settings),
        mp_context=context,
        initializer=_die_with_parent,
        initargs=(os.getpid(),),
    )
    # With fork, the first submit starts every worker: do it now, before the event loop starts
    # threads, so children are forked from a quiet process that has trafilatura loaded.
    pool.submit(int).result()
    return pool


def _extract_stored(
    body_gzip: bytes,
    url: str,
    *,
    fallback: FeedMeta,
    now: datetime,
    max_skew_hours: float,
    min_year: int,
    content_type: str | None,
) -> Extraction:
    """Decompress a stored page and extract it (runs in a worker, so gunzip uses its core)."""
    return extract_page(
        gzip.decompress(body_gzip),
        url,
        fallback=fallback,
        now=now,
        max_skew_hours=max_skew_hours,
        min_year=min_year,
        content_type=content_type,
    )


@dataclass(frozen=True)
class _Packed:
    """A fetched body after the worker is done with it: stored form plus extraction."""

    extraction: Extraction
    sha256: str
    body_gzip: bytes


def _pack(body: bytes) -> tuple[str, bytes]:
    return hashlib.sha256(body).hexdigest(), gzip_body(body)


def _extract_fetched(
    body: bytes,
    url: str,
    *,
    fallback: FeedMeta,
    now: datetime,
    max_skew_hours: float,
    min_year: int,
    content_type: str | None,
    compress: bool = True,
) -> _Packed:
    """Extract a fresh page and prepare its stored form (runs in a worker).

    Hashing and compressing here rather than in the fetching process keeps that process (event
    loop, HTTP, database writes) light, so it never starves the extraction workers of bodies.
    """
    extraction = extract_page(
        body,
        url,
        fallback=fallback,
        now=now,
        max_skew_hours=max_skew_hours,
        min_year=min_year,
        content_type=content_type,
    )
    if not compress:  # the server's gzip bytes are stored instead
        return _Packed(extraction, hashlib.sha256(body).hexdigest(), b"")
    sha, packed = _pack(body)
    return _Packed(extraction, sha, packed)


def _crashed(exc: BaseException) -> Extraction:
    return Extraction(
        ok=False, failure=FailureReason.INTERNAL, detail=f"{type(exc).__name__}: {exc}"
    )


# -- claiming --------------------------------------------------------------------------------


def _eligible_sql(article_ids: Sequence[int] | None) -> str:
    where = (
        "(status = 'pending' OR (status = 'failed' AND next_attempt_at IS NOT NULL"
        " AND next_attempt_at <= now())) AND (claimed_until IS NULL OR claimed_until < now())"
    )
    if article_ids is not None:
        where += " AND id = ANY(:ids)"
    return where


def count_pending(engine: Engine, article_ids: Sequence[int] | None = None) -> int:
    """Articles a fetch run would claim now."""
    with engine.connect() as conn:
        return int(
            conn.scalar(
                text(f"SELECT count(*) FROM articles WHERE {_eligible_sql(article_ids)}"),
                {"ids": list(article_ids or [])},
            )
            or 0
        )


def _claim(
    engine: Engine, n: int, article_ids: Sequence[int] | None, owner: str, lease: float
) -> list[_Claimed]:
    sql = text(
        "WITH picked AS ("
        f" SELECT id FROM articles WHERE {_eligible_sql(article_ids)}"
        " ORDER BY id LIMIT :n FOR UPDATE SKIP LOCKED)"
        " UPDATE articles a SET claimed_until = now() + make_interval(secs => :lease),"
        " claimed_by = :owner, attempts = a.attempts + 1"
        " FROM picked WHERE a.id = picked.id"
        " RETURNING a.id, a.url, a.attempts, a.feed_title, a.feed_authors,"
        " a.feed_published_at, a.feed_summary"
    )
    with engine.begin() as conn:
        rows = conn.execute(
            sql, {"n": n, "lease": lease, "owner": owner, "ids": list(article_ids or [])}
        ).all()
    return [
        _Claimed(
            id=row.id,
            url=row.url,
            attempts=row.attempts,
            fallback=FeedMeta(
                title=row.feed_title,
                authors=list(row.feed_authors or []),
                published=row.feed_published_at,
                summary=row.feed_summary,
            ),
        )
        for row in sorted(rows, key=lambda r: r.id)
    ]


# -- writing ---------------------------------------------------------------------------------


def _extraction_values(result: Extraction, now: datetime) -> dict[str, Any]:
    """Article columns for an extraction result (success or classified failure)."""
    ok = result.ok
    return {
        "status": ArticleStatus.EXTRACTED.value if ok else ArticleStatus.FAILED.value,
        "failure_reason": None if ok or result.failure is None else result.failure.value,
        "failure_detail": None if ok else result.detail,
        "title": result.title,
        "authors": result.authors or None,
        "published_at": result.published_at,
        "date_source": result.date_source,
        "language": result.language,
        "sitename": result.sitename,
        "description": result.description,
        "text": result.text if ok else None,
        "text_hash": result.text_hash if ok else None,
        "word_count": result.word_count if ok else None,
        "extractor_version": result.extractor_version,
        "wall_marker": result.wall_marker,
        "extracted_at": now,
        "next_attempt_at": None,
    }


def _retry_at(settings: Settings, attempts: int, now: datetime) -> datetime | None:
    if attempts >= settings.max_fetch_attempts:
        return None
    delay: timedelta = min(RETRY_BASE * (2 ** max(attempts - 1, 0)), RETRY_MAX)
    return now + delay


@dataclass
class _Writer:
    """Buffers settled articles and writes them in batches, one transaction per batch."""

    engine: Engine
    settings: Settings
    owner: str | None = None  # the lease owner: rows are written only while it holds them
    lease_lost: int = 0
    pages: list[dict[str, Any]] = field(default_factory=list)
    results: list[dict[str, Any]] = field(default_factory=list)
    failures: list[dict[str, Any]] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)
    extracted_ids: list[int] = field(default_factory=list)
    retry_scheduled: int = 0

    def add_failure(self, item: _Claimed, exc: FetchError) -> None:
        now = datetime.now(UTC)
        retry = _retry_at(self.settings, item.attempts, now) if exc.retryable else None
        self.retry_scheduled += retry is not None
        self.counts[f"failed:{exc.reason.value}"] += 1
        self.failures.append(
            {
                "b_id": item.id,
                "status": ArticleStatus.FAILED.value,
                "failure_reason": exc.reason.value,
                "failure_detail": exc.detail[:2000],
                "http_status": exc.http_status,
                "next_attempt_at": retry,
                "claimed_until": None,
                "claimed_by": None,
            }
        )

    def add_page(
        self,
        item: _Claimed,
        response: FetchResponse,
        packed: _Packed | None,
        fetched_at: datetime,
    ) -> None:
        body = response.body
        sha, body_gzip = (packed.sha256, packed.body_gzip) if packed else _pack(body)
        if response.raw_gzip is not None:
            body_gzip = response.raw_gzip
        result = packed.extraction if packed else None
        self.counts["fetched"] += 1
        self.pages.append(
            {
                "article_id": item.id,
                "fetched_at": fetched_at,
                "requested_url": response.requested_url,
                "final_url": response.final_url,
                "redirects": list(response.redirects),
                "http_status": response.status,
                "content_type": response.headers.get("content-type"),
                "encoding": response.encoding,
                "etag": response.etag,
                "last_modified": response.last_modified,
                "body_sha256": sha,
                "body_bytes": len(body),
                "body_gzip": body_gzip,
            }
        )
        values: dict[str, Any] = {
            "b_id": item.id,
            "http_status": response.status,
            "final_url": response.final_url,
            "fetched_at": fetched_at,
            "claimed_until": None,
            "claimed_by": None,
        }
        if result is None:  # the pool died: keep the page, extract_pending will finish it
            self.counts["unextracted"] += 1
            values.update(
                status=ArticleStatus.FETCHED.value,
                failure_reason=None,
                failure_detail="extraction did not complete; `newswire extract-pending` retries",
                next_attempt_at=None,
            )
        else:
            values.update(_extraction_values(result, fetched_at))
            self._count(item.id, result)
        self.results.append(values)

    def add_extraction(self, article_id: int, result: Extraction) -> None:
        values = {"b_id": article_id, **_extraction_values(result, datetime.now(UTC))}
        self._count(article_id, result)
        self.results.append(values)

    def _count(self, article_id: int, result: Extraction) -> None:
        if result.ok:
            self.counts["extracted"] += 1
            self.extracted_ids.append(article_id)
        else:
            reason = result.failure.value if result.failure else FailureReason.INTERNAL.value
            self.counts[f"failed:{reason}"] += 1

    def pending(self) -> int:
        return len(self.results) + len(self.failures)

    def flush(self) -> None:
        pages, results, failures = self.pages, self.results, self.failures
        self.pages, self.results, self.failures = [], [], []
        if not (pages or results or failures):
            return
        pages, results, failures = clean_value(pages), clean_value(results), clean_value(failures)
        try:
            retry_on_deadlock(
                lambda: self._write(pages, results, failures), f"writing {len(results)} pages"
            )
            return
        except Exception as exc:
            if is_connection_loss(exc):
                raise
            LOGGER.warning("batch write failed (%s); writing its articles one by one", exc)
        # one bad row must not lose the batch: each article on its own, failures recorded
        for is_result, row in [(True, r) for r in results] + [(False, r) for r in failures]:
            own = [p for p in pages if p["article_id"] == row["b_id"]]
            work = functools.partial(
                self._write, own, [row] if is_result else [], [] if is_result else [row]
            )
            try:
                retry_on_deadlock(work, f"writing article {row['b_id']}")
            except Exception as row_exc:
                if is_connection_loss(row_exc):
                    raise
                self._store_failure(row["b_id"], row_exc)

    def _store_failure(self, article_id: int, exc: BaseException) -> None:
        """Record that the database refused an article's row (``storage_error``), lease freed."""
        orig = getattr(exc, "orig", None) or exc
        detail = (str(orig).strip().splitlines() or [type(orig).__name__])[0][:500]
        LOGGER.error("article %s could not be stored: %s", article_id, detail)
        self.counts[f"failed:{FailureReason.STORAGE_ERROR.value}"] += 1
        stored = {
            "b_id": article_id,
            "status": ArticleStatus.FAILED.value,
            "failure_reason": FailureReason.STORAGE_ERROR.value,
            "failure_detail": clean_value(f"{type(orig).__name__}: {detail}"),
            "next_attempt_at": None,
            "claimed_until": None,
            "claimed_by": None,
        }
        work = functools.partial(self._write, [], [], [stored])
        retry_on_deadlock(work, f"recording the storage failure of article {article_id}")

    def _held(self, conn: Connection, ids: list[int]) -> set[int]:
        """The ids among *ids* this writer's owner still holds, row-locked until commit."""
        if self.owner is None:  # re-extraction: no lease involved
            return set(ids)
        held = set(
            conn.scalars(
                text(
                    "SELECT id FROM articles WHERE id = ANY(:ids) AND claimed_by = :owner"
                    " ORDER BY id FOR UPDATE"
                ),
                {"ids": ids, "owner": self.owner},
            )
        )
        lost = len(set(ids) - held)
        if lost:
            self.lease_lost += lost
            LOGGER.warning(
                "%s articles were reclaimed by another worker (lease lost); not writing them",
                lost,
            )
        return held

    def _write(
        self,
        pages: list[dict[str, Any]],
        results: list[dict[str, Any]],
        failures: list[dict[str, Any]],
    ) -> None:
        with self.engine.begin() as conn:
            held = self._held(conn, sorted({r["b_id"] for r in results + failures}))
            pages = [p for p in pages if p["article_id"] in held]
            results = [r for r in results if r["b_id"] in held]
            failures = [r for r in failures if r["b_id"] in held]
            if pages:
                # executemany: one cached statement that SQLAlchemy batches into multi-row
                # VALUES ("insertmanyvalues"); .values(rows) would compile a new statement
                # with a bind parameter per cell at every flush
                conn.execute(
                    insert(RawPage).on_conflict_do_nothing(
                        index_elements=["article_id", "body_sha256"]
                    ),
                    sorted(pages, key=lambda p: p["article_id"]),
                )
            for rows in _by_keys(results) + _by_keys(failures):
                columns: dict[str, Any] = {k: bindparam(k) for k in rows[0] if k != "b_id"}
                conn.execute(
                    update(Article)
                    .where(Article.id == bindparam("b_id"))
                    .values(**columns, updated_at=datetime.now(UTC)),
                    sorted(rows, key=lambda r: r["b_id"]),
                )

    def summary_counts(self) -> tuple[int, int, dict[str, int]]:
        failed = {k.split(":", 1)[1]: v for k, v in self.counts.items() if k.startswith("failed:")}
        return self.counts["fetched"], self.counts["extracted"], dict(sorted(failed.items()))


def _by_keys(rows: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Group rows by their column set (an executemany needs one shape)."""
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault(tuple(sorted(row)), []).append(row)
    return list(groups.values())


# -- fetching --------------------------------------------------------------------------------


async def _fetch_all(
    engine: Engine,
    settings: Settings,
    pool: Executor,
    writer: _Writer,
    on_done: Callable[[], None],
    *,
    limit: int | None,
    article_ids: Sequence[int] | None,
    owner: str,
) -> int:
    """Claim and fetch batch after batch with one client (robots.txt and host timing are
    remembered across batches); return how many articles were claimed."""
    claimed_total = 0
    async with HttpClient(settings) as client:
        while limit is None or claimed_total < limit:
            size = settings.fetch_batch_size
            if limit is not None:
                size = min(size, limit - claimed_total)
            lease = lease_seconds(settings, size)
            claimed = await asyncio.to_thread(_claim, engine, size, article_ids, owner, lease)
            if not claimed:
                break
            claimed_total += len(claimed)
            await _fetch_batch(client, claimed, settings, pool, writer, on_done=on_done)
    return claimed_total


def _interleave_hosts(items: list[_Claimed]) -> list[_Claimed]:
    """Round-robin over hosts, so the in-flight window never fills with one slow host's pages
    while other hosts' pages wait behind them."""
    by_host: dict[str, list[_Claimed]] = {}
    for item in items:
        by_host.setdefault(urlsplit(item.url).netloc.lower(), []).append(item)
    rounds = itertools.zip_longest(*by_host.values())
    return [item for round_ in rounds for item in round_ if item is not None]


async def _fetch_batch(
    client: HttpClient,
    claimed: list[_Claimed],
    settings: Settings,
    pool: Executor,
    writer: _Writer,
    *,
    on_done: Callable[[], None],
) -> None:
    loop = asyncio.get_running_loop()
    write_lock = asyncio.Lock()

    async def maybe_flush(force: bool = False) -> None:
        if force or writer.pending() >= WRITE_BATCH:
            async with write_lock:
                await asyncio.to_thread(writer.flush)

    # Back-pressure: at most this many articles between "request sent" and "result buffered",
    # so bodies waiting for a busy pool never pile up in memory; still enough to keep every
    # worker fed and the global connection budget used.
    in_flight = asyncio.Semaphore(max(settings.global_concurrency, 4 * _worker_count(settings)))

    async def one(item: _Claimed) -> None:
        async with in_flight:
            await settle(item)
        on_done()
        await maybe_flush()

    async def settle(item: _Claimed) -> None:
        fetched_at = datetime.now(UTC)
        try:
            response = await client.get(item.url, expect="html")
        except FetchError as exc:
            writer.add_failure(item, exc)
        except Exception as exc:  # one article's surprise must not abort the batch
            LOGGER.exception("fetching article %s crashed", item.id)
            writer.add_failure(
                item, FetchError(FailureReason.INTERNAL, f"{type(exc).__name__}: {exc}")
            )
        else:
            job = functools.partial(
                _extract_fetched,
                response.body,
                response.final_url,
                fallback=item.fallback,
                now=fetched_at,
                max_skew_hours=settings.max_date_skew_hours,
                min_year=settings.min_year,
                content_type=response.headers.get("content-type"),
                compress=response.raw_gzip is None,
            )
            packed: _Packed | None
            try:
                packed = await loop.run_in_executor(pool, job)
            except Exception as exc:  # a dead worker: keep the page for extract_pending
                LOGGER.error("extraction of article %s failed in the pool: %s", item.id, exc)
                packed = None
            writer.add_page(item, response, packed, fetched_at)

    await asyncio.gather(*(one(item) for item in _interleave_hosts(claimed)))
    await maybe_flush(force=True)


def fetch_pending(
    engine: Engine,
    settings: Settings,
    *,
    article_ids: Sequence[int] | None = None,
    limit: int | None = None,
    progress: ProgressCallback | None = None,
) -> FetchSummary:
    """Claim, fetch, extract and store pending (and due-for-retry) articles.

    ``article_ids`` restricts the run to those articles (an Airflow task handling what its poll
    found); ``limit`` caps how many are claimed in total. Safe to run in several processes at
    once: each article is claimed by exactly one.
    """
    started = time.monotonic()
    reclaimed = sum(reclaim_dead(engine).values())
    total = count_pending(engine, article_ids)
    if limit is not None:
        total = min(total, limit)
    owner = lease_owner()
    writer = _Writer(engine, settings, owner=owner)
    done = 0

    def on_done() -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress(done, max(total, done))

    if total == 0:
        return FetchSummary(reclaimed=reclaimed)
    try:
        with make_pool(settings) as pool:
            claimed_total = asyncio.run(
                _fetch_all(
                    engine,
                    settings,
                    pool,
                    writer,
                    on_done,
                    limit=limit,
                    article_ids=article_ids,
                    owner=owner,
                )
            )
    finally:
        # normal exit, SIGTERM (raised as KeyboardInterrupt by the CLI) or a crash: whatever
        # this run claimed and did not settle is given back now, not after the lease runs out
        try:
            released = release(engine, owner)
        except Exception as exc:  # the database may be what failed; the lease then expires
            LOGGER.warning("could not release leases of %s: %s", owner, exc)
        else:
            if released:
                LOGGER.info("released %s unsettled leases of %s", released, owner)
    fetched, extracted, failed = writer.summary_counts()
    summary = FetchSummary(
        claimed=claimed_total,
        fetched=fetched,
        extracted=extracted,
        failed=sum(failed.values()),
        failed_by_reason=failed,
        retry_scheduled=writer.retry_scheduled,
        extracted_ids=sorted(writer.extracted_ids),
        seconds=round(time.monotonic() - started, 3),
        reclaimed=reclaimed,
        lease_lost=writer.lease_lost,
    )
    LOGGER.info(
        "fetched %s of %s claimed articles in %.1fs: extracted=%s failed=%s %s",
        summary.fetched,
        summary.claimed,
        summary.seconds,
        summary.extracted,
        summary.failed,
        failed,
    )
    return summary


# -- re-extraction ---------------------------------------------------------------------------


def extract_pending(
    engine: Engine,
    settings: Settings,
    *,
    article_ids: Sequence[int] | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    force: bool = False,
) -> ExtractSummary:
    """Re-extract articles from their stored raw pages, with no network access.

    Picks the latest stored page of each article (fetched in ``[since, until)`` when given).
    Articles already extracted by the current :data:`EXTRACTOR_VERSION` are skipped unless
    ``force``; pages left unextracted by a crashed run (status ``fetched``) are always taken.
    """
    started = time.monotonic()
    conditions = ["r.body_gzip IS NOT NULL"]
    params: dict[str, Any] = {"version": EXTRACTOR_VERSION}
    if article_ids is not None:
        conditions.append("a.id = ANY(:ids)")
        params["ids"] = list(article_ids)
    if since is not None:
        conditions.append("r.fetched_at >= :since")
        params["since"] = since
    if until is not None:
        conditions.append("r.fetched_at < :until")
        params["until"] = until
    if not force:
        conditions.append("(a.extractor_version IS DISTINCT FROM :version OR a.status = 'fetched')")
    with engine.connect() as conn:
        ids = list(
            conn.scalars(
                text(
                    "SELECT DISTINCT a.id FROM articles a JOIN raw_pages r ON r.article_id = a.id"
                    f" WHERE {' AND '.join(conditions)} ORDER BY a.id"
                ),
                params,
            )
        )
    if not ids:
        return ExtractSummary()
    writer = _Writer(engine, settings)
    with make_pool(settings) as pool:
        for start in range(0, len(ids), settings.fetch_batch_size):
            chunk = ids[start : start + settings.fetch_batch_size]
            _extract_chunk(engine, settings, pool, writer, chunk)
    _, extracted, failed = writer.summary_counts()
    summary = ExtractSummary(
        selected=len(ids),
        extracted=extracted,
        failed=sum(failed.values()),
        failed_by_reason=failed,
        extracted_ids=sorted(writer.extracted_ids),
        seconds=round(time.monotonic() - started, 3),
    )
    LOGGER.info(
        "re-extracted %s stored pages in %.1fs: extracted=%s failed=%s",
        summary.selected,
        summary.seconds,
        summary.extracted,
        summary.failed,
    )
    return summary


def _extract_chunk(
    engine: Engine,
    settings: Settings,
    pool: Executor,
    writer: _Writer,
    chunk: list[int],
) -> None:
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT DISTINCT ON (r.article_id) r.article_id, r.body_gzip, r.final_url,"
                " r.content_type, r.fetched_at, a.feed_title, a.feed_authors,"
                " a.feed_published_at, a.feed_summary"
                " FROM raw_pages r JOIN articles a ON a.id = r.article_id"
                " WHERE r.article_id = ANY(:ids) AND r.body_gzip IS NOT NULL"
                " ORDER BY r.article_id, r.fetched_at DESC, r.id DESC"
            ),
            {"ids": chunk},
        ).all()
    futures = [
        (
            row.article_id,
            pool.submit(
                _extract_stored,
                row.body_gzip,
                row.final_url,
                fallback=FeedMeta(
                    title=row.feed_title,
                    authors=list(row.feed_authors or []),
                    published=row.feed_published_at,
                    summary=row.feed_summary,
                ),
                now=row.fetched_at,
                max_skew_hours=settings.max_date_skew_hours,
                min_year=settings.min_year,
                content_type=row.content_type,
            ),
        )
        for row in rows
    ]
    for article_id, future in futures:
        try:
            result = future.result()
        except Exception as exc:
            result = _crashed(exc)
        writer.add_extraction(article_id, result)
        if writer.pending() >= WRITE_BATCH:
            writer.flush()
    writer.flush()
