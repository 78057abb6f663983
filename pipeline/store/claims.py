"""Claims and eligibility: which articles are due for fetching, and taking them under a lease.

One predicate (:func:`eligible_sql`) answers "what is due" for every caller — the fetch stage
claiming a batch, the DAG planning its batches, ``newswire stats`` — so they cannot drift:
pending articles and failed ones whose scheduled retry has come, not leased by a live worker.
A claim is ``SELECT … FOR UPDATE SKIP LOCKED`` plus a lease (``claimed_until``, ``claimed_by``),
so two workers never fetch the same article and a crashed worker's lease simply expires.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Engine, text

from pipeline.stages.extract.page import FeedMeta
from pipeline.store.articles import Claimed

# -- claiming --------------------------------------------------------------------------------


def eligible_sql(article_ids: Sequence[int] | None) -> str:
    where = (
        "(status = 'pending' OR (status = 'failed' AND next_attempt_at IS NOT NULL"
        " AND next_attempt_at <= now())) AND (claimed_until IS NULL OR claimed_until < now())"
    )
    if article_ids is not None:
        where += " AND id = ANY(:ids)"
    return where


def count_due(engine: Engine, article_ids: Sequence[int] | None = None) -> int:
    """Articles a fetch run would claim now."""
    with engine.connect() as conn:
        return int(
            conn.scalar(
                text(f"SELECT count(*) FROM articles WHERE {eligible_sql(article_ids)}"),
                {"ids": list(article_ids or [])},
            )
            or 0
        )


def claim(
    engine: Engine, n: int, article_ids: Sequence[int] | None, owner: str, lease: float
) -> list[Claimed]:
    sql = text(
        "WITH picked AS ("
        f" SELECT id FROM articles WHERE {eligible_sql(article_ids)}"
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
        Claimed(
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


def due_article_ids(
    engine: Engine, article_ids: Sequence[int] | None = None, *, limit: int | None = None
) -> list[int]:
    """The ids :func:`claim` would take now (same predicate), oldest first, without claiming."""
    sql = f"SELECT id FROM articles WHERE {eligible_sql(article_ids)} ORDER BY id"
    if limit is not None:
        sql += " LIMIT :limit"
    with engine.connect() as conn:
        return list(conn.scalars(text(sql), {"ids": list(article_ids or []), "limit": limit}))
