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

Raw pages are kept gzip-compressed, one row per distinct body, so
:func:`pipeline.stages.extract.stored.extract_pending` can re-extract any range later without
the network. Claims live in :mod:`pipeline.store.claims`, article writes in
:mod:`pipeline.store.articles`, the worker pool in :mod:`.pool`.
"""

from __future__ import annotations

import asyncio
import functools
import itertools
import logging
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urlsplit

from sqlalchemy import Engine

from pipeline.config import Settings
from pipeline.http.client import FetchError, HttpClient
from pipeline.models import FailureReason
from pipeline.stages.fetch.pool import extract_fetched, make_pool, worker_count
from pipeline.store.articles import WRITE_BATCH, ArticleWriter, Claimed, Packed
from pipeline.store.claims import claim, count_due
from pipeline.store.leases import lease_owner, lease_seconds, reclaim_dead, release

LOGGER = logging.getLogger(__name__)

__all__ = ["FetchSummary", "ProgressCallback", "fetch_pending"]

ProgressCallback = Callable[[int, int], None]
"""Called as ``progress(done, total)`` after each article is settled."""


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


async def _fetch_all(
    engine: Engine,
    settings: Settings,
    pool: Executor,
    writer: ArticleWriter,
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
            claimed = await asyncio.to_thread(claim, engine, size, article_ids, owner, lease)
            if not claimed:
                break
            claimed_total += len(claimed)
            await _fetch_batch(client, claimed, settings, pool, writer, on_done=on_done)
    return claimed_total


def _interleave_hosts(items: list[Claimed]) -> list[Claimed]:
    """Round-robin over hosts, so the in-flight window never fills with one slow host's pages
    while other hosts' pages wait behind them."""
    by_host: dict[str, list[Claimed]] = {}
    for item in items:
        by_host.setdefault(urlsplit(item.url).netloc.lower(), []).append(item)
    rounds = itertools.zip_longest(*by_host.values())
    return [item for round_ in rounds for item in round_ if item is not None]


async def _fetch_batch(
    client: HttpClient,
    claimed: list[Claimed],
    settings: Settings,
    pool: Executor,
    writer: ArticleWriter,
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
    in_flight = asyncio.Semaphore(max(settings.global_concurrency, 4 * worker_count(settings)))

    async def one(item: Claimed) -> None:
        async with in_flight:
            await settle(item)
        on_done()
        await maybe_flush()

    async def settle(item: Claimed) -> None:
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
                extract_fetched,
                response.body,
                response.final_url,
                fallback=item.fallback,
                now=fetched_at,
                max_skew_hours=settings.max_date_skew_hours,
                min_year=settings.min_year,
                content_type=response.headers.get("content-type"),
                compress=response.raw_gzip is None,
            )
            packed: Packed | None
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
    total = count_due(engine, article_ids)
    if limit is not None:
        total = min(total, limit)
    owner = lease_owner()
    writer = ArticleWriter(engine, settings, owner=owner)
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
