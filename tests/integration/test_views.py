"""Dashboard views over known rows (tests/dashboard_rows.py): exact numbers from every view,
then the sample corpus run through every stage and read back."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from dashboard_rows import EVENT_DAY, EVENT_WEEK, load_known_rows, publication_day
from sqlalchemy import Engine, text

from devtools.demo import SAMPLE_DIR, run_demo
from devtools.replay import ReplayServer
from pipeline.config import get_settings
from pipeline.store.views import apply_views, load_views, refresh_materialized


def _rows(engine: Engine, sql: str) -> list[tuple[Any, ...]]:
    with engine.connect() as conn:
        return [tuple(row) for row in conn.execute(text(sql))]


def _scalar(engine: Engine, sql: str) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text(sql)).scalar_one())


@pytest.fixture
def known(clean_db: Engine) -> Engine:
    load_known_rows(clean_db)
    return clean_db


def test_one_real_world_event_from_three_outlets_is_one_row_with_three_articles(
    known: Engine,
) -> None:
    rows = _rows(
        known,
        "SELECT day, source_code, target_code, cameo_code, n_coded_events, n_stories, "
        "n_articles, n_outlets, goldstein FROM real_world_events ORDER BY cameo_code",
    )
    assert rows == [
        # the syndicated wire story: coded once, carried by three articles in three outlets
        (EVENT_DAY, "USA", "CHN", "042", 1, 1, 3, 3, Decimal("1.90")),
        # three independent write-ups of the same event: one event, three articles
        (EVENT_DAY, "RUS", "UKR", "190", 3, 3, 3, 3, Decimal("-10.00")),
    ]


def test_a_syndicated_story_counts_once(known: Engine) -> None:
    assert _rows(
        known,
        "SELECT story_id, article_count, outlet_count, event_count, canonical_outlet, "
        "wire_source FROM stories_overview ORDER BY story_id",
    ) == [(1, 3, 3, 3, "alpha", "AP"), (2, 1, 1, 1, "alpha", None), (3, 1, 1, 1, "beta", None),
          (4, 1, 1, 1, "gamma", None)]  # fmt: skip
    assert _rows(
        known, "SELECT story_id, article_count, outlet_count FROM story_counts ORDER BY 1"
    ) == [(1, 3, 3), (2, 1, 1), (3, 1, 1), (4, 1, 1)]
    # events_daily: the wire story's event once (mentions 3); negated and claimed events left out
    assert _rows(
        known,
        "SELECT day, source_country, target_country, root_code, quad_class, events, mentions, "
        "avg_goldstein FROM events_daily ORDER BY root_code",
    ) == [
        (EVENT_DAY, "USA", "CHN", "04", 1, 1, 3, Decimal("1.90")),
        (EVENT_DAY, "RUS", "UKR", "19", 4, 3, 3, Decimal("-10.00")),
    ]


def test_event_level_views(known: Engine) -> None:
    assert _rows(
        known,
        "SELECT event_root_code, modality, num_articles, num_sources, is_root_event "
        "FROM events_gdelt ORDER BY global_event_id",
    ) == [
        ("04", "asserted", 3, 3, True),
        ("19", "negated", 3, 3, False),
        ("19", "claimed", 3, 3, False),
        ("19", "asserted", 1, 1, True),
        ("19", "reported", 1, 1, False),
        ("19", "asserted", 1, 1, True),
    ]
    # every article (copies included) with its canonical's events: 3 x 3 + 3 x 1
    assert _rows(
        known,
        "SELECT article_id, canonical_article_id, is_duplicate, count(*) FROM article_events "
        "GROUP BY 1, 2, 3 ORDER BY 1",
    ) == [
        (1, 1, False, 3),
        (2, 1, True, 3),
        (3, 1, True, 3),
        (4, 4, False, 1),
        (5, 5, False, 1),
        (6, 6, False, 1),
    ]
    assert _scalar(known, "SELECT count(*) FROM stg_events") == 6
    assert _scalar(known, "SELECT count(*) FROM stg_articles") == 10
    assert _scalar(known, "SELECT count(*) FROM stg_stories") == 4
    assert _scalar(known, "SELECT count(*) FROM stg_feeds") == 3
    assert _scalar(known, "SELECT count(*) FROM stg_feed_polls") == 6
    assert _scalar(known, "SELECT count(*) FROM stg_dedup_docs") == 0


def test_timelines_and_top_actors(known: Engine) -> None:
    assert _rows(
        known,
        "SELECT day, root_code, quad_class, events, mentions, goldstein_sum, goldstein_mean "
        "FROM events_timeline ORDER BY root_code",
    ) == [
        (EVENT_DAY, "04", 1, 1, 3, Decimal("1.90"), Decimal("1.90")),
        (EVENT_DAY, "19", 4, 3, 3, Decimal("-30.00"), Decimal("-10.00")),
    ]
    assert _rows(
        known,
        "SELECT day, source_country, target_country, events, mentions, cooperation_events, "
        "conflict_events, goldstein_sum, goldstein_mean FROM dyad_timeline ORDER BY 2",
    ) == [
        (EVENT_DAY, "RUS", "UKR", 3, 3, 0, 3, Decimal("-30.00"), Decimal("-10.00")),
        (EVENT_DAY, "USA", "CHN", 1, 3, 1, 0, Decimal("1.90"), Decimal("1.90")),
    ]
    expected = [
        ("CHN", "CHN", 1, 0, 1, 3, Decimal("1.90")),
        ("RUS", "RUS", 3, 3, 0, 3, Decimal("-10.00")),
        ("UKR", "UKR", 3, 0, 3, 3, Decimal("-10.00")),
        ("USA", "USA", 1, 1, 0, 3, Decimal("1.90")),
    ]
    columns = "actor_code, actor_country, events, as_source, as_target, mentions, goldstein_mean"
    daily = _rows(known, f"SELECT day, {columns} FROM top_actors_daily ORDER BY actor_code")
    assert daily == [(EVENT_DAY, *row) for row in expected]
    weekly = _rows(known, f"SELECT week, {columns} FROM top_actors_weekly ORDER BY actor_code")
    assert weekly == [(EVENT_WEEK, *row) for row in expected]


def test_article_level_views(known: Engine) -> None:
    day = publication_day()
    assert _rows(
        known,
        "SELECT published_date, outlet, articles, extracted, failed, canonical "
        "FROM articles_daily ORDER BY outlet, published_date NULLS LAST",
    ) == [
        (day, "alpha", 2, 2, 0, 2),
        (None, "alpha", 1, 0, 1, 0),
        (day, "beta", 2, 2, 0, 1),
        (None, "beta", 2, 0, 2, 0),
        (day, "gamma", 2, 2, 0, 1),
        (None, "gamma", 1, 0, 0, 0),
    ]
    assert _rows(
        known,
        "SELECT published_date, outlet, articles, duplicates, exact_copies, near_copies, "
        "duplicate_rate FROM duplicate_rate_by_outlet ORDER BY outlet",
    ) == [
        (day, "alpha", 2, 0, 0, 0, Decimal("0.0000")),
        (day, "beta", 2, 1, 1, 0, Decimal("0.5000")),
        (day, "gamma", 2, 1, 0, 1, Decimal("0.5000")),
    ]
    assert _rows(
        known, "SELECT failure_reason, articles, outlets FROM failures_by_reason ORDER BY 1"
    ) == [("http_4xx", 2, 2), ("timeout", 1, 1)]
    assert _rows(
        known,
        "SELECT outlet, failure_reason, articles, example_url, latest_detail "
        "FROM fetch_failures ORDER BY 1, 2",
    ) == [
        ("alpha", "http_4xx", 1, "https://alpha.example/a/7", "detail 7"),
        ("beta", "http_4xx", 1, "https://beta.example/a/8", "detail 8"),
        ("beta", "timeout", 1, "https://beta.example/a/9", "detail 9"),
    ]
    # lags 30, 60, ..., 180 minutes: p50 105, p90 165, p99 178.5 (linear interpolation)
    assert _rows(
        known,
        "SELECT day, articles, p50_minutes, p90_minutes, p99_minutes, max_minutes "
        "FROM ingestion_lag",
    ) == [(day, 6, Decimal("105.0"), Decimal("165.0"), Decimal("178.5"), Decimal("180.0"))]


def test_feed_health(known: Engine) -> None:
    rows = _rows(
        known,
        "SELECT feed_name, outlet, last_outcome, last_http_status, last_error, polls_24h, "
        "failed_24h, unchanged_24h, new_entries_24h, error_rate_24h, articles_7d, "
        "lag_p50_minutes_7d, lag_p90_minutes_7d, last_success_at IS NOT NULL "
        "FROM feed_health ORDER BY feed_name",
    )
    assert rows == [
        ("alpha-world", "alpha", "ok", 200, None, 4, 1, 1, 5, Decimal("0.2500"), 2,
         Decimal("75.0"), Decimal("111.0"), True),
        ("beta-world", "beta", "failed", 500, "HTTP 500", 1, 1, 0, 0, Decimal("1.0000"), 2,
         Decimal("105.0"), Decimal("141.0"), False),
        ("gamma-world", "gamma", None, None, None, 0, 0, 0, 0, None, 2,
         Decimal("135.0"), Decimal("171.0"), False),
    ]  # fmt: skip


def test_every_view_has_a_known_rows_assertion(project_root: Any) -> None:
    """A new view file must come with exact numbers in this module or a test_*view*.py beside it."""
    here = project_root / "tests" / "integration"
    source = "".join(p.read_text(encoding="utf-8") for p in sorted(here.glob("test_*view*.py")))
    missing = [v.name for v in load_views() if f"FROM {v.name}" not in source]
    assert missing == []


def test_materialized_views_follow_new_rows_after_a_refresh(known: Engine) -> None:
    with known.begin() as conn:
        conn.execute(text("UPDATE events SET event_date = event_date + 1 WHERE article_id = 6"))
    before = _rows(known, "SELECT count(*) FROM events_timeline")
    refresh_materialized(known)
    after = _rows(
        known, "SELECT day, events FROM events_timeline WHERE root_code = '19' ORDER BY day"
    )
    assert before == [(2,)]
    assert after == [(EVENT_DAY, 2), (EVENT_DAY + timedelta(days=1), 1)]


def test_unchanged_views_are_kept_and_changed_ones_recreated(known: Engine, tmp_path: Any) -> None:
    oid = "SELECT 'events_timeline'::regclass::oid::int"
    first = _scalar(known, oid)
    reader = get_settings().readonly_user
    apply_views(known, readonly_user=reader)  # nothing changed: nothing dropped or recomputed
    assert _scalar(known, oid) == first
    apply_views(known, readonly_user=reader, force=True)
    assert _scalar(known, oid) != first
    assert _scalar(known, "SELECT sum(events) FROM events_timeline") == 4


def test_views_agree_with_the_tables_after_a_sample_run(clean_db: Engine) -> None:
    with ReplayServer(SAMPLE_DIR, per_host_ports=True) as server:
        run_demo(clean_db, get_settings(), server=server)
    refresh_materialized(clean_db)

    events = _scalar(clean_db, "SELECT count(*) FROM events")
    assert events > 0
    assert _scalar(clean_db, "SELECT count(*) FROM events_gdelt") == events
    assert _scalar(clean_db, "SELECT count(*) FROM stories_overview") == _scalar(
        clean_db, "SELECT count(*) FROM stories"
    )
    # the sample has wire stories carried by several outlets: the GDELT-style counts show it
    assert _scalar(clean_db, "SELECT max(num_sources) FROM events_gdelt") >= 2
    assert _scalar(clean_db, "SELECT max(outlet_count) FROM stories_overview") >= 2
    happened = _scalar(
        clean_db,
        "SELECT count(*) FROM events WHERE modality NOT IN ('negated', 'hypothetical', 'claimed')",
    )
    assert _scalar(clean_db, "SELECT coalesce(sum(events), 0) FROM events_daily") == happened
    assert _scalar(clean_db, "SELECT coalesce(sum(events), 0) FROM events_timeline") == happened
    assert _scalar(clean_db, "SELECT sum(n_coded_events) FROM real_world_events") == happened
    assert _scalar(clean_db, "SELECT sum(articles) FROM articles_daily") == _scalar(
        clean_db, "SELECT count(*) FROM articles"
    )
    assert _scalar(clean_db, "SELECT count(*) FROM fetch_failures") > 0  # declared failures
    assert _scalar(clean_db, "SELECT sum(articles) FROM failures_by_reason") == _scalar(
        clean_db, "SELECT count(*) FROM articles WHERE status = 'failed'"
    )
    assert _scalar(clean_db, "SELECT count(*) FROM feed_health") == _scalar(
        clean_db, "SELECT count(*) FROM feeds"
    )
