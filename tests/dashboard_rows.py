"""Known rows for the dashboard-view tests: three outlets, one syndicated story, one real-world
event reported by three independent outlets, failures, polls; every expected number follows
from these rows by hand (see tests/integration/test_views.py)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, text

from pipeline.store.views import refresh_materialized

EVENT_DAY = date(2026, 11, 20)  # a Friday; its ISO week starts on Monday 2026-11-16
EVENT_WEEK = date(2026, 11, 16)


def now_utc() -> datetime:
    return datetime.now(UTC)


def publication_day() -> date:
    """Two days ago (UTC): inside feed_health's 7-day window, far from a day boundary."""
    return (now_utc() - timedelta(days=2)).date()


def published_at() -> datetime:
    day = publication_day()
    return datetime(day.year, day.month, day.day, 10, 0, tzinfo=UTC)


# article id -> (outlet, feed id, status, duplicate of, dedup method, lag minutes, reason)
ARTICLES: dict[int, tuple[str, int, str, int | None, str | None, int | None, str | None]] = {
    1: ("alpha", 1, "extracted", None, None, 30, None),  # the wire original (story 1)
    2: ("beta", 2, "extracted", 1, "text", 60, None),  # exact copy of 1
    3: ("gamma", 3, "extracted", 1, "near", 90, None),  # near copy of 1
    4: ("alpha", 1, "extracted", None, None, 120, None),  # story 2: own write-up
    5: ("beta", 2, "extracted", None, None, 150, None),  # story 3: own write-up
    6: ("gamma", 3, "extracted", None, None, 180, None),  # story 4: own write-up
    7: ("alpha", 1, "failed", None, None, None, "http_4xx"),
    8: ("beta", 2, "failed", None, None, None, "http_4xx"),
    9: ("beta", 2, "failed", None, None, None, "timeout"),
    10: ("gamma", 3, "pending", None, None, None, None),
}
STORY_OF = {1: 1, 2: 1, 3: 1, 4: 2, 5: 3, 6: 4}

# (article id, index, source, target, cameo, root, quad, goldstein, modality)
EVENTS: list[tuple[int, int, str, str, str, str, int, float, str]] = [
    (1, 0, "USA", "CHN", "042", "04", 1, 1.9, "asserted"),
    (1, 1, "USA", "CHN", "190", "19", 4, -10.0, "negated"),
    # what one party claims the other did ("China claimed that the US had attacked"): no event
    (1, 2, "USA", "CHN", "190", "19", 4, -10.0, "claimed"),
    (4, 0, "RUS", "UKR", "190", "19", 4, -10.0, "asserted"),
    (5, 0, "RUS", "UKR", "190", "19", 4, -10.0, "reported"),
    (6, 0, "RUS", "UKR", "190", "19", 4, -10.0, "asserted"),
]


def load_known_rows(engine: Engine) -> None:
    """Insert the rows above into an empty (migrated) database and refresh materialized views."""
    now = now_utc()
    pub = published_at()
    with engine.begin() as conn:
        for fid, name in ((1, "alpha"), (2, "beta"), (3, "gamma")):
            conn.execute(
                text(
                    "INSERT INTO feeds (id, name, url, outlet, last_success_at) "
                    "VALUES (:id, :name, :url, :outlet, :ok)"
                ),
                {
                    "id": fid,
                    "name": f"{name}-world",
                    "url": f"http://127.0.0.1:9/{name}.xml",
                    "outlet": name,
                    "ok": now - timedelta(hours=1) if fid == 1 else None,
                },
            )
        polls: list[dict[str, Any]] = [
            # feed 1: four polls in the last 24 h (ok, unchanged, failed, ok), one older failure
            {"f": 1, "h": 20, "o": "ok", "s": 200, "n": 2, "e": None},
            {"f": 1, "h": 10, "o": "unchanged", "s": 304, "n": 0, "e": None},
            {"f": 1, "h": 5, "o": "failed", "s": 503, "n": 0, "e": "HTTP 503"},
            {"f": 1, "h": 1, "o": "ok", "s": 200, "n": 3, "e": None},
            {"f": 1, "h": 48, "o": "failed", "s": None, "n": 0, "e": "timeout"},
            # feed 2: its only poll failed; feed 3 was never polled
            {"f": 2, "h": 2, "o": "failed", "s": 500, "n": 0, "e": "HTTP 500"},
        ]
        for poll in polls:
            started = now - timedelta(hours=poll["h"])
            conn.execute(
                text(
                    "INSERT INTO feed_polls (feed_id, started_at, finished_at, http_status, "
                    "entries_seen, entries_new, outcome, error) "
                    "VALUES (:f, :t, :t2, :s, :n, :n, :o, :e)"
                ),
                {**poll, "t": started, "t2": started + timedelta(seconds=2)},
            )
        for aid, (outlet, fid, status, dup, method, lag, reason) in ARTICLES.items():
            extracted = status == "extracted"
            conn.execute(
                text(
                    "INSERT INTO articles (id, canonical_url, url, original_urls, feed_id, outlet, "
                    "title, published_at, status, failure_reason, failure_detail, "
                    "duplicate_of_id, dedup_method, wire_source, extracted_at, fetched_at, "
                    "discovered_at) VALUES (:id, :u, :u, ARRAY[:u], :f, :o, :title, :pub, :st, "
                    ":r, :detail, :dup, :m, :wire, :ext, :fetched, :disc)"
                ),
                {
                    "id": aid,
                    "u": f"https://{outlet}.example/a/{aid}",
                    "f": fid,
                    "o": outlet,
                    "title": f"Article {aid}",
                    "pub": pub if extracted else None,
                    "st": status,
                    "r": reason,
                    "detail": f"detail {aid}" if reason else None,
                    "dup": dup,
                    "m": method,
                    "wire": "AP" if aid in (1, 2, 3) else None,
                    "ext": pub + timedelta(minutes=lag) if lag is not None else None,
                    "fetched": now - timedelta(hours=aid) if status != "pending" else None,
                    "disc": now - timedelta(hours=30 + aid),
                },
            )
        canonical = {1: 1, 2: 4, 3: 5, 4: 6}
        for sid, aid in canonical.items():
            conn.execute(
                text("INSERT INTO stories (id, canonical_article_id) VALUES (:s, :a)"),
                {"s": sid, "a": aid},
            )
        for aid, sid in STORY_OF.items():
            conn.execute(
                text("UPDATE articles SET story_id = :s WHERE id = :a"), {"s": sid, "a": aid}
            )
        for aid, index, src, tgt, cameo, root, quad, goldstein, modality in EVENTS:
            conn.execute(
                text(
                    "INSERT INTO events (article_id, event_index, sentence_index, event_date, "
                    "date_precision, source_text, source_code, source_country, target_text, "
                    "target_code, target_country, cameo_code, base_code, root_code, quad_class, "
                    "goldstein, modality, trigger, trigger_start, trigger_end, start_offset, "
                    "end_offset, confidence, coder_version) VALUES (:a, :i, :i2, :d, 'day', "
                    ":s1, :s2, :s3, :t1, :t2, :t3, :c, :b, :r, :q, :g, :m, "
                    "'x', 0, 1, 0, 10, 0.9, 'test')"
                ),
                {
                    "a": aid,
                    "i": index,
                    "i2": index,
                    "d": EVENT_DAY,
                    **{f"s{n}": src for n in (1, 2, 3)},
                    **{f"t{n}": tgt for n in (1, 2, 3)},
                    "c": cameo,
                    "b": cameo[:3],
                    "r": root,
                    "q": quad,
                    "g": goldstein,
                    "m": modality,
                },
            )
    refresh_materialized(engine)
