"""Run the pipeline's own incremental dedup over a JSON-lines file, in a throw-away database.

This is what ``newswire dedup --jsonl FILE`` and the benchmark use to tune thresholds on a
user's data: every document becomes an ``articles`` row in a scratch database created for the
run and dropped after it, and goes through exactly :func:`pipeline.stages.dedup.dedup_article`, the
function the pipeline stage calls. The user's own database is never written to.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from dateutil.parser import isoparse
from sqlalchemy import Engine, text

from pipeline.config import Settings
from pipeline.db import make_engine
from pipeline.db import scratch_database as db_scratch_database
from pipeline.stages.dedup.store import LookupStats, dedup_article
from pipeline.stages.dedup.urlkey import url_host

__all__ = ["DedupInputError", "Document", "parse_documents", "run_documents", "scratch_database"]

LOGGER = logging.getLogger(__name__)


class DedupInputError(ValueError):
    """A line of the input file is not a usable document; the message names the line."""


@dataclass(frozen=True)
class Document:
    """One input document: ``id, url, title, text`` and an optional ``published`` time."""

    id: str
    url: str
    title: str | None
    text: str
    published: datetime | None


def parse_documents(lines: Iterable[str]) -> Iterator[Document]:
    """Documents from JSON lines, in file order; blank lines are skipped."""
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise DedupInputError(f"line {number}: not JSON ({exc.msg})") from None
        if not isinstance(obj, dict) or "id" not in obj:
            raise DedupInputError(f"line {number}: expected an object with an 'id'")
        text_value = obj.get("text") or ""
        if not isinstance(text_value, str):
            raise DedupInputError(f"line {number}: 'text' must be a string")
        published = None
        if obj.get("published"):
            try:
                published = isoparse(str(obj["published"]))
            except ValueError:
                raise DedupInputError(
                    f"line {number}: 'published' is not an ISO 8601 time: {obj['published']!r}"
                ) from None
            if published.tzinfo is None:
                published = published.replace(tzinfo=UTC)
        doc_id = str(obj["id"])
        url = str(obj.get("url") or f"urn:newswire-dedup:{doc_id}")
        yield Document(doc_id, url, obj.get("title"), text_value, published)


@contextmanager
def scratch_database(admin_url: str) -> Iterator[Engine]:
    """A new, migrated database on the server of *admin_url*, dropped on exit whatever happens."""
    with db_scratch_database(admin_url, "newswire_dedup_scratch", fast=True) as url:
        engine = make_engine(url)
        try:
            yield engine
        finally:
            engine.dispose()


_UPSERT = text(
    "INSERT INTO articles (canonical_url, url, original_urls, final_url, title, text, "
    "published_at, outlet, status, extracted_at, word_count) "
    "VALUES (:url, :url, ARRAY[:url], :url, :title, :text, :published, :outlet, 'extracted', "
    "clock_timestamp(), :words) "
    "ON CONFLICT (canonical_url) DO UPDATE SET text = EXCLUDED.text, title = EXCLUDED.title, "
    "extracted_at = clock_timestamp(), word_count = EXCLUDED.word_count "
    "RETURNING id, (xmax = 0) AS inserted"
)


def run_documents(
    engine: Engine,
    settings: Settings,
    documents: Iterable[Document],
    *,
    stats: LookupStats | None = None,
) -> Iterator[dict[str, Any]]:
    """Deduplicate *documents* one by one; yield ``id, pred_cluster, duplicate_of, method, score``.

    The exact input URL is the article key, so URL variants become separate articles (caught
    by the URL level) and a repeated URL with a new text is a revision of the first document.
    Records are yielded once the whole input is through: a later document can merge two
    stories, so ``pred_cluster`` is each document's story at the end of the run (its story on
    arrival is ``arrival_cluster``).
    """
    pending: list[tuple[dict[str, Any], int]] = []
    for record, article_id in _run(engine, settings, documents, stats):
        pending.append((record, article_id))
    final: dict[int, int] = {}
    ids = sorted({a for _, a in pending})
    with engine.connect() as conn:
        for start in range(0, len(ids), 10_000):
            chunk = ids[start : start + 10_000]
            final.update(
                (int(a), int(s))
                for a, s in conn.execute(
                    text("SELECT id, story_id FROM articles WHERE id = ANY(:ids)"), {"ids": chunk}
                ).all()
                if s is not None
            )
    for record, article_id in pending:
        story = final.get(article_id)
        record["arrival_cluster"] = record["pred_cluster"]
        if story is not None:
            record["pred_cluster"] = f"s{story}"
        yield record


def _run(
    engine: Engine,
    settings: Settings,
    documents: Iterable[Document],
    stats: LookupStats | None,
) -> Iterator[tuple[dict[str, Any], int]]:
    doc_of_article: dict[int, str] = {}
    for doc in documents:
        started = time.perf_counter()
        with engine.begin() as conn:
            row = conn.execute(
                _UPSERT,
                {
                    "url": doc.url,
                    "title": doc.title,
                    "text": doc.text,
                    "published": doc.published,
                    "outlet": url_host(doc.url) or None,
                    "words": len(doc.text.split()),
                },
            ).one()
        article_id, inserted = int(row[0]), bool(row[1])
        doc_of_article.setdefault(article_id, doc.id)
        outcome = dedup_article(engine, settings, article_id, stats=stats)
        if stats is not None:
            stats.doc_ms.append((time.perf_counter() - started) * 1000.0)
        if outcome is None:  # not pending: nothing changed since the last time we saw it
            with engine.connect() as conn:
                story = conn.execute(
                    text("SELECT story_id FROM articles WHERE id = :id"), {"id": article_id}
                ).scalar()
            yield _record(doc.id, story, doc_of_article[article_id], "url", 1.0), article_id
            continue
        if not inserted:
            method = outcome.method or "url"
            score = outcome.score if outcome.method else 1.0
            yield (
                _record(doc.id, outcome.story_id, doc_of_article[article_id], method, score),
                article_id,
            )
            continue
        dup = outcome.matched_article_id
        yield (
            _record(
                doc.id,
                outcome.story_id,
                doc_of_article.get(dup) if dup is not None else None,
                outcome.method,
                outcome.score,
            ),
            article_id,
        )


def _record(
    doc_id: str, story: int | None, duplicate_of: str | None, method: str | None, score: Any
) -> dict[str, Any]:
    return {
        "id": doc_id,
        "pred_cluster": f"s{story}" if story is not None else f"doc-{doc_id}",
        "duplicate_of": duplicate_of,
        "method": method,
        "score": score,
    }
