"""Article rows written by the fetch and extract stages: settled results, raw pages, failures.

One writer buffers what the workers settle and writes it in batches, one transaction per batch,
only while this process still holds the article's lease (a reclaimed article is counted as
``lease_lost`` and left to its new owner). Transient failures get ``next_attempt_at`` with
exponential spacing until ``max_fetch_attempts``.
"""

from __future__ import annotations

import functools
import hashlib
import logging
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, bindparam, text, update
from sqlalchemy.dialects.postgresql import insert

from pipeline.config import Settings
from pipeline.db import is_connection_loss
from pipeline.http.client import FetchError, FetchResponse, gzip_body
from pipeline.models import Article, ArticleStatus, FailureReason, RawPage
from pipeline.sanitize import clean_value
from pipeline.stages.extract.page import Extraction, FeedMeta
from pipeline.store.retry import retry_on_deadlock

LOGGER = logging.getLogger(__name__)

RETRY_BASE = timedelta(minutes=15)
RETRY_MAX = timedelta(hours=24)
WRITE_BATCH = 50  # rows per write transaction: few round trips, small transactions


@dataclass(frozen=True)
class Claimed:
    """An article this process holds the lease of, with the feed's metadata as fallback."""

    id: int
    url: str
    attempts: int
    fallback: FeedMeta


@dataclass(frozen=True)
class Packed:
    """A fetched body after the worker is done with it: stored form plus extraction."""

    extraction: Extraction
    sha256: str
    body_gzip: bytes


def pack(body: bytes) -> tuple[str, bytes]:
    """A body's SHA-256 (its identity in ``raw_pages``) and its stored, gzipped form."""
    return hashlib.sha256(body).hexdigest(), gzip_body(body)


# -- writing ---------------------------------------------------------------------------------


def extraction_values(result: Extraction, now: datetime) -> dict[str, Any]:
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


def retry_at(settings: Settings, attempts: int, now: datetime) -> datetime | None:
    if attempts >= settings.max_fetch_attempts:
        return None
    delay: timedelta = min(RETRY_BASE * (2 ** max(attempts - 1, 0)), RETRY_MAX)
    return now + delay


@dataclass
class ArticleWriter:
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

    def add_failure(self, item: Claimed, exc: FetchError) -> None:
        now = datetime.now(UTC)
        retry = retry_at(self.settings, item.attempts, now) if exc.retryable else None
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
        item: Claimed,
        response: FetchResponse,
        packed: Packed | None,
        fetched_at: datetime,
    ) -> None:
        body = response.body
        sha, body_gzip = (packed.sha256, packed.body_gzip) if packed else pack(body)
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
            values.update(extraction_values(result, fetched_at))
            self._count(item.id, result)
        self.results.append(values)

    def add_extraction(self, article_id: int, result: Extraction) -> None:
        values = {"b_id": article_id, **extraction_values(result, datetime.now(UTC))}
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
