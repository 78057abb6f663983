"""Re-extraction from stored raw pages, with no network access (after an extractor upgrade,
for a backfill interval, or for pages a crashed run left unextracted)."""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, text

from pipeline.config import Settings
from pipeline.stages.extract.page import EXTRACTOR_VERSION, FeedMeta
from pipeline.stages.fetch.pool import crashed, extract_stored, make_pool
from pipeline.store.articles import WRITE_BATCH, ArticleWriter

LOGGER = logging.getLogger(__name__)

__all__ = ["ExtractSummary", "extract_pending"]


@dataclass(frozen=True)
class ExtractSummary:
    """What one re-extraction run did."""

    selected: int = 0
    extracted: int = 0
    failed: int = 0
    failed_by_reason: dict[str, int] = field(default_factory=dict)
    extracted_ids: list[int] = field(default_factory=list)
    seconds: float = 0.0


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
    writer = ArticleWriter(engine, settings)
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
    writer: ArticleWriter,
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
                extract_stored,
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
            result = crashed(exc)
        writer.add_extraction(article_id, result)
        if writer.pending() >= WRITE_BATCH:
            writer.flush()
    writer.flush()
