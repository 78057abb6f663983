"""The PostgreSQL-backed incremental index and the dedup stage.

Each article is deduplicated in its own transaction:

1. claim the article row (``FOR UPDATE SKIP LOCKED``: two workers never take the same one);
2. fingerprint it, after dropping the lines its outlet has already printed under ≥ 2 articles;
3. take ``pg_advisory_xact_lock`` on every key it will look up (URL keys, text hashes, LSH band
   keys) in ascending order. Two workers holding copies of one story share at least one key, so
   the second waits until the first has committed and then sees it: they end with one story,
   and the fixed order rules out deadlocks between them;
4. look up exact keys, then the band table in ONE query (primary-key probes, so the cost does not
   grow with the number of stored articles), verify candidates against their stored signatures;
5. join the best match's story, merging into it (the oldest id survives) every other story one
   of whose members it also matched and that no canonical article vetoes
   (:mod:`pipeline.stages.dedup.stories`), or open a new one; re-elect the story's canonical
   article, and store the article's own keys and bands.

An article whose text changes after it was deduplicated (the same URL re-fetched with a new
body) is a *revision*: it keeps its story and links, the version is added to
``article_revisions`` and its new fingerprint is indexed too.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, bindparam, text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.exc import OperationalError
from sqlalchemy.types import Text

from pipeline.config import Settings
from pipeline.stages.dedup.core import (
    Fingerprint,
    compare,
    fingerprint,
    stable_hash,
)
from pipeline.stages.dedup.matching import LookupStats, find_match, join_story
from pipeline.stages.dedup.stories import reelect
from pipeline.stages.dedup.text import line_hashes, prepare_text, wire_attribution
from pipeline.stages.dedup.urlkey import url_host, url_keys
from pipeline.store.retry import is_retryable

__all__ = ["DedupOutcome", "DedupSummary", "LookupStats", "dedup_article", "dedup_pending"]

LOGGER = logging.getLogger(__name__)

# Hosts of the agencies themselves: their copy is the original a story is named after.
WIRE_HOSTS = frozenset(
    {"apnews.com", "reuters.com", "afp.com", "upi.com", "dpa.com", "xinhuanet.com", "aa.com.tr"}
)
LEARNED_LINE_MIN_DOCS = 2
_RETRIES = 3

_PENDING = "status = 'extracted' AND (deduped_at IS NULL OR extracted_at > deduped_at)"


@dataclass(frozen=True)
class DedupOutcome:
    """What happened to one article."""

    article_id: int
    story_id: int
    duplicate_of_id: int | None
    method: str | None  # url / text / near / revision; None for a new story or no change
    score: float | None
    new_story: bool
    matched_article_id: int | None = None  # what it matched, even when elected canonical


@dataclass(frozen=True)
class DedupSummary:
    """Counts of one dedup run (XCom-sized)."""

    processed: int = 0
    new_stories: int = 0
    url: int = 0
    text: int = 0
    near: int = 0
    revisions: int = 0
    unchanged: int = 0
    skipped: int = 0
    pruned_bands: int = 0


def dedup_article(
    engine: Engine, settings: Settings, article_id: int, *, stats: LookupStats | None = None
) -> DedupOutcome | None:
    """Deduplicate one article in its own transaction; None when it is not pending (any more).

    A deadlock can only arise between a revision of an already indexed article and a worker
    re-electing that article's story; PostgreSQL aborts one side, which is retried here.
    """
    for attempt in range(_RETRIES):
        try:
            with engine.begin() as conn:
                return _dedup_one(conn, settings, article_id, stats)
        except OperationalError as exc:
            if not is_retryable(exc) or attempt == _RETRIES - 1:
                raise
            LOGGER.info("dedup of article %s retried after %s", article_id, type(exc.orig))
    return None  # pragma: no cover - the loop either returns or raises


def dedup_pending(
    engine: Engine,
    settings: Settings,
    *,
    article_ids: Sequence[int] | None = None,
    stats: LookupStats | None = None,
) -> DedupSummary:
    """Deduplicate every extracted article not yet deduplicated (or re-extracted since).

    Articles are taken in arrival (id) order, which is the order a stream would see them.
    Re-running changes nothing: deduplicated articles are no longer pending.
    """
    pruned = prune_index(engine, settings)
    query = f"SELECT id FROM articles WHERE {_PENDING}"
    params: dict[str, Any] = {}
    if article_ids is not None:
        query += " AND id = ANY(:ids)"
        params["ids"] = list(article_ids)
    with engine.connect() as conn:
        ids = list(conn.execute(text(query + " ORDER BY id"), params).scalars())
    counts = dict.fromkeys(
        ("processed", "new_stories", "url", "text", "near", "revisions", "unchanged", "skipped"), 0
    )
    for article_id in ids:
        outcome = dedup_article(engine, settings, article_id, stats=stats)
        if outcome is None:
            counts["skipped"] += 1
            continue
        counts["processed"] += 1
        if outcome.new_story:
            counts["new_stories"] += 1
        elif outcome.method == "revision":
            counts["revisions"] += 1
        elif outcome.method in ("url", "text", "near"):
            counts[outcome.method] += 1
        else:
            counts["unchanged"] += 1
    summary = DedupSummary(pruned_bands=pruned, **counts)
    LOGGER.info(
        "dedup: %s processed, %s new stories, %s url, %s text, %s near, %s revisions, "
        "%s skipped, %s bands pruned",
        summary.processed,
        summary.new_stories,
        summary.url,
        summary.text,
        summary.near,
        summary.revisions,
        summary.skipped,
        summary.pruned_bands,
    )
    return summary


def prune_index(engine: Engine, settings: Settings) -> int:
    """Drop band rows older than the rolling window (counted back from the newest one).

    Counting from the newest indexed article rather than the clock keeps a backfill of old
    articles matchable among themselves.
    """
    with engine.begin() as conn:
        result = conn.execute(
            text(
                "DELETE FROM dedup_bands WHERE seen_at < "
                "(SELECT max(seen_at) FROM dedup_bands) - make_interval(days => :days)"
            ),
            {"days": settings.dedup_window_days},
        )
    return int(result.rowcount or 0)


def _lock(conn: Connection, keys: Iterable[int]) -> None:
    ordered = sorted(set(keys))
    if ordered:
        conn.execute(
            text("SELECT pg_advisory_xact_lock(k) FROM unnest(CAST(:keys AS bigint[])) AS k"),
            {"keys": ordered},
        )


def _exact_keys(ukeys: list[str], fp: Fingerprint) -> tuple[list[str], list[str]]:
    url = [f"u:{k}" for k in ukeys]
    txt = [f"t:{fp.text_key}"] if fp.text_key else []
    if fp.raw_key:
        txt.append(f"r:{fp.raw_key}")
    return url, txt


def _dedup_one(
    conn: Connection, settings: Settings, article_id: int, stats: LookupStats | None
) -> DedupOutcome | None:
    row = (
        conn.execute(
            text(
                "SELECT id, canonical_url, url, final_url, original_urls, text, text_hash, "
                "authors, story_id, duplicate_of_id, dedup_method, dedup_score, deduped_at, "
                "coalesce(published_at, feed_published_at, discovered_at) AS ts "
                f"FROM articles WHERE id = :id AND {_PENDING} FOR UPDATE SKIP LOCKED"
            ),
            {"id": article_id},
        )
        .mappings()
        .first()
    )
    if row is None:
        return None
    body: str = row["text"] or ""
    ts: datetime = row["ts"]
    ukeys = url_keys([row["canonical_url"], row["url"], row["final_url"], *row["original_urls"]])
    host = url_host(row["final_url"] or row["url"] or row["canonical_url"])
    hashes = sorted(set(line_hashes(body)))
    learned = conn.execute(
        text(
            "SELECT line_hash FROM dedup_host_lines WHERE host = :host "
            "AND line_hash = ANY(:hashes) AND docs >= :min_docs"
        ),
        {"host": host, "hashes": hashes, "min_docs": LEARNED_LINE_MIN_DOCS},
    ).scalars()
    prepared = prepare_text(body, host_boilerplate=set(learned))
    fp = fingerprint(prepared)
    url_exact, text_exact = _exact_keys(ukeys, fp)
    _lock(conn, [stable_hash(k) for k in url_exact + text_exact] + list(fp.band_keys))

    previous = None
    if row["deduped_at"] is not None:
        previous = (
            conn.execute(
                text(
                    "SELECT raw_key, signature, n_shingles, slots, shingles FROM dedup_docs "
                    "WHERE article_id = :id"
                ),
                {"id": article_id},
            )
            .mappings()
            .first()
        )
    if previous is not None and row["story_id"] is not None:
        return _revision(
            conn, row, fp=fp, previous=previous, host=host, exact=url_exact + text_exact
        )

    match, bridged = find_match(
        conn,
        settings,
        article_id,
        ts=ts,
        fp=fp,
        url_exact=url_exact,
        text_exact=text_exact,
        stats=stats,
    )
    story_id = None
    if match is not None:
        story_id = join_story(conn, article_id, fp, match, bridged)
    new_story = story_id is None
    if story_id is None:
        match = None
        story_id = int(
            conn.execute(
                text("INSERT INTO stories (canonical_article_id) VALUES (:id) RETURNING id"),
                {"id": article_id},
            ).scalar_one()
        )
    wire = wire_attribution(body, row["authors"])
    _index(
        conn,
        article_id,
        host=host,
        ts=ts,
        fp=fp,
        exact=url_exact + text_exact,
        line_hashes=hashes,
        new_article={
            "text_hash": row["text_hash"],
            "story": story_id,
            "dup": match.article_id if match else None,
            "method": match.method if match else None,
            "score": match.score if match else None,
            "wire_source": wire,
        },
    )
    duplicate_of = match.article_id if match else None
    if match is not None:
        elected = reelect(conn, story_id, article_id, match)
        if elected:
            duplicate_of = None
    return DedupOutcome(
        article_id=article_id,
        story_id=story_id,
        duplicate_of_id=duplicate_of,
        method=match.method if match else None,
        score=match.score if match else None,
        new_story=new_story,
        matched_article_id=match.article_id if match else None,
    )


_INDEX_SQL = (
    # one round trip for the whole write: the fingerprint, its exact keys, its LSH buckets and
    # the outlet's line counts (sorted, so two workers of one outlet lock rows in one order)
    "WITH doc AS (INSERT INTO dedup_docs (article_id, host, seen_at, text_key, raw_key, "
    "signature, slots, shingles, n_shingles, n_tokens, complete, wire_origin) VALUES (:id, "
    ":host, :ts, :text_key, :raw_key, :sig, :slots, :shingles, :n_sh, :n_tok, :complete, :wire) "
    "ON CONFLICT (article_id) DO UPDATE SET text_key = EXCLUDED.text_key, "
    "raw_key = EXCLUDED.raw_key, signature = EXCLUDED.signature, slots = EXCLUDED.slots, "
    "shingles = EXCLUDED.shingles, "
    "n_shingles = EXCLUDED.n_shingles, n_tokens = EXCLUDED.n_tokens, "
    "complete = EXCLUDED.complete, indexed_at = now() RETURNING 1), "
    "keys AS (INSERT INTO dedup_keys (key, article_id) "
    "SELECT k, :id FROM unnest(CAST(:keys AS text[])) AS k ON CONFLICT DO NOTHING RETURNING 1), "
    "bands AS (INSERT INTO dedup_bands (band_key, article_id, seen_at) "
    "SELECT b, :id, :ts FROM unnest(CAST(:bands AS bigint[])) AS b ON CONFLICT DO NOTHING "
    "RETURNING 1), "
    "lines AS (INSERT INTO dedup_host_lines (host, line_hash, docs) "
    "SELECT :host, h, 1 FROM unnest(CAST(:hashes AS bigint[])) AS h ORDER BY h "
    "ON CONFLICT (host, line_hash) DO UPDATE SET docs = dedup_host_lines.docs + 1 RETURNING 1)"
)
_NEW_ARTICLE_SQL = (
    # ... and for a new article its first version and its story, in the same statement
    ", version AS (INSERT INTO article_revisions (article_id, text_key, text_hash, seen_at) "
    "VALUES (:id, :raw_key_or_empty, :text_hash, now()) ON CONFLICT DO NOTHING RETURNING 1), "
    "art AS (UPDATE articles SET story_id = :story, duplicate_of_id = :dup, "
    "dedup_method = :method, dedup_score = :score, wire_source = coalesce(:wire_source, "
    "wire_source), deduped_at = now() WHERE id = :id RETURNING 1)"
)


def _index(
    conn: Connection,
    article_id: int,
    *,
    host: str,
    ts: datetime,
    fp: Fingerprint,
    exact: list[str],
    line_hashes: list[int],
    new_article: dict[str, Any] | None = None,
) -> None:
    params: dict[str, Any] = {
        "id": article_id,
        "host": host,
        "ts": ts,
        "text_key": fp.text_key,
        "raw_key": fp.raw_key,
        "sig": fp.signature,
        "slots": fp.slots,
        "shingles": fp.shingle_set,
        "n_sh": fp.n_shingles,
        "n_tok": fp.n_tokens,
        "complete": not (fp.truncated or fp.paywall),
        "wire": host in WIRE_HOSTS,
        "keys": exact,
        "bands": list(fp.band_keys),
        "hashes": sorted(set(line_hashes)) if host else [],
    }
    sql = _INDEX_SQL
    if new_article is not None:
        sql += _NEW_ARTICLE_SQL
        params.update(new_article, raw_key_or_empty=fp.raw_key or "")
    conn.execute(text(sql + " SELECT 1").bindparams(bindparam("keys", type_=ARRAY(Text))), params)


def _revision(
    conn: Connection,
    row: Any,
    *,
    fp: Fingerprint,
    previous: Any,
    host: str,
    exact: list[str],
) -> DedupOutcome:
    """The page at this URL changed: keep the article in its story, record the new version."""
    article_id = int(row["id"])
    changed = previous["raw_key"] != fp.raw_key
    score: float | None = None
    if changed:
        verdict = compare(
            fp.signature,
            fp.n_shingles,
            fp.slots,
            sig_b=previous["signature"],
            n_b=previous["n_shingles"],
            slots_b=previous["slots"],
            set_a=fp.shingle_set,
            set_b=previous["shingles"],
        )
        score = round(verdict.jaccard, 4)
        conn.execute(
            text(
                "INSERT INTO article_revisions (article_id, text_key, text_hash, "
                "jaccard_to_previous, seen_at) VALUES (:id, :key, :hash, :j, now()) "
                "ON CONFLICT DO NOTHING"
            ),
            {"id": article_id, "key": fp.raw_key or "", "hash": row["text_hash"], "j": score},
        )
        _index(conn, article_id, host=host, ts=row["ts"], fp=fp, exact=exact, line_hashes=[])
    conn.execute(text("UPDATE articles SET deduped_at = now() WHERE id = :id"), {"id": article_id})
    return DedupOutcome(
        article_id=article_id,
        story_id=int(row["story_id"]),
        duplicate_of_id=row["duplicate_of_id"],
        method="revision" if changed else None,
        score=score,
        new_story=False,
    )
