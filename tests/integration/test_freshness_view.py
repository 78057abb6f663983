"""The ``freshness`` view over known rows: exact lags per feed and overall, last 24 hours only."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from sqlalchemy import Engine, insert, text

from pipeline.models import Article, Feed, FeedEntry
from pipeline.stages.events.models import EventCoding

T = datetime.now(UTC).replace(microsecond=0)


def s(seconds: float) -> timedelta:
    return timedelta(seconds=seconds)


def test_freshness_per_feed_and_overall(clean_db: Engine) -> None:
    with clean_db.begin() as conn:
        a_id, b_id = (
            conn.execute(
                insert(Feed).values(name=n, url=f"https://{n}.example/feed", outlet=n)
            ).inserted_primary_key[0]
            for n in ("alpha", "beta")
        )
        # alpha lists three articles 100 s ago, published 10/20/30 s before that; stored 5 s
        # after discovery; the first two coded 2 s after storage; one more entry 25 h old
        rows = []
        for i, lag in enumerate((10, 20, 30, 40)):
            seen = T - s(100) if i < 3 else T - timedelta(hours=25)
            published = seen - s(lag)
            article = conn.execute(
                insert(Article).values(
                    canonical_url=f"https://alpha.example/{i}",
                    url=f"https://alpha.example/{i}",
                    original_urls=[],
                    feed_id=a_id,
                    feed_published_at=published,
                    status="extracted",
                    discovered_at=seen,
                    extracted_at=seen + s(5),
                )
            ).inserted_primary_key[0]
            rows.append((article, published, seen))
            conn.execute(
                insert(FeedEntry).values(
                    feed_id=a_id,
                    entry_key=str(i),
                    link=f"https://alpha.example/{i}",
                    article_id=article,
                    published_at=published,
                    first_seen_at=seen,
                )
            )
            if i < 2:
                conn.execute(
                    insert(EventCoding).values(
                        article_id=article, coder_version="t", coded_at=seen + s(7)
                    )
                )
        # beta lists alpha's first article 50 s after alpha did
        first, published, _ = rows[0]
        conn.execute(
            insert(FeedEntry).values(
                feed_id=b_id,
                entry_key="x",
                link="https://alpha.example/0",
                article_id=first,
                published_at=published,
                first_seen_at=T - s(50),
            )
        )
    with clean_db.connect() as conn:
        got = {
            r["feed_name"]: r
            for r in conn.execute(text("SELECT * FROM freshness")).mappings().all()
        }
    assert set(got) == {"alpha", "beta", "(all)"}
    alpha = got["alpha"]
    assert (alpha["articles"], alpha["stored"], alpha["coded"]) == (3, 3, 2)
    # percentile_cont over [10, 20, 30]: p50 20, p95 20 + 0.9 * 10
    assert (alpha["discovered_p50_s"], alpha["discovered_p95_s"]) == (
        Decimal("20.0"),
        Decimal("29.0"),
    )
    assert (alpha["stored_p50_s"], alpha["stored_p95_s"]) == (Decimal("25.0"), Decimal("34.0"))
    # coded: [17, 27]
    assert (alpha["coded_p50_s"], alpha["coded_p95_s"]) == (Decimal("22.0"), Decimal("26.5"))
    assert (alpha["processing_p50_s"], alpha["processing_p95_s"]) == (
        Decimal("5.0"),
        Decimal("5.0"),
    )
    beta = got["beta"]
    assert beta["articles"] == 1
    assert beta["discovered_p50_s"] == Decimal("60.0")  # published 110 s ago, seen 50 s ago
    assert beta["stored_p50_s"] == Decimal("15.0")
    assert beta["processing_p50_s"] == Decimal("0.0")  # stored before beta saw it
    overall = got["(all)"]
    assert overall["feed_id"] is None
    assert (overall["articles"], overall["coded"]) == (3, 2)  # the 25 h old one is out
    assert overall["discovered_p95_s"] == Decimal("29.0")
    assert overall["stored_p95_s"] == Decimal("34.0")
